import type { Reviewable } from '@fanlab/shared';
import type { FlagRow, ReviewableRow } from './queries';

const ref = (id: number | null, username: string | null) =>
  id !== null && username !== null ? { id, username } : null;

export function toReviewable(row: ReviewableRow, flags: FlagRow[]): Reviewable {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    score: row.score,
    flagCount: row.flag_count,
    topReason: row.top_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decidedBy: ref(row.decided_by, row.decided_by_username),
    claimedBy: ref(row.claimed_by, row.claimed_by_username),
    deferredUntil: row.deferred_until?.toISOString() ?? null,
    post: {
      id: row.post_id,
      postNumber: row.post_number,
      cooked: row.cooked,
      hidden: row.post_hidden,
      deleted: row.post_deleted,
      author: { id: row.author_id, username: row.author_username },
    },
    thread: {
      id: row.thread_id,
      title: row.title,
      category: { id: row.category_id, slug: row.category_slug, name: row.category_name },
    },
    flags: flags
      .filter((f) => f.reviewable_id === row.id)
      .map((f) => ({
        user: { id: f.user_id, username: f.username },
        reason: f.reason,
        message: f.message,
        duplicateOf:
          f.duplicate_of !== null && f.duplicate_title !== null
            ? { id: f.duplicate_of, title: f.duplicate_title }
            : null,
        weight: f.weight,
        createdAt: f.created_at.toISOString(),
      })),
  };
}

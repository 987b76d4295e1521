import type { FlagReason, HoldReason, MemberStanding, QueuedPost, Reviewable, ReviewableDetail } from '@fanlab/shared';
import type { User } from 'lucia';
import { isSilenced, isSuspended } from '../auth/policy';
import { trustPolicy } from '../trust/policy';
import { moderationPolicy } from './policy';
import type {
  FlagRow,
  memberStanding,
  OwnQueuedPostRow,
  QueueRow,
  ReviewableDetailRow,
  ReviewableRow,
} from './queries';

/** The category, or null when it was deleted since. */
const categoryOf = (row: { category_id: number | null; category_slug: string | null; category_name: string | null }) =>
  row.category_id !== null && row.category_slug !== null && row.category_name !== null
    ? { id: row.category_id, slug: row.category_slug, name: row.category_name }
    : null;

const ref = (id: number | null, username: string | null) =>
  id !== null && username !== null ? { id, username } : null;

const toFlag = (f: FlagRow) => ({
  user: { id: f.user_id, username: f.username },
  reason: f.reason,
  message: f.message,
  duplicateOf:
    f.duplicate_of !== null && f.duplicate_title !== null ? { id: f.duplicate_of, title: f.duplicate_title } : null,
  weight: f.weight,
  createdAt: f.created_at,
});

function toReviewableFields(row: ReviewableRow, flags: FlagRow[]) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    score: row.score,
    flagCount: row.flag_count,
    topReason: row.top_reason,
    held:
      row.type === 'queued_post' && row.held_kind
        ? { kind: row.held_kind, reason: row.top_reason as HoldReason }
        : null,
    application: row.application,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decidedBy: ref(row.decided_by, row.decided_by_username),
    claimedBy: ref(row.claimed_by, row.claimed_by_username),
    deferredUntil: row.deferred_until?.toISOString() ?? null,
    thread: {
      id: row.thread_id,
      title: row.title,
      category: categoryOf(row),
    },
    reasons: (Object.entries(row.reasons) as [FlagReason, { count: number; weight: number }][])
      .map(([reason, r]) => ({ reason, count: r.count, weight: Math.round(r.weight * 1000) / 1000 }))
      .sort((a, b) => b.weight - a.weight || a.reason.localeCompare(b.reason)),
    flags: flags.map(toFlag),
  };
}

const toReviewablePost = (row: ReviewableRow) => ({
  id: row.post_id,
  postNumber: row.post_number,
  excerpt: row.excerpt,
  hidden: row.post_hidden,
  deleted: row.post_deleted,
  author: { id: row.author_id, username: row.author_username },
});

/** A queue item: the post's excerpt and its newest flags (both read with the page). */
export function toQueueItem(row: QueueRow): Reviewable {
  return { ...toReviewableFields(row, row.latest_flags), post: toReviewablePost(row) };
}

/** One item on its own: the whole post and every flag. */
export function toReviewableDetail(row: ReviewableDetailRow, flags: FlagRow[]): ReviewableDetail {
  return { ...toReviewableFields(row, flags), post: { ...toReviewablePost(row), cooked: row.cooked } };
}

export function toMemberStanding(
  { user, notes }: NonNullable<Awaited<ReturnType<typeof memberStanding>>>,
  viewer: User,
): MemberStanding {
  const silenced = isSilenced(user);
  const suspended = isSuspended(user);
  return {
    user: { id: user.id, username: user.username, role: user.role },
    silencedUntil: silenced ? (user.silenced_until?.toISOString() ?? null) : null,
    silenceReason: silenced ? user.silence_reason : null,
    suspendedUntil: suspended ? (user.suspended_until?.toISOString() ?? null) : null,
    suspendReason: suspended ? user.suspend_reason : null,
    flagsAgreed: user.flags_agreed,
    flagsDisagreed: user.flags_disagreed,
    postsHidden: Number(user.posts_hidden ?? 0),
    trustLevel: user.trust_level,
    trustLevelLocked: user.trust_level_locked,
    canSetTrustLevel: trustPolicy.setLevel(viewer, user).ok,
    notes: notes.map((n) => ({
      id: n.id,
      author: { id: n.author_id, username: n.author_username },
      body: n.body,
      createdAt: n.created_at.toISOString(),
    })),
    canSanction: moderationPolicy.sanction(viewer, user).ok,
  };
}

/** A held post as its author sees it. */
export function toQueuedPost(row: OwnQueuedPostRow): QueuedPost {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    reason: row.reason,
    thread: row.thread_id !== null && row.thread_title !== null ? { id: row.thread_id, title: row.thread_title } : null,
    category: categoryOf(row),
    title: row.title,
    cooked: row.cooked,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    postNumber: row.post_number ?? null,
  };
}

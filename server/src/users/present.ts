import type { ActivityItem, Profile, ThreadKind } from '@fanlab/shared';
import type { UserRow } from '../db/schema';
import { excerpt } from '../forum/markdown';

/** The activity counts of a profile, as one query reads them (`null` when a count has no rows). */
export interface ProfileCounts {
  threads: number | null;
  ideas: number | null;
  replies: number | null;
  given: number | null;
  received: number | null;
}

export function toProfile(
  user: Pick<UserRow, 'id' | 'username' | 'role' | 'created_at' | 'last_seen_at' | 'show_last_seen'>,
  counts: ProfileCounts,
): Profile {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    joinedAt: user.created_at.toISOString(),
    // The day only, and only if they show it: a profile must not let strangers track presence.
    lastSeenOn: user.show_last_seen && user.last_seen_at ? user.last_seen_at.toISOString().slice(0, 10) : null,
    threadCount: Number(counts.threads ?? 0),
    ideaCount: Number(counts.ideas ?? 0),
    replyCount: Number(counts.replies ?? 0),
    likesGiven: Number(counts.given ?? 0),
    likesReceived: Number(counts.received ?? 0),
  };
}

export function toActivityItem(r: {
  thread_id: number;
  title: string;
  kind: ThreadKind;
  post_number: number;
  cooked: string;
  created_at: Date;
}): ActivityItem {
  return {
    threadId: r.thread_id,
    threadTitle: r.title,
    postNumber: r.post_number,
    kind: r.kind,
    excerpt: excerpt(r.cooked),
    createdAt: r.created_at.toISOString(),
  };
}

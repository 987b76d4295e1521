import { Type } from 'typebox';
import type { CategoryPatch } from './forum';
import type { IdeaStatus } from './ideas';
import type { ReviewAction } from './moderation';
import type { Role } from './users';

/**
 * Every action written to the audit log (staff and operator actions), with what it records. One
 * list, so the log admins read stays consistent: a new action is added here, with its data shape
 * and the kind of thing it targets.
 */
export const AuditTargets = {
  'user.role_changed': 'user',
  'category.created': 'category',
  'category.updated': 'category',
  'category.deleted': 'category',
  'thread.deleted': 'thread',
  'thread.restored': 'thread',
  'thread.moderated': 'thread',
  'post.edited': 'post',
  'post.deleted': 'post',
  'post.restored': 'post',
  'posts.moved': 'thread',
  'idea.status_changed': 'thread',
  'idea.tags_changed': 'thread',
  'idea.merged': 'thread',
  'idea.unmerged': 'thread',
  'review.decided': 'post',
  'user.silenced': 'user',
  'user.suspended': 'user',
  'user.unsilenced': 'user',
  'user.unsuspended': 'user',
  'user.note_added': 'user',
  'user.note_deleted': 'user',
} as const;

export type AuditAction = keyof typeof AuditTargets;
export type AuditTarget = (typeof AuditTargets)[AuditAction];
export const AuditActions = Object.keys(AuditTargets) as AuditAction[];

/** Actions that record nothing beyond who, what and when. */
type Nothing = Record<never, never>;

/** What each action records in the row's `data`. */
export interface AuditData {
  'user.role_changed': { from: Role; to: Role };
  'category.created': { slug: string };
  'category.updated': CategoryPatch;
  'category.deleted': { slug: string };
  'thread.deleted': Nothing;
  'thread.restored': Nothing;
  /** What changed, each as [before, after]. */
  'thread.moderated': {
    pinned?: [boolean, boolean];
    pinnedUntil?: [string | null, string | null];
    locked?: [boolean, boolean];
    unlisted?: [boolean, boolean];
    category?: [number, number];
  };
  'post.edited': Nothing;
  'post.deleted': Nothing;
  'post.restored': Nothing;
  /**
   * Posts moved from thread `from` (the target) to `to`: `postIds` in their new order; `newThread`:
   * `to` was made by the move; `wholeThread`: every post moved and `from` was deleted (a merge).
   */
  'posts.moved': { from: number; to: number; postIds: number[]; newThread: boolean; wholeThread: boolean };
  /** `response`: whether an official response was written with it. */
  'idea.status_changed': { from: IdeaStatus; to: IdeaStatus; response: boolean };
  'idea.tags_changed': { from: string[]; to: string[] };
  /** `moved`: votes moved onto `into`; `alreadyVoted`: voters who had voted on both. */
  'idea.merged': { into: number; moved: number; alreadyVoted: number };
  'idea.unmerged': { from: number; restored: number; removedFromTarget: number; keptForLaterMerges: number };
  /** A moderator's decision on flags (`reviewable`: its id); `deleted`: the post was deleted with it. */
  'review.decided': { reviewable: number; action: ReviewAction; flags: number; deleted: boolean };
  'user.silenced': { until: string; days: number; reason: string; reviewable: number | null };
  'user.suspended': { until: string; days: number; reason: string; reviewable: number | null };
  /** `until`: when it would have ended. */
  'user.unsilenced': { until: string | null };
  'user.unsuspended': { until: string | null };
  'user.note_added': { note: number };
  'user.note_deleted': { note: number };
}

export const AuditActionSchema = Type.Unsafe<AuditAction>(Type.String({ enum: AuditActions }));

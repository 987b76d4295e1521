import { type Static, Type } from 'typebox';
import type { BetaApplicationStatus, BetaDecision, BetaProgramState } from './beta';
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
  'category.reordered': 'category',
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
  'settings.updated': 'site',
  'user.trust_level_changed': 'user',
  'release.created': 'release',
  'release.updated': 'release',
  'release.published': 'release',
  'release.deleted': 'release',
  'user.token_created': 'user',
  'user.token_revoked': 'user',
  'beta.program_created': 'beta_program',
  'beta.program_updated': 'beta_program',
  'beta.application_decided': 'beta_program',
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
  /** Each changed field as [before, after] (entries written before 0015 hold the new values only). */
  'category.updated': { [K in keyof CategoryPatch]?: [CategoryPatch[K], CategoryPatch[K]] };
  'category.deleted': { slug: string };
  /** The new order of a parent's sub-categories (target: the parent; none for the top level), as ids. */
  'category.reordered': { parent: number | null; from: number[]; to: number[] };
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
  'idea.status_changed': { from: IdeaStatus; to: IdeaStatus; response: boolean; release?: number };
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
  /** Each changed setting as [before, after]. */
  'settings.updated': { changes: Record<string, [unknown, unknown]> };
  /** `locked`: staff fixed the level (the rules no longer move it); false: unlocked. */
  'user.trust_level_changed': { from: number; to: number; locked: boolean };
  'release.created': { version: string; channel: string };
  /** The fields changed (names), and ideas linked or unlinked by id. */
  'release.updated': { fields: string[]; linked: number[]; unlinked: number[] };
  /** `ideas`: the linked ideas announced; `moved`: those whose status changed. */
  'release.published': { version: string; channel: string; ideas: number[]; moved: number[] };
  'release.deleted': { version: string; channel: string };
  /** A personal API token of the target member (its id, name and scopes; never its secret). */
  'user.token_created': { token: number; name: string; scopes: string[]; expiresAt: string };
  'user.token_revoked': { token: number; name: string };
  'beta.program_created': { slug: string };
  /** The fields changed (names of UpdateBetaProgramBody); seats and state also as [before, after]. */
  'beta.program_updated': {
    fields: string[];
    seats?: [number, number];
    state?: [BetaProgramState, BetaProgramState];
  };
  /**
   * A manager's (or reviewer's) decision on an application to the program (the target):
   * `from`/`to` its status; `promoted`: applications a freed seat went to.
   */
  'beta.application_decided': {
    application: number;
    user: number;
    action: BetaDecision;
    from: BetaApplicationStatus;
    to: BetaApplicationStatus;
    reason: string | null;
    promoted: number[];
  };
}

export const AuditActionSchema = Type.Unsafe<AuditAction>(Type.String({ enum: AuditActions }));
export const auditTargetTypes = [
  'user',
  'category',
  'thread',
  'post',
  'site',
  'release',
  'beta_program',
] as const satisfies readonly AuditTarget[];
export const AuditTargetSchema = Type.Unsafe<AuditTarget>(Type.String({ enum: [...auditTargetTypes] }));

/** One entry of the log, as admins read it. */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  /** null: the operator CLI (or an account deleted since). */
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  action: AuditActionSchema,
  targetType: AuditTargetSchema,
  targetId: Type.Union([Type.Integer(), Type.Null()]),
  /** The target's name today (username, category name, thread title); null when it is gone. */
  targetLabel: Type.Union([Type.String(), Type.Null()]),
  /** Where the target is shown (a site path), when it still exists. */
  targetPath: Type.Union([Type.String(), Type.Null()]),
  /** What the action recorded: its AuditData shape (before/after pairs where it changes values). */
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});
export type AuditEntry = {
  [A in AuditAction]: Omit<Static<typeof AuditEntry>, 'action' | 'data'> & { action: A; data: AuditData[A] };
}[AuditAction];

/** An ISO 8601 date (UTC midnight) or date and time with its offset (query filters). */
export const TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

export const AuditLogQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: "The actor's username" })),
  action: Type.Optional(AuditActionSchema),
  targetType: Type.Optional(AuditTargetSchema),
  targetId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  from: Type.Optional(
    Type.String({ pattern: TIME_PATTERN, maxLength: 40, description: 'From this time on (ISO 8601)' }),
  ),
  to: Type.Optional(Type.String({ pattern: TIME_PATTERN, maxLength: 40, description: 'Before this time (ISO 8601)' })),
});
export type AuditLogQuery = Static<typeof AuditLogQuery>;

import type { AdminUser, AuditAction, AuditEntry, AuditTarget } from '@fanlab/shared';
import { isSilenced, isSuspended } from '../auth/policy';
import type { UserRow } from '../db/schema';
import type { Viewer } from '../forum/policy';
import { adminPolicy } from './policy';

/** An audit log row with its actor's name and what its target is called today. */
export interface AuditRow {
  id: number;
  actor_id: number | null;
  username: string | null;
  action: AuditAction;
  target_type: AuditTarget;
  target_id: number | null;
  data: Record<string, unknown>;
  created_at: Date;
  target_username: string | null;
  category_name: string | null;
  category_slug: string | null;
  thread_title: string | null;
  post_thread_id: number | null;
  post_number: number | null;
  post_thread_title: string | null;
  beta_program_name: string | null;
  beta_program_slug: string | null;
}

/** The target's name and page, when it still exists. */
function targetOf(r: AuditRow): { label: string | null; path: string | null } {
  switch (r.target_type) {
    case 'user':
      return r.target_username
        ? { label: r.target_username, path: `/u/${encodeURIComponent(r.target_username)}` }
        : { label: null, path: null };
    case 'category':
      return r.category_slug ? { label: r.category_name, path: `/c/${r.category_slug}` } : { label: null, path: null };
    case 'thread':
      return r.thread_title !== null
        ? { label: r.thread_title, path: `/t/${r.target_id}` }
        : { label: null, path: null };
    case 'post':
      return r.post_thread_id !== null
        ? { label: `${r.post_thread_title} #${r.post_number}`, path: `/t/${r.post_thread_id}/${r.post_number}` }
        : { label: null, path: null };
    case 'site':
      return { label: null, path: '/admin/settings' };
    case 'beta_program':
      return r.beta_program_slug !== null
        ? { label: r.beta_program_name, path: `/beta/${r.beta_program_slug}` }
        : { label: null, path: null };
  }
}

export function toAuditEntry(r: AuditRow): AuditEntry {
  const target = targetOf(r);
  return {
    id: r.id,
    actorId: r.actor_id,
    actorUsername: r.username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: target.label,
    targetPath: target.path,
    data: r.data,
    createdAt: r.created_at.toISOString(),
  } as AuditEntry;
}

/**
 * The columns a user row of the admin screens is made from. One more field of the list and the
 * detail panel is one more column here and one more line in `toAdminUser`.
 */
export const adminUserColumns = [
  'id',
  'username',
  'email',
  'role',
  'created_at',
  'last_seen_at',
  'silenced_until',
  'suspended_until',
  'trust_level',
  'trust_level_locked',
] as const satisfies readonly (keyof UserRow)[];

export type AdminUserRow = Pick<UserRow, (typeof adminUserColumns)[number]>;

/** A user as `viewer` (staff) sees them in the admin list and detail panel. */
export function toAdminUser(user: AdminUserRow, viewer: Viewer): AdminUser {
  return {
    id: user.id,
    username: user.username,
    email: adminPolicy.seeEmails(viewer).ok ? user.email : null,
    role: user.role,
    createdAt: user.created_at.toISOString(),
    lastSeenAt: user.last_seen_at?.toISOString() ?? null,
    silencedUntil: isSilenced(user) ? (user.silenced_until?.toISOString() ?? null) : null,
    suspendedUntil: isSuspended(user) ? (user.suspended_until?.toISOString() ?? null) : null,
    canChangeRole: adminPolicy.changeRole(viewer, user.id).ok,
    trustLevel: user.trust_level,
    trustLevelLocked: user.trust_level_locked,
  };
}

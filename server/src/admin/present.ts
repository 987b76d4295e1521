import type { AdminUser, AuditAction, AuditTarget } from '@fanlab/shared';
import type { UserRow } from '../db/schema';

/** An audit log row with its actor's name, as admins read it. */
export function toAuditEntry(r: {
  id: number;
  actor_id: number | null;
  username: string | null;
  action: AuditAction;
  target_type: AuditTarget;
  target_id: number | null;
  data: Record<string, unknown>;
  created_at: Date;
}) {
  return {
    id: r.id,
    actorId: r.actor_id,
    actorUsername: r.username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    data: r.data,
    createdAt: r.created_at.toISOString(),
  };
}

/** A user as staff see them in the admin list. */
export function toAdminUser(
  user: Pick<UserRow, 'id' | 'username' | 'email' | 'role' | 'created_at' | 'last_seen_at'>,
): AdminUser {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    createdAt: user.created_at.toISOString(),
    lastSeenAt: user.last_seen_at?.toISOString() ?? null,
  };
}

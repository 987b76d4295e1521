import type { Role } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { decodeCursor, toPage } from '../http/pagination';
import { toAdminUser, toAuditEntry } from './present';

/** Users, newest first, optionally by role and username-or-email prefix; keyset-paginated by id. */
export async function listUsers(db: Db, query: { cursor?: string; limit?: number; q?: string; role?: Role }) {
  const { cursor, limit = 25, q, role } = query;
  const after = decodeCursor(cursor, ['id']);
  let users = db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'role', 'created_at', 'last_seen_at'])
    .orderBy('id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) users = users.where('id', '<', after[0]);
  if (role) users = users.where('role', '=', role);
  if (q) {
    const prefix = `${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
    users = users.where((eb) =>
      eb.or([eb(eb.fn('lower', ['username']), 'like', prefix), eb(eb.fn('lower', ['email']), 'like', prefix)]),
    );
  }
  const rows = await users.execute();
  return toPage(rows, limit, toAdminUser, (r) => [r.id]);
}

/** The audit log, newest first, with each actor's name; keyset-paginated by id. */
export async function listAuditLog(db: Db, query: { cursor?: string; limit?: number }) {
  const { cursor, limit = 25 } = query;
  const after = decodeCursor(cursor, ['id']);
  let entries = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select([
      'audit_log.id',
      'audit_log.actor_id',
      'users.username',
      'audit_log.action',
      'audit_log.target_type',
      'audit_log.target_id',
      'audit_log.data',
      'audit_log.created_at',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) entries = entries.where('audit_log.id', '<', after[0]);
  const rows = await entries.execute();
  return toPage(rows, limit, toAuditEntry, (r) => [r.id]);
}

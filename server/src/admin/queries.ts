import { type AdminUserQuery, type AuditLogQuery, ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Viewer } from '../forum/policy';
import { AppError, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { parseQueryTime } from '../http/validation';
import { adminPolicy } from './policy';
import { adminUserColumns, toAdminUser, toAuditEntry } from './present';

/** `text%` for LIKE, with the wildcards of `text` taken literally. */
const prefixPattern = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Users, newest first, by role, sanction in force and username prefix (and email prefix for
 * those who may see emails: a moderator cannot probe addresses); keyset-paginated by id.
 */
export async function listUsers(db: Db, viewer: Viewer, query: AdminUserQuery) {
  const { cursor, limit = 25, q, role, sanction } = query;
  const after = decodeCursor(cursor, ['id']);
  let users = db
    .selectFrom('users')
    .select(adminUserColumns)
    .orderBy('id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) users = users.where('id', '<', after[0]);
  if (role) users = users.where('role', '=', role);
  const silenced = sql<boolean>`coalesce(silenced_until > now(), false)`;
  const suspended = sql<boolean>`coalesce(suspended_until > now(), false)`;
  if (sanction === 'silenced') users = users.where(silenced);
  if (sanction === 'suspended') users = users.where(suspended);
  if (sanction === 'any') users = users.where(sql<boolean>`(${silenced} or ${suspended})`);
  if (sanction === 'none') users = users.where(sql<boolean>`not (${silenced} or ${suspended})`);
  if (q) {
    const prefix = prefixPattern(q);
    const byEmail = adminPolicy.seeEmails(viewer).ok;
    users = users.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['username']), 'like', prefix),
        ...(byEmail ? [eb(eb.fn('lower', ['email']), 'like', prefix)] : []),
      ]),
    );
  }
  const rows = await users.execute();
  return toPage(
    rows,
    limit,
    (r) => toAdminUser(r, viewer),
    (r) => [r.id],
  );
}

/** One user for the detail panel; 404 when there is none. */
export async function findAdminUser(db: Db, viewer: Viewer, id: number) {
  const row = await db.selectFrom('users').select(adminUserColumns).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The user');
  return toAdminUser(row, viewer);
}

/**
 * The audit log, newest first, with each actor's name and each target's name today; filtered by
 * actor (username), action, target and time range; keyset-paginated by id.
 */
export async function listAuditLog(db: Db, query: AuditLogQuery) {
  const { cursor, limit = 25, actor, action, targetType, targetId } = query;
  const after = decodeCursor(cursor, ['id']);
  const from = parseQueryTime(query.from, 'from');
  const to = parseQueryTime(query.to, 'to');
  if (from && to && from.getTime() >= to.getTime()) {
    throw new AppError(400, ErrorCodes.validationFailed, '`from` must be before `to`.');
  }
  let entries = db
    .selectFrom('audit_log as a')
    .leftJoin('users as actor', 'actor.id', 'a.actor_id')
    .leftJoin('users as tu', (j) => j.on('a.target_type', '=', 'user').onRef('tu.id', '=', 'a.target_id'))
    .leftJoin('categories as tc', (j) => j.on('a.target_type', '=', 'category').onRef('tc.id', '=', 'a.target_id'))
    .leftJoin('threads as tt', (j) => j.on('a.target_type', '=', 'thread').onRef('tt.id', '=', 'a.target_id'))
    .leftJoin('posts as tp', (j) => j.on('a.target_type', '=', 'post').onRef('tp.id', '=', 'a.target_id'))
    .leftJoin('threads as tpt', 'tpt.id', 'tp.thread_id')
    .leftJoin('releases as tr', (j) => j.on('a.target_type', '=', 'release').onRef('tr.id', '=', 'a.target_id'))
    .leftJoin('beta_programs as tb', (j) =>
      j.on('a.target_type', '=', 'beta_program').onRef('tb.id', '=', 'a.target_id'),
    )
    .select([
      'a.id',
      'a.actor_id',
      'actor.username',
      'a.action',
      'a.target_type',
      'a.target_id',
      'a.data',
      'a.created_at',
      'tu.username as target_username',
      'tc.name as category_name',
      'tc.slug as category_slug',
      'tt.title as thread_title',
      'tp.thread_id as post_thread_id',
      'tp.post_number',
      'tpt.title as post_thread_title',
      'tr.version as release_version',
      'tr.channel as release_channel',
      'tb.name as beta_program_name',
      'tb.slug as beta_program_slug',
    ])
    .orderBy('a.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) entries = entries.where('a.id', '<', after[0]);
  if (actor) entries = entries.where(sql<boolean>`lower(actor.username) = ${actor.toLowerCase()}`);
  if (action) entries = entries.where('a.action', '=', action);
  if (targetType) entries = entries.where('a.target_type', '=', targetType);
  if (targetId) entries = entries.where('a.target_id', '=', targetId);
  if (from) entries = entries.where('a.created_at', '>=', from);
  if (to) entries = entries.where('a.created_at', '<', to);
  const rows = await entries.execute();
  return toPage(rows, limit, toAuditEntry, (r) => [r.id]);
}

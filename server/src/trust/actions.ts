import type { SiteSettings, TrustLevel } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import { publish } from '../db/bus';
import type { Tx } from '../db/tx';
import { enforce, notFound } from '../http/errors';
import { notifyMany } from '../notifications/actions';
import { trustPolicy } from './policy';
import { earnedLevelSql } from './rules';

/**
 * Raises a member's level to what their activity earns, never lowers it, never moves a level
 * staff locked. One statement: the rules read the row being updated. Returns the new level
 * when it rose.
 */
export async function promote(tx: Tx, userId: number, settings: SiteSettings): Promise<TrustLevel | null> {
  const earned = earnedLevelSql(settings);
  const row = await tx
    .updateTable('users')
    .set({ trust_level: sql<TrustLevel>`${earned}` })
    .where('id', '=', userId)
    .where('trust_level_locked', '=', false)
    .where(sql<boolean>`${earned} > users.trust_level`)
    .returning('trust_level')
    .executeTakeFirst();
  if (row) await toldOfLevel(tx, [userId], row.trust_level);
  return row?.trust_level ?? null;
}

/**
 * Announced on the live bus (to server processes, never to sockets) when members' levels rose:
 * what waits for a level (held votes, ideas/held-votes.ts) is released after the commit.
 * `userIds` is null when too many rose at once to list (everyone due is then served).
 */
export const TRUST_RAISED_CHANNEL = 'trust:raised';
const MAX_LISTED = 500;

/** The members of a `trust:raised` announcement (null: too many to list; undefined: malformed). */
export function raisedMembers(data: unknown): number[] | null | undefined {
  if (typeof data !== 'object' || data === null || !('userIds' in data)) return undefined;
  const { userIds } = data as { userIds: unknown };
  if (userIds === null) return null;
  if (!Array.isArray(userIds) || !userIds.every((id) => Number.isSafeInteger(id))) return undefined;
  return userIds as number[];
}

/** Members are told the level they reached (what it lets them do is on their account page). */
async function toldOfLevel(tx: Tx, userIds: number[], level: TrustLevel) {
  await notifyMany(tx, { userIds, kind: 'trust_level', threadId: null, actorId: null, data: { level } });
  await publish(tx, {
    channel: TRUST_RAISED_CHANNEL,
    event: 'raised',
    cursor: null,
    data: { userIds: userIds.length > MAX_LISTED ? null : userIds, level },
  });
}

/** Promotes everyone the rules now allow (after a change of the rules). Returns how many rose. */
export async function promoteAll(tx: Tx, settings: SiteSettings): Promise<number> {
  const earned = earnedLevelSql(settings);
  const rows = await tx
    .updateTable('users')
    .set({ trust_level: sql<TrustLevel>`${earned}` })
    .where('trust_level_locked', '=', false)
    .where('trust_level', '<', 3)
    .where(sql<boolean>`${earned} > users.trust_level`)
    .returning(['id', 'trust_level'])
    .execute();
  for (const level of [1, 2, 3] as const) {
    const ids = rows.filter((r) => r.trust_level === level).map((r) => r.id);
    if (ids.length) await toldOfLevel(tx, ids, level);
  }
  return rows.length;
}

/** Counts a day's visit (the first seen of a UTC day) and promotes on it. */
export async function countVisit(tx: Tx, userId: number, settings: SiteSettings): Promise<void> {
  const row = await tx
    .updateTable('users')
    .set((eb) => ({
      days_visited: eb('days_visited', '+', 1),
    }))
    .where('id', '=', userId)
    .where((eb) =>
      eb.or([
        eb('last_seen_at', 'is', null),
        eb(sql`(last_seen_at at time zone 'utc')::date`, '<', sql`(now() at time zone 'utc')::date`),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  if (row) await promote(tx, userId, settings);
}

/**
 * Staff set a member's level. `lock` (the default) fixes it: the rules no longer move it;
 * without the lock the rules take over from that level (and may raise it at once).
 */
export async function setTrustLevel(
  tx: Tx,
  actor: User,
  userId: number,
  level: TrustLevel,
  lock: boolean,
  settings: SiteSettings,
): Promise<void> {
  const target = await tx
    .selectFrom('users')
    .select(['id', 'role', 'trust_level', 'trust_level_locked'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw notFound('The member');
  enforce(trustPolicy.setLevel(actor, target), { forbidden: 'Only moderators set trust levels.' });
  if (target.trust_level === level && target.trust_level_locked === lock) return;
  await tx
    .updateTable('users')
    .set({ trust_level: level, trust_level_locked: lock })
    .where('id', '=', userId)
    .execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'user.trust_level_changed',
    targetId: userId,
    data: { from: target.trust_level, to: level, locked: lock },
  });
  if (level > target.trust_level) await toldOfLevel(tx, [userId], level);
  if (!lock) await promote(tx, userId, settings);
}

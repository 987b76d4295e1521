import { NotificationEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { toNotification } from './present';

/**
 * A notification's thread and actor. A `released` row keeps them in its data instead (the first
 * of its ideas, `actorId`): a release tells 100,000 people at once, and the foreign-key checks of
 * the two columns were a third of each row's cost (docs/releases.md).
 */
const threadOf = sql<number | null>`coalesce(n.thread_id, (n.data->'ideas'->0->>'id')::bigint)`;
const actorOf = sql<number | null>`coalesce(n.actor_id, (n.data->>'actorId')::bigint)`;

/** A notification joined with what it shows. */
export const selectShaped = (db: Db) =>
  db
    .selectFrom('notifications as n')
    .leftJoin('users as a', (join) => join.on(sql<boolean>`a.id = ${actorOf}`))
    .leftJoin('threads as t', (join) => join.on(sql<boolean>`t.id = ${threadOf}`))
    .leftJoin('posts as p', 'p.id', 'n.post_id')
    .select([
      'n.id',
      'n.kind',
      actorOf.as('actor_id'),
      'a.username as actor_username',
      'n.actor_count',
      threadOf.as('thread_id'),
      't.title as thread_title',
      'p.post_number',
      'n.read_at',
      'n.data',
      'n.created_at',
      'n.updated_at',
      'n.seq',
    ]);

export type ShapedRow = Awaited<ReturnType<ReturnType<typeof selectShaped>['executeTakeFirstOrThrow']>>;

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNotifications(db: Db, userId: number, limit: number, beforeId?: number) {
  let query = selectShaped(db)
    .where('n.user_id', '=', userId)
    .orderBy('n.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (beforeId !== undefined) query = query.where('n.id', '<', beforeId);
  return query.execute();
}

const CATCH_UP_MAX = 100;

/** Live catch-up of the user channel: notifications changed after `cursor` (a seq). */
export async function notificationsSince(db: Db, userId: number, cursor: number) {
  const rows = await selectShaped(db)
    .where('n.user_id', '=', userId)
    .where('n.seq', '>', cursor)
    .orderBy('n.seq')
    .limit(CATCH_UP_MAX + 1)
    .execute();
  if (rows.length > CATCH_UP_MAX) return null;
  const count = await unreadCount(db, userId);
  const last = rows[rows.length - 1];
  const current = last ? last.seq : cursor;
  return {
    cursor: current,
    events: rows.map((r) => {
      const notification = toNotification(r);
      return {
        channel: `user:${userId}`,
        event: NotificationEvents.changed,
        cursor: notification.seq,
        data: { notification, unreadCount: count },
      };
    }),
  };
}

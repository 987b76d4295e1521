import { type Notification, NotificationEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { PG_CHANNEL, publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';

export type NotificationKind = 'reply' | 'mention' | 'quote' | 'like' | 'status' | 'merged';

export interface NotifyInput {
  userId: number;
  kind: NotificationKind;
  threadId: number;
  postId: number;
  actor: { id: number; username: string };
}

/** A notification joined with what it shows. */
const selectShaped = (db: Db) =>
  db
    .selectFrom('notifications as n')
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .leftJoin('threads as t', 't.id', 'n.thread_id')
    .leftJoin('posts as p', 'p.id', 'n.post_id')
    .select([
      'n.id',
      'n.kind',
      'n.actor_id',
      'a.username as actor_username',
      'n.actor_count',
      'n.thread_id',
      't.title as thread_title',
      'p.post_number',
      'n.read_at',
      'n.data',
      'n.created_at',
      'n.updated_at',
      'n.seq',
    ]);

type ShapedRow = Awaited<ReturnType<ReturnType<typeof selectShaped>['executeTakeFirstOrThrow']>>;

export function toNotification(r: ShapedRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    actor: r.actor_id !== null && r.actor_username !== null ? { id: r.actor_id, username: r.actor_username } : null,
    actorCount: r.actor_count,
    threadId: r.thread_id,
    threadTitle: r.thread_title,
    postNumber: r.post_number,
    read: r.read_at !== null,
    data: r.kind === 'like' ? {} : r.data,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    seq: r.seq,
  };
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Notifies one user, inside the caller's transaction, and announces it on their live channel
 * (delivered at commit). Likes group: while unread, one notification per post counts the
 * distinct people who liked it.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<void> {
  if (input.userId === input.actor.id) return;
  let id: number;
  if (input.kind === 'like') {
    const { rows } = await sql<{ id: number }>`
      insert into notifications (user_id, kind, thread_id, post_id, actor_id, data)
      values (${input.userId}, 'like', ${input.threadId}, ${input.postId}, ${input.actor.id},
              jsonb_build_object('likers', jsonb_build_array(${input.actor.id}::bigint)))
      on conflict (user_id, post_id) where kind = 'like' and read_at is null do update set
        actor_id = excluded.actor_id,
        data = case when notifications.data->'likers' @> to_jsonb(excluded.actor_id)
                    then notifications.data
                    else jsonb_set(notifications.data, '{likers}', (notifications.data->'likers') || to_jsonb(excluded.actor_id)) end,
        actor_count = case when notifications.data->'likers' @> to_jsonb(excluded.actor_id)
                    then notifications.actor_count else notifications.actor_count + 1 end,
        seq = nextval('notification_seq'),
        updated_at = now()
      returning id`.execute(tx);
    id = rows[0]?.id ?? 0;
  } else {
    const row = await tx
      .insertInto('notifications')
      .values({
        user_id: input.userId,
        kind: input.kind,
        thread_id: input.threadId,
        post_id: input.postId,
        actor_id: input.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  const shaped = await selectShaped(tx).where('n.id', '=', id).executeTakeFirstOrThrow();
  const notification = toNotification(shaped);
  await publish(tx, {
    channel: `user:${input.userId}`,
    event: NotificationEvents.changed,
    cursor: notification.seq,
    data: { notification, unreadCount: await unreadCount(tx, input.userId) },
  });
}

export async function listNotifications(db: Db, userId: number, limit: number, beforeId?: number) {
  let query = selectShaped(db)
    .where('n.user_id', '=', userId)
    .orderBy('n.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (beforeId !== undefined) query = query.where('n.id', '<', beforeId);
  return query.execute();
}

/** Marks some (or all) of a user's notifications read and tells their other tabs. */
export async function markNotificationsRead(tx: Tx, userId: number, ids: number[] | 'all'): Promise<number> {
  let update = tx
    .updateTable('notifications')
    .set({ read_at: sql<Date>`now()`, seq: sql<number>`nextval('notification_seq')` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') update = update.where('id', 'in', ids);
  await update.execute();
  const count = await unreadCount(tx, userId);
  await publish(tx, {
    channel: `user:${userId}`,
    event: NotificationEvents.allRead,
    cursor: null,
    data: { unreadCount: count },
  });
  return count;
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

/**
 * Notifies many users at once (an idea's voters and author), in one statement, and announces
 * each notification on its user's live channel (delivered at commit). The actor is skipped.
 */
export async function notifyMany(
  tx: Tx,
  input: {
    userIds: number[];
    kind: NotificationKind;
    threadId: number;
    actorId: number | null;
    data: Record<string, unknown>;
  },
): Promise<number> {
  const userIds = [...new Set(input.userIds)].filter((id) => id !== input.actorId);
  if (!userIds.length) return 0;
  const { rows } = await sql<{ n: number }>`
    with inserted as (
      insert into notifications (user_id, kind, thread_id, actor_id, data)
      select u, ${input.kind}, ${input.threadId}, ${input.actorId}, ${JSON.stringify(input.data)}::jsonb
      from unnest(${userIds}::bigint[]) as u
      returning *
    ), announced as (
      select pg_notify(${PG_CHANNEL}, json_build_object(
        'channel', 'user:' || i.user_id,
        'event', ${NotificationEvents.changed}::text,
        'cursor', i.seq,
        'data', json_build_object(
          'notification', json_build_object(
            'id', i.id, 'kind', i.kind,
            'actor', case when a.id is null then null else json_build_object('id', a.id, 'username', a.username) end,
            'actorCount', i.actor_count, 'threadId', i.thread_id, 'threadTitle', t.title, 'postNumber', null,
            'read', false, 'data', i.data,
            'createdAt', to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'seq', i.seq),
          'unreadCount', (select count(*) from notifications n where n.user_id = i.user_id and n.read_at is null) + 1)
      )::text)
      from inserted i
      left join users a on a.id = i.actor_id
      left join threads t on t.id = i.thread_id
    )
    select count(*)::int as n from announced`.execute(tx);
  return rows[0]?.n ?? 0;
}

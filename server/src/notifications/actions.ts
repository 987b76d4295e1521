import { NotificationEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { publish } from '../db/bus';
import type { Tx } from '../db/tx';
import { announceInserted } from './announce';
import { threadLevel } from './levels';
import { toNotification } from './present';
import { selectShaped, unreadCount } from './queries';

export type NotificationKind =
  | 'reply'
  | 'mention'
  | 'quote'
  | 'like'
  /** New posts in a thread you watch, grouped per thread while unread (actor_count: how many). */
  | 'posted'
  /** A new thread in a category you watch or track. */
  | 'new_thread'
  | 'status'
  | 'merged'
  /** Your post was hidden by flags, or a moderator decided on it (data: reason, outcome, sanction). */
  | 'post_moderated'
  /** A moderator decided on a post you flagged (data: outcome). */
  | 'flag_outcome'
  /** You reached a trust level (data: level); about no thread. */
  | 'trust_level'
  /** Ideas you voted for (or wrote) are in a release (data: ReleasedNotificationData); sent by the release fan-out. */
  | 'released'
  /** Beta programs (about no thread): a manager accepted your application (data: program*, testerNumber). */
  | 'beta_accepted'
  /** A freed seat went to you from the waitlist (data: program*, testerNumber). */
  | 'beta_waitlisted_promoted'
  /** A manager rejected, waitlisted or removed you (data: program*, status, reason). */
  | 'beta_decided'
  /** Product managers, weekly: the top requests of the last 7 days (data: DigestData, dashboard/digest.ts). */
  | 'digest';

export interface NotifyInput {
  userId: number;
  kind: NotificationKind;
  threadId: number;
  postId: number;
  actor: { id: number; username: string };
}

/**
 * Notifies one user about a post, inside the caller's transaction, and announces it on their live
 * channel (delivered at commit); nothing when they muted its thread (or its category). Likes group: while unread, one notification per post counts the
 * distinct people who liked it.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<void> {
  if (input.userId === input.actor.id) return;
  if ((await threadLevel(tx, input.userId, input.threadId)) === 'muted') return;
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

/**
 * Notifies many users at once (an idea's voters and author), in one statement, and announces
 * each notification on its user's live channel (delivered at commit). The actor is skipped.
 */
export async function notifyMany(
  tx: Tx,
  input: {
    userIds: number[];
    kind: NotificationKind;
    /** null: about no thread (a held new thread that was rejected). */
    threadId: number | null;
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
      returning *, true as fresh
    ), ${announceInserted}
    select count(*)::int as n from announced`.execute(tx);
  return rows[0]?.n ?? 0;
}

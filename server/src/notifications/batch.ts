import { NotificationEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { type LiveMessage, publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';
import type { NotificationKind } from './actions';
import { toNotification } from './present';
import { selectShaped } from './queries';

/**
 * Notifications written in bulk (a release told 100,000 voters) are announced with one bus
 * message per batch instead of one pg_notify per person: each process then looks up the batch's
 * notifications of the users who have a socket on it (one query, one more for their unread
 * counts) and sends them the ordinary `notification` event on `user:<id>`. Clients see no
 * difference; users without a socket cost nothing but the insert.
 */
export const NOTIFICATION_BATCH_CHANNEL = 'notifications:batch';

/** A batch: notifications with ids in `ids` of users with ids in `users` (both inclusive). */
export interface NotificationBatch {
  users: [number, number];
  ids: [number, number];
  /** The kind the batch wrote: other notifications in the same id window were announced on their own. */
  kind: NotificationKind;
  /** [parts, part]: only users with id % parts = part (a fan-out part; others write the same windows). */
  modulo?: [number, number];
}

/** Announces a batch written in this transaction (delivered at commit). */
export async function publishNotificationBatch(tx: Tx, batch: NotificationBatch): Promise<void> {
  await publish(tx, { channel: NOTIFICATION_BATCH_CHANNEL, event: 'batch', cursor: null, data: batch });
}

function isRange(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => Number.isSafeInteger(v));
}

/** The batch of a bus message, or undefined when it is malformed. */
export function notificationBatch(data: unknown): NotificationBatch | undefined {
  const batch = data as Partial<NotificationBatch> | null;
  if (!batch || !isRange(batch.users) || !isRange(batch.ids) || typeof batch.kind !== 'string') return undefined;
  if (batch.modulo === undefined) return { users: batch.users, ids: batch.ids, kind: batch.kind };
  const [parts, part] = isRange(batch.modulo) ? batch.modulo : [0, 0];
  if (parts < 1 || part < 0 || part >= parts) return undefined;
  return { users: batch.users, ids: batch.ids, kind: batch.kind, modulo: [parts, part] };
}

/**
 * This process's part of a batch: the `notification` events for its subscribed users in the
 * batch's range (`listening`: the keys of its `user:` channels), handed to `deliver`.
 */
export async function deliverNotificationBatch(
  db: Db,
  batch: NotificationBatch,
  listening: string[],
  deliver: (message: LiveMessage) => void,
): Promise<number> {
  const [fromUser, toUser] = batch.users;
  const [parts, part] = batch.modulo ?? [1, 0];
  const userIds = listening.map(Number).filter((id) => id >= fromUser && id <= toUser && id % parts === part);
  if (!userIds.length) return 0;
  const [rows, counts] = await Promise.all([
    selectShaped(db)
      .where('n.user_id', '=', sql<number>`any(${userIds}::bigint[])`)
      .where('n.id', '>=', batch.ids[0])
      .where('n.id', '<=', batch.ids[1])
      .where('n.kind', '=', batch.kind)
      .select('n.user_id')
      .execute(),
    sql<{ user_id: number; n: number }>`
      select user_id, count(*)::int as n from notifications
      where user_id = any(${userIds}::bigint[]) and read_at is null group by user_id`.execute(db),
  ]);
  const unread = new Map(counts.rows.map((r) => [r.user_id, r.n]));
  for (const row of rows) {
    const notification = toNotification(row);
    deliver({
      channel: `user:${row.user_id}`,
      event: NotificationEvents.changed,
      cursor: notification.seq,
      data: { notification, unreadCount: unread.get(row.user_id) ?? 0 },
    });
  }
  return rows.length;
}

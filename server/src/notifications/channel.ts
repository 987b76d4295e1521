import type { ChannelKind } from '../live/hub';
import { notificationsSince } from './queries';

/**
 * `user:<id>`: events for one account (notifications, ended sessions). Only its owner may read
 * it. Its cursor is the notification seq: subscribing with one replays what changed since.
 */
export const userChannel: ChannelKind = {
  authorize: (user, key) => user !== null && String(user.id) === key,
  catchUp: (db, key, cursor) => notificationsSince(db, Number(key), cursor),
};

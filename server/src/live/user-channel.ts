import type { ChannelKind } from './hub';

/** `user:<id>`: events for one account (its sessions now; notifications later). Only its owner may read it. */
export const userChannel: ChannelKind = {
  authorize: (user, key) => user !== null && String(user.id) === key,
};

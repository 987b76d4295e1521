import type { ChannelKind } from '../live/hub';
import { moderationPolicy } from './policy';

/**
 * `review:1`: the review queue (there is one). Staff only. Its events say "changed" (a flag, a
 * claim, a decision): the queue and its counts reload. Coalesced, so a burst of decisions costs
 * each moderator a few reloads, not hundreds.
 */
export const reviewChannel: ChannelKind = {
  authorize: (user, key) => key === '1' && moderationPolicy.review(user).ok,
  coalesceMs: 500,
};

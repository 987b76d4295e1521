import { REVIEW_CHANNEL, ReviewChannelEvents } from '@fanlab/shared';
import { publish } from '../db/bus';
import type { Tx } from '../db/tx';

/** Tells every moderator's open queue that it changed (delivered at commit). */
export const queueChanged = (tx: Tx) =>
  publish(tx, { channel: REVIEW_CHANNEL, event: ReviewChannelEvents.changed, cursor: null, data: {} });

/** One step of a review item's history (flagged, queued, claimed, decided …), with its actor. */
export const history = (tx: Tx, reviewableId: number, actorId: number | null, action: string, data: object = {}) =>
  tx
    .insertInto('reviewable_history')
    .values({ reviewable_id: reviewableId, actor_id: actorId, action, data: JSON.stringify(data) })
    .execute();

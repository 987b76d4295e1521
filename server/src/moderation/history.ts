import { REVIEW_CHANNEL, type ReviewableStatus, ReviewChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
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

/**
 * Records a decision on the item row: its status, the next version, who decided and when; the
 * claim ends. `target`: a held post's post and thread, once it became one.
 */
export const markDecided = (
  tx: Tx,
  item: { id: number },
  decision: { status: ReviewableStatus; version: number; actorId: number },
  target: { post_id?: number | null; thread_id?: number | null } = {},
) =>
  tx
    .updateTable('reviewables')
    .set({
      status: decision.status,
      version: decision.version,
      ...target,
      decided_at: sql<Date>`now()`,
      decided_by: decision.actorId,
      claimed_by: null,
      claimed_at: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', item.id)
    .execute();

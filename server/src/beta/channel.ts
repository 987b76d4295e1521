import { BetaChannelEvents, type BetaSeats } from '@fanlab/shared';
import { publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';
import type { ChannelKind } from '../live/hub';
import { betaPolicy } from './policy';
import { seatsOf } from './queries';

/** Seats are states: clients get at most 4 updates a second per program, the last one true. */
export const BETA_COALESCE_MS = 250;

const seatsMessage = (programId: number, seats: BetaSeats) => ({
  channel: `beta:${programId}`,
  event: BetaChannelEvents.seats,
  cursor: seats.version,
  data: seats,
});

/** Announces a program's seats as they are in this transaction (delivered at commit). */
export async function publishSeats(tx: Tx, programId: number): Promise<void> {
  const seats = await seatsOf(tx, programId);
  if (seats) await publish(tx, seatsMessage(programId, seats));
}

/**
 * `beta:<programId>`: a program's seats left (in all and per device model) and its waitlist's
 * length, for everyone who may see the program (drafts: their managers). Each event carries the
 * whole state, so throttling may drop all but the last; its cursor is the program's seats version.
 */
export const betaChannel: ChannelKind = {
  coalesceMs: BETA_COALESCE_MS,
  async authorize(user, key, db) {
    const id = Number(key);
    if (!Number.isSafeInteger(id)) return false;
    const program = await db.selectFrom('beta_programs').select('state').where('id', '=', id).executeTakeFirst();
    return program !== undefined && betaPolicy.see(user, program).ok;
  },
  async catchUp(db: Db, key, cursor) {
    const seats = await seatsOf(db, Number(key));
    if (!seats) return null;
    if (seats.version <= cursor) return { events: [], cursor: seats.version };
    return { cursor: seats.version, events: [seatsMessage(Number(key), seats)] };
  },
};

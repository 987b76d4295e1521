import type { BetaSeats } from '@fanlab/shared';

/**
 * A program's seats as the reader sees them, from two sources that arrive in any order: the
 * program loaded over HTTP and `seats` events on `beta:<id>`. `version` orders them (the channel's
 * cursor): whatever carries the highest version is the truth, older news is ignored.
 */

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** A live event's data as BetaSeats, or undefined when it is not one (a newer server, a bad frame). */
export function seatsFromEvent(data: unknown): BetaSeats | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = data as Record<string, unknown>;
  const { seats, accepted, seatsLeft, waitlistLength, version, devices } = value;
  if (![seats, accepted, seatsLeft, waitlistLength, version].every(isCount) || !Array.isArray(devices)) {
    return undefined;
  }
  const models: BetaSeats['devices'] = [];
  for (const device of devices as unknown[]) {
    const entry = device as Record<string, unknown> | null;
    if (typeof entry?.model !== 'string' || !isCount(entry.seatsLeft)) return undefined;
    models.push({ model: entry.model, seatsLeft: entry.seatsLeft });
  }
  return {
    seats: seats as number,
    accepted: accepted as number,
    seatsLeft: seatsLeft as number,
    waitlistLength: waitlistLength as number,
    devices: models,
    version: version as number,
  };
}

/** The newer of two states (the snapshot wins a tie: it carries everything the event did). */
export function newerSeats(snapshot: BetaSeats, live: BetaSeats | undefined): BetaSeats {
  return live && live.version > snapshot.version ? live : snapshot;
}

/** What the cache keeps from events: a newer event replaces it, an older one is dropped. */
export function withLiveSeats(known: BetaSeats | undefined, event: BetaSeats): BetaSeats {
  return known && known.version >= event.version ? known : event;
}

/** Seats left for one device model now (the total when the model is unknown to the state). */
export function seatsLeftFor(seats: BetaSeats, model: string): number {
  return seats.devices.find((device) => device.model === model)?.seatsLeft ?? seats.seatsLeft;
}

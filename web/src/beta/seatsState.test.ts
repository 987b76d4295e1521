import type { BetaSeats } from '@fanlab/shared';
import { describe, expect, it } from 'vitest';
import { newerSeats, seatsFromEvent, seatsLeftFor, withLiveSeats } from './seatsState';

const state = (version: number, seatsLeft: number): BetaSeats => ({
  seats: 50,
  accepted: 50 - seatsLeft,
  seatsLeft,
  waitlistLength: 0,
  devices: [
    { model: 'Nova 3', seatsLeft: Math.min(seatsLeft, 5) },
    { model: 'Nova 3 Pro', seatsLeft },
  ],
  version,
});

describe('seats from the program and the live channel', () => {
  it('shows the loaded program until a newer event arrives, then the event', () => {
    const loaded = state(7, 10);
    expect(newerSeats(loaded, undefined)).toBe(loaded);
    expect(newerSeats(loaded, state(6, 12))).toBe(loaded); // an event older than the page
    expect(newerSeats(loaded, state(7, 10))).toBe(loaded); // the same news
    const event = state(8, 9);
    expect(newerSeats(loaded, event)).toBe(event);
  });

  it('a reload newer than the last event wins over it', () => {
    expect(newerSeats(state(12, 4), state(9, 7)).seatsLeft).toBe(4);
  });

  it('keeps the newest event when they arrive out of order', () => {
    let known: BetaSeats | undefined;
    for (const version of [3, 5, 4, 2, 6]) known = withLiveSeats(known, state(version, 20 - version));
    expect(known?.version).toBe(6);
    expect(known?.seatsLeft).toBe(14);
    expect(withLiveSeats(known, state(6, 0))).toBe(known); // the same version twice: first one kept
  });

  it('reads an event only when it has the shape of seats', () => {
    const good = state(3, 2);
    expect(seatsFromEvent(good)).toEqual(good);
    expect(seatsFromEvent({ ...good, extra: true })).toEqual(good);
    expect(seatsFromEvent(null)).toBeUndefined();
    expect(seatsFromEvent('seats')).toBeUndefined();
    expect(seatsFromEvent({ ...good, version: '3' })).toBeUndefined();
    expect(seatsFromEvent({ ...good, seatsLeft: 1.5 })).toBeUndefined();
    expect(seatsFromEvent({ ...good, devices: undefined })).toBeUndefined();
    expect(seatsFromEvent({ ...good, devices: [{ model: 'Nova 3' }] })).toBeUndefined();
  });

  it('gives the seats left for a device model, or the total for one it does not list', () => {
    const seats = state(1, 12);
    expect(seatsLeftFor(seats, 'Nova 3')).toBe(5);
    expect(seatsLeftFor(seats, 'Nova 3 Pro')).toBe(12);
    expect(seatsLeftFor(seats, 'Other')).toBe(12);
  });
});

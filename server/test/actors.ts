import type { Decision } from '@fanlab/shared';
import type { User } from 'lucia';

/** Who asks, for policy tables: every kind of reader a rule tells apart. */
type Actor = Pick<User, 'id' | 'role' | 'silenced_until'> | null;

/** The author of the resources in policy tables (threads, posts, ideas). */
export const AUTHOR_ID = 1;
const silencedUntil = new Date(Date.now() + 3_600_000);

export const actors = {
  anonymous: null,
  member: { id: 2, role: 'member', silenced_until: null },
  'silenced member': { id: 3, role: 'member', silenced_until: silencedUntil },
  author: { id: AUTHOR_ID, role: 'member', silenced_until: null },
  'silenced author': { id: AUTHOR_ID, role: 'member', silenced_until: silencedUntil },
  moderator: { id: 4, role: 'moderator', silenced_until: null },
  product_manager: { id: 5, role: 'product_manager', silenced_until: null },
  admin: { id: 6, role: 'admin', silenced_until: null },
} as const satisfies Record<string, Actor>;

export type ActorName = keyof typeof actors;
const actorNames = Object.keys(actors) as ActorName[];

/** 'ok', or the reason of a refusal. */
export type Expected = 'ok' | string;

/**
 * A policy table: one row per (rule, resource state), with what each actor gets, in the order of
 * `actors` (anonymous, member, silenced member, author, silenced author, moderator,
 * product_manager, admin). Returns one case per cell, for it.each.
 */
export function policyTable(
  rows: Array<[rule: string, state: string, decide: (actor: Actor) => Decision<string>, expected: Expected[]]>,
) {
  return rows.flatMap(([rule, state, decide, expected]) => {
    if (expected.length !== actorNames.length) throw new Error(`${rule} · ${state}: one expectation per actor`);
    return actorNames.map((name, i) => ({
      name: `${rule} · ${state} · ${name}`,
      decide: () => decide(actors[name]),
      expected: expected[i] as Expected,
    }));
  });
}

/** A decision as the tables write it. */
export const outcome = (decision: Decision<string>): Expected => (decision.ok ? 'ok' : decision.reason);

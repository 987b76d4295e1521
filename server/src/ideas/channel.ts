import { type IdeaChannelEvent, IdeaChannelEvents, type IdeaStatus } from '@fanlab/shared';
import { type RawBuilder, sql } from 'kysely';
import type { LiveMessage } from '../db/bus';
import type { ChannelKind } from '../live/hub';

/** What every `idea:<id>` event carries: the idea's whole live state (a throttled channel may
 * drop an earlier event in favour of a later one, so each must be complete). */
export interface IdeaLiveState {
  id: number;
  status: IdeaStatus;
  vote_count: number;
  vote_version: number;
}

/** The `idea:<id>` announcement of an idea's state (`votes` after votes, `status` after triage). */
export function ideaStateMessage(idea: IdeaLiveState, event: IdeaChannelEvent): LiveMessage {
  return {
    channel: `idea:${idea.id}`,
    event,
    cursor: idea.vote_version,
    data: { status: idea.status, voteCount: idea.vote_count, voteVersion: idea.vote_version },
  };
}

/**
 * The same announcement built by PostgreSQL from the row `alias` (with id, status, vote_count and
 * vote_version), for a statement that writes and announces at once (votes.ts, writeVoteRows).
 */
export function ideaStateMessageSql(alias: string, event: IdeaChannelEvent): RawBuilder<string> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<string>`json_build_object(
      'channel', 'idea:' || ${column('id')}, 'event', ${event}::text, 'cursor', ${column('vote_version')},
      'data', json_build_object('status', ${column('status')}, 'voteCount', ${column('vote_count')},
                                'voteVersion', ${column('vote_version')}))::text`;
}

/** Vote counts are states: clients get at most 4 updates a second per idea, the last one true. */
export const IDEA_COALESCE_MS = 250;

/**
 * `idea:<id>`: live vote count and status of one idea. Anyone may read it (ideas are public).
 * Its cursor is the idea's vote version: subscribing with an older one sends the current state.
 */
export const ideaChannel: ChannelKind = {
  coalesceMs: IDEA_COALESCE_MS,
  async authorize(_user, key, db) {
    const id = Number(key);
    if (!Number.isSafeInteger(id)) return false;
    const idea = await db
      .selectFrom('threads')
      .select('id')
      .where('id', '=', id)
      .where('kind', '=', 'idea')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return idea !== undefined;
  },
  async catchUp(db, key, cursor) {
    const idea = await db
      .selectFrom('threads')
      .select(['id', 'status', 'vote_count', 'vote_version'])
      .where('id', '=', Number(key))
      .executeTakeFirstOrThrow();
    if (idea.vote_version <= cursor) return { events: [], cursor: idea.vote_version };
    // the state is small: one snapshot event replaces everything missed
    return { cursor: idea.vote_version, events: [ideaStateMessage(idea, IdeaChannelEvents.status)] };
  },
};

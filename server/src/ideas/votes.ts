import {
  CLOSED_IDEA_STATUSES,
  ErrorCodes,
  IdeaChannelEvents,
  type IdeaStatus,
  type SiteSettings,
} from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { notifySql } from '../db/bus';
import type { Db } from '../db/connect';
import { GroupCommit, type Waiter } from '../db/group-commit';
import type { Tx } from '../db/tx';
import { AppError, notFound } from '../http/errors';
import { hitMany, type Limit, rateLimited } from '../http/rate-limit';
import { type IdeaLiveState, ideaStateMessageSql } from './channel';
import { heldVoters, openVotes } from './vote-rows';

export interface VoteResult {
  voted: boolean;
  /** Saved but not counted: a new member's vote (see vote-rows.ts). */
  held: boolean;
  voteCount: number;
  voteVersion: number;
  budgetLeft: number | null;
}

interface Pending extends Waiter<VoteResult> {
  ideaId: number;
  userId: number;
  vote: boolean;
}

interface IdeaRow {
  id: number;
  status: IdeaStatus;
  category_id: number;
  vote_budget: number | null;
  vote_count: number;
  vote_version: number;
}

const MAX_BATCH = 1000;

const ideaClosed = () => new AppError(409, ErrorCodes.ideaClosed, 'This idea is closed: its votes are final.');
const budgetExhausted = (budget: number) =>
  new AppError(
    409,
    ErrorCodes.voteBudgetExhausted,
    `You hold all ${budget} votes of this category: take one back first.`,
  );
const tooMany = (retryAfter: number) => rateLimited(retryAfter, 'votes');
const voteKey = (userId: number) => `vote:user:${userId}`;

/**
 * Writes a batch's counted votes (`toInsert`) and take-backs (`toDelete`), as `[idea, user]`
 * pairs, in one statement: clears their held votes, makes a vote where a merge already counts
 * the voter their own (unmerging keeps it), inserts and deletes the rows, moves each idea's
 * counter by the rows really changed, and announces each changed idea on its channel. The ideas
 * must be locked by the caller's transaction (the counters' rows). Returns the changed ideas'
 * state after it. The rows' trigger keeps the sort keys and statistics (`idea_recent_votes`:
 * all votes, trending score, windows; months), migration 0032: no index of `threads` holds the
 * counter, so its update is a HOT one.
 *
 * One statement, not one per step: on a machine where PostgreSQL and the server share the cores,
 * each round trip wakes a backend and costs more than the step itself.
 */
export async function writeVoteRows(
  tx: Tx,
  toInsert: [number, number][],
  toDelete: [number, number][],
): Promise<IdeaLiveState[]> {
  if (!toInsert.length && !toDelete.length) return [];
  const column = (pairs: [number, number][], i: 0 | 1) => pairs.map((p) => p[i]);
  const { rows } = await sql<IdeaLiveState>`
    with
      counted(idea_id, user_id) as (select * from unnest(${column(toInsert, 0)}::bigint[], ${column(toInsert, 1)}::bigint[])),
      taken(idea_id, user_id) as (select * from unnest(${column(toDelete, 0)}::bigint[], ${column(toDelete, 1)}::bigint[])),
      cleared as (
        delete from held_votes h
        using (select * from counted union all select * from taken) d
        where h.idea_id = d.idea_id and h.user_id = d.user_id),
      unmerged as (
        update idea_votes v set merge_id = null from counted d
        where v.idea_id = d.idea_id and v.user_id = d.user_id and v.merge_id is not null),
      inserted as (
        insert into idea_votes (idea_id, user_id) select idea_id, user_id from counted
        on conflict do nothing
        returning idea_id, 1 as delta),
      deleted as (
        delete from idea_votes v using taken d
        where v.idea_id = d.idea_id and v.user_id = d.user_id
        returning v.idea_id, -1 as delta),
      moved as (
        select idea_id, sum(delta)::int as delta
        from (select * from inserted union all select * from deleted) c group by idea_id),
      updated as (
        update threads t set vote_count = t.vote_count + m.delta, vote_version = t.vote_version + 1
        from moved m where t.id = m.idea_id
        returning t.id, t.vote_count, t.vote_version, t.status)
    select id, vote_count, vote_version, status, ${notifySql(ideaStateMessageSql('updated', IdeaChannelEvents.votes))}
    from updated`.execute(tx);
  return rows;
}

/**
 * Group commit for votes. Requests that arrive while a batch is being written wait for the
 * next one; each batch is one transaction that rate-limits, checks, inserts/deletes vote rows,
 * moves each idea's counter by the rows really changed, and announces each changed idea once.
 * A request is answered only after its batch committed, so every acknowledged vote is durable,
 * and counts always equal the rows (one hot row lock per batch, not per vote).
 */
export class VoteWriter {
  private readonly commits: GroupCommit<VoteResult, Pending>;

  constructor(
    private readonly db: Db,
    private readonly limit: Limit,
    log: FastifyBaseLogger,
    /** The site settings now (whether new members' votes are held). */
    private readonly settings: () => Pick<SiteSettings, 'newMemberVotesHeld'>,
  ) {
    this.commits = new GroupCommit((batch) => this.writeBatch(batch), log, { what: 'vote', maxBatch: MAX_BATCH });
  }

  submit(ideaId: number, userId: number, vote: boolean): Promise<VoteResult> {
    return this.commits.submit((resolve, reject) => ({ ideaId, userId, vote, resolve, reject }));
  }

  /** Waits for queued votes to be written (graceful shutdown). */
  close(): Promise<void> {
    return this.commits.close();
  }

  private async writeBatch(batch: Pending[]) {
    const settled = new Set<Pending>();
    const fail = (p: Pending, err: unknown) => {
      settled.add(p);
      p.reject(err);
    };
    // 1. Rate limit every voter by the number of requests they have in this batch, in a statement
    //    of its own before the batch's transaction: the voters' counter rows are locked for that
    //    statement only, not while the batch writes (two processes' batches of the same voters
    //    queued on them). Requests are counted as made even should the batch then fail.
    const perUser = new Map<number, number>();
    for (const p of batch) perUser.set(p.userId, (perUser.get(p.userId) ?? 0) + 1);
    const windows = await hitMany(
      this.db,
      [...perUser].map(([userId, hits]) => ({ key: voteKey(userId), hits })),
      this.limit,
    );
    const overLimit = new Map<number, number>();
    for (const userId of perUser.keys()) {
      const window = windows.get(voteKey(userId));
      if (window && window.hits > this.limit.max) overLimit.set(userId, window.retryAfter);
    }

    const results = await this.db.transaction().execute(async (tx) => {
      // 2. Lock the ideas (in id order, like every writer of these rows: no deadlocks).
      const ideaIds = [...new Set(batch.map((p) => p.ideaId))].sort((a, b) => a - b);
      const ideaRows = await sql<IdeaRow>`
        select t.id, t.status, t.category_id, c.vote_budget, t.vote_count, t.vote_version
        from threads t join categories c on c.id = t.category_id
        where t.id = any(${ideaIds}::bigint[]) and t.kind = 'idea' and t.deleted_at is null
        order by t.id
        for update of t`.execute(tx);
      const ideas = new Map(ideaRows.rows.map((r) => [r.id, r]));

      // 3. The wanted state per (idea, user): the last request wins within a batch.
      const wanted = new Map<string, Pending[]>();
      for (const p of batch) {
        const idea = ideas.get(p.ideaId);
        if (!idea) fail(p, notFound('The idea'));
        else if (CLOSED_IDEA_STATUSES.includes(idea.status)) fail(p, ideaClosed());
        else if (overLimit.has(p.userId)) fail(p, tooMany(overLimit.get(p.userId) ?? 1));
        else {
          const key = `${p.ideaId}:${p.userId}`;
          wanted.set(key, [...(wanted.get(key) ?? []), p]);
        }
      }

      // 4. New members whose votes are held (their rows locked: see heldVoters).
      const holdFor = await heldVoters(
        tx,
        [...new Set([...wanted.values()].map((r) => (r[0] as Pending).userId))],
        this.settings(),
      );

      // 5. Budgets: in categories with one, a member holds at most N votes on open ideas.
      const budgetLeft = await this.applyBudgets(tx, wanted, ideas, fail);

      const toInsert: [number, number][] = [];
      const toHold: [number, number][] = [];
      const toDelete: [number, number][] = [];
      for (const requests of wanted.values()) {
        const last = requests[requests.length - 1] as Pending;
        const pair: [number, number] = [last.ideaId, last.userId];
        if (!last.vote) toDelete.push(pair);
        else if (holdFor.has(last.userId)) toHold.push(pair);
        else toInsert.push(pair);
      }
      const heldNow = await this.writeHeld(tx, toHold);
      // 6. One statement writes the rows and moves each idea's counter by the rows really
      //    changed, and announces each changed idea once (delivered at commit).
      const updated = await writeVoteRows(tx, toInsert, toDelete);
      for (const u of updated) {
        const idea = ideas.get(u.id);
        if (idea) Object.assign(idea, { vote_count: u.vote_count, vote_version: u.vote_version });
      }
      return { ideas, budgetLeft, heldNow };
    });

    for (const p of batch) {
      if (settled.has(p)) continue;
      const idea = results.ideas.get(p.ideaId) as IdeaRow;
      p.resolve({
        voted: p.vote,
        held: p.vote && results.heldNow.has(`${p.ideaId}:${p.userId}`),
        voteCount: idea.vote_count,
        voteVersion: idea.vote_version,
        budgetLeft:
          idea.vote_budget === null ? null : (results.budgetLeft.get(`${idea.category_id}:${p.userId}`) ?? null),
      });
    }
  }

  /**
   * Held votes: saved in `held_votes`, never in a counter. A member who already has a counted
   * vote keeps it (a staff demotion to TL0 does not uncount it); a counted vote or a take-back
   * clears any held one (writeVoteRows). Returns the `idea:user` pairs held after the batch.
   */
  private async writeHeld(tx: Tx, toHold: [number, number][]): Promise<Set<string>> {
    if (!toHold.length) return new Set();
    const ideaIds = toHold.map((v) => v[0]);
    const userIds = toHold.map((v) => v[1]);
    await sql`
      insert into held_votes (idea_id, user_id)
      select d.idea_id, d.user_id from unnest(${ideaIds}::bigint[], ${userIds}::bigint[]) as d(idea_id, user_id)
      where not exists (select 1 from idea_votes v where v.idea_id = d.idea_id and v.user_id = d.user_id)
      on conflict do nothing`.execute(tx);
    const { rows } = await sql<{ idea_id: number; user_id: number }>`
      select h.idea_id, h.user_id from held_votes h
      join unnest(${ideaIds}::bigint[], ${userIds}::bigint[]) as d(idea_id, user_id)
        on h.idea_id = d.idea_id and h.user_id = d.user_id`.execute(tx);
    return new Set(rows.map((r) => `${r.idea_id}:${r.user_id}`));
  }

  /**
   * Refuses votes past a category's budget and returns the votes left per `category:user`.
   * Voter rows are locked so two batches (or processes) cannot both spend the last vote.
   */
  private async applyBudgets(
    tx: Tx,
    wanted: Map<string, Pending[]>,
    ideas: Map<number, IdeaRow>,
    fail: (p: Pending, err: unknown) => void,
  ): Promise<Map<string, number>> {
    const left = new Map<string, number>();
    const budgeted = [...wanted.values()].filter((r) => ideas.get((r[0] as Pending).ideaId)?.vote_budget != null);
    if (!budgeted.length) return left;
    const userIds = [...new Set(budgeted.map((r) => (r[0] as Pending).userId))].sort((a, b) => a - b);
    await sql`select id from users where id = any(${userIds}::bigint[]) order by id for update`.execute(tx);
    const holding = new Map<string, Set<number>>();
    for (const h of await openVotes(tx, userIds)) {
      const key = `${h.category_id}:${h.user_id}`;
      holding.set(key, (holding.get(key) ?? new Set()).add(h.idea_id));
    }
    for (const [pair, requests] of wanted) {
      const last = requests[requests.length - 1] as Pending;
      const idea = ideas.get(last.ideaId) as IdeaRow;
      if (idea.vote_budget === null) continue;
      const key = `${idea.category_id}:${last.userId}`;
      const mine = holding.get(key) ?? new Set<number>();
      holding.set(key, mine);
      if (last.vote && !mine.has(idea.id) && mine.size >= idea.vote_budget) {
        for (const p of requests) fail(p, budgetExhausted(idea.vote_budget));
        wanted.delete(pair);
        continue;
      }
      if (last.vote) mine.add(idea.id);
      else mine.delete(idea.id);
    }
    for (const [key, mine] of holding) {
      const categoryId = Number(key.split(':')[0]);
      const budget = [...ideas.values()].find((i) => i.category_id === categoryId)?.vote_budget;
      if (budget != null) left.set(key, Math.max(0, budget - mine.size));
    }
    return left;
  }
}

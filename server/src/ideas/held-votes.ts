import { CLOSED_IDEA_STATUSES, IdeaChannelEvents, type IdeaStatus, type SiteSettings } from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { publishMany } from '../db/bus';
import type { Db } from '../db/connect';
import { type Tx, withTx } from '../db/tx';
import { isDatabaseUnavailable } from '../db/unavailable';
import { ideaStateMessage } from './channel';
import { openVotes, votesNoLongerHeld } from './vote-rows';

/**
 * Held votes are released (counted) when their member reaches trust level 1, or when staff turn
 * `newMemberVotesHeld` off. The change that makes them due (a promotion: `trust:raised` on the
 * live bus; a settings change) is heard by every process, which releases in a transaction of its
 * own after that change committed: releasing inside the promoting transaction would lock ideas
 * while it already holds a thread or a user (a reply's), against the vote writer's order (ideas,
 * then users): a deadlock in a vote storm. Startup, every bus reconnect and a sweep every few
 * minutes release whatever is due, so a request lost with a crashed process, or a vote written
 * by a batch that read the setting just before it changed, is still served. Releasing twice is
 * harmless: the second finds nothing.
 */

const SWEEP_EVERY_MS = 5 * 60_000;

export interface Released {
  /** Held votes now counted. */
  counted: number;
  /** Held votes dropped: their idea closed or was deleted meanwhile, or the voter has a vote there already. */
  dropped: number;
  /** More were due than one round takes (`max`): run again. */
  more: boolean;
}

interface IdeaRow {
  id: number;
  status: IdeaStatus;
  category_id: number;
  vote_budget: number | null;
  deleted_at: Date | null;
  merged_into_id: number | null;
}

/** Where a vote on each idea counts now: the idea, or the end of its chain of merges. */
async function destinations(tx: Tx, ideaIds: number[]): Promise<Map<number, number>> {
  const { rows } = await sql<{ start_id: number; dest_id: number }>`
    with recursive chain (start_id, id, status, merged_into_id, depth) as (
      select t.id, t.id, t.status, t.merged_into_id, 0 from threads t where t.id = any(${ideaIds}::bigint[])
      union all
      select c.start_id, n.id, n.status, n.merged_into_id, c.depth + 1
      from chain c join threads n on n.id = c.merged_into_id
      where c.status = 'duplicate' and c.depth < 100
    )
    select distinct on (start_id) start_id, id as dest_id from chain order by start_id, depth desc`.execute(tx);
  return new Map(rows.map((r) => [r.start_id, r.dest_id]));
}

/**
 * Counts the held votes now due (of `userIds`, or of everyone), at most `max` of them, as if
 * each had counted from the moment it was cast (its time is kept, so is its trending weight):
 * - a vote on an idea since merged counts on the idea it was merged into (the end of the
 *   chain), as the voter's own vote there, unless they have one there already;
 * - a vote on an idea since closed (shipped, declined) or deleted is dropped: votes on closed
 *   ideas are final;
 * - a category's budget is respected (a held vote spent it already; one that followed a merge
 *   into a category whose budget is spent is dropped).
 * Ideas are locked in id order, then voters in id order, like the vote writer; each idea whose
 * count moved is announced once.
 */
export async function releaseHeldVotes(
  tx: Tx,
  settings: Pick<SiteSettings, 'newMemberVotesHeld'>,
  userIds: number[] | null,
  max = 1000,
): Promise<Released> {
  const forUsers = userIds === null ? sql`true` : sql`h.user_id = any(${userIds}::bigint[])`;
  const due = await sql<{ idea_id: number; user_id: number }>`
    select h.idea_id, h.user_id from held_votes h join users u on u.id = h.user_id
    where ${forUsers} and ${votesNoLongerHeld(settings)}
    order by h.user_id, h.idea_id limit ${max + 1}`.execute(tx);
  const more = due.rows.length > max;
  const candidates = due.rows.slice(0, max);
  if (!candidates.length) return { counted: 0, dropped: 0, more: false };

  const sources = [...new Set(candidates.map((c) => c.idea_id))];
  const seen = await destinations(tx, sources);
  const lockIds = [...new Set([...sources, ...seen.values()])].sort((a, b) => a - b);
  const locked = await sql<IdeaRow>`
    select t.id, t.status, t.category_id, c.vote_budget, t.deleted_at, t.merged_into_id
    from threads t join categories c on c.id = t.category_id
    where t.id = any(${lockIds}::bigint[]) order by t.id for update of t`.execute(tx);
  const ideas = new Map(locked.rows.map((r) => [r.id, r]));
  const voterIds = [...new Set(candidates.map((c) => c.user_id))].sort((a, b) => a - b);
  await sql`select id from users where id = any(${voterIds}::bigint[]) order by id for update`.execute(tx);

  // A merge may have moved a chain on before the locks: those votes wait for the next round.
  const now = await destinations(tx, sources);
  const stable = candidates.filter((c) => {
    const dest = now.get(c.idea_id);
    return dest !== undefined && dest === seen.get(c.idea_id) && ideas.has(dest);
  });
  if (!stable.length) return { counted: 0, dropped: 0, more: true };
  const released = await sql<{ idea_id: number; user_id: number; created_at: Date }>`
    delete from held_votes h
    using unnest(${stable.map((c) => c.idea_id)}::bigint[], ${stable.map((c) => c.user_id)}::bigint[]) as d(idea_id, user_id),
      users u
    where h.idea_id = d.idea_id and h.user_id = d.user_id and u.id = h.user_id and ${votesNoLongerHeld(settings)}
    returning h.idea_id, h.user_id, h.created_at`.execute(tx);

  // Budgets: what each voter holds on open ideas per category, after this release's removals.
  const holding = new Map<string, Set<number>>();
  for (const v of await openVotes(tx, voterIds)) {
    const key = `${v.category_id}:${v.user_id}`;
    holding.set(key, (holding.get(key) ?? new Set()).add(v.idea_id));
  }
  const toCount: { idea_id: number; user_id: number; created_at: Date }[] = [];
  const ordered = [...released.rows].sort(
    (a, b) => a.user_id - b.user_id || a.created_at.getTime() - b.created_at.getTime(),
  );
  for (const vote of ordered) {
    const dest = ideas.get(now.get(vote.idea_id) as number) as IdeaRow;
    if (CLOSED_IDEA_STATUSES.includes(dest.status) || dest.deleted_at !== null) continue;
    const key = `${dest.category_id}:${vote.user_id}`;
    const mine = holding.get(key) ?? new Set<number>();
    holding.set(key, mine);
    // a vote there already (their own, a merge's, or another released one): nobody doubled
    if (mine.has(dest.id)) continue;
    if (dest.vote_budget !== null && mine.size >= dest.vote_budget) continue;
    mine.add(dest.id);
    toCount.push({ idea_id: dest.id, user_id: vote.user_id, created_at: vote.created_at });
  }

  let counted = 0;
  if (toCount.length) {
    // (the rows' trigger adds their trending weight and statistics, migration 0032)
    const inserted = await sql<{ idea_id: number }>`
      insert into idea_votes (idea_id, user_id, created_at)
      select * from unnest(${toCount.map((c) => c.idea_id)}::bigint[], ${toCount.map((c) => c.user_id)}::bigint[],
                           ${toCount.map((c) => c.created_at.toISOString())}::timestamptz[])
      on conflict do nothing
      returning idea_id`.execute(tx);
    counted = inserted.rows.length;
    const delta = new Map<number, number>();
    for (const r of inserted.rows) delta.set(r.idea_id, (delta.get(r.idea_id) ?? 0) + 1);
    const changed = [...delta].sort((a, b) => a[0] - b[0]);
    if (changed.length) {
      const updated = await sql<{ id: number; vote_count: number; vote_version: number; status: IdeaStatus }>`
        update threads t set vote_count = t.vote_count + d.n, vote_version = t.vote_version + 1
        from unnest(${changed.map((c) => c[0])}::bigint[], ${changed.map((c) => c[1])}::int[]) as d(id, n)
        where t.id = d.id
        returning t.id, t.vote_count, t.vote_version, t.status`.execute(tx);
      await publishMany(
        tx,
        updated.rows.map((u) => ideaStateMessage(u, IdeaChannelEvents.votes)),
      );
    }
  }
  return { counted, dropped: released.rows.length - counted, more: more || stable.length < candidates.length };
}

/**
 * Runs releases for this process: requests heard on the bus are merged while one runs, and a
 * release of everyone's due goes round by round until none is left. Failures are logged; the
 * next request, restart or bus reconnect tries again.
 */
export class HeldVoteReleaser {
  private pending: Set<number> | 'all' | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly settings: () => Pick<SiteSettings, 'newMemberVotesHeld'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Releases everyone's due votes now and every `everyMs` (the safety net; see above). */
  start(everyMs = SWEEP_EVERY_MS): void {
    this.soon(null);
    this.sweep = setInterval(() => this.soon(null), everyMs);
    this.sweep.unref();
  }

  /** Releases these members' due votes (null: everyone's) soon. */
  soon(userIds: number[] | null): void {
    if (this.closed) return;
    if (userIds === null || this.pending === 'all') this.pending = 'all';
    else this.pending = new Set([...(this.pending ?? []), ...userIds]);
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when nothing is left to run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    this.pending = null;
    await this.idle();
  }

  private async run(): Promise<void> {
    while (this.pending !== null && !this.closed) {
      const request = this.pending;
      this.pending = null;
      const userIds = request === 'all' ? null : [...request];
      try {
        for (let round = 0; round < 1000 && !this.closed; round++) {
          const done = await withTx(this.db, (tx) => releaseHeldVotes(tx, this.settings(), userIds));
          if (done.counted || done.dropped) this.log.info({ ...done }, 'held votes released');
          if (!done.more) break;
        }
      } catch (err) {
        if (isDatabaseUnavailable(err)) {
          this.log.warn(
            { err: { message: (err as Error).message } },
            'releasing held votes failed: database unavailable',
          );
        } else this.log.error({ err }, 'releasing held votes failed');
      }
    }
  }
}

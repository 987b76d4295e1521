import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { type Tx, withTx } from '../db/tx';

/**
 * Votes within a time window (migration 0024): `idea_recent_votes.d<N>` is, per idea, how many
 * of its standing votes were cast at or after `vote_windows.starts_at` for N days. Triggers on
 * idea_votes keep that true for every vote added or removed; this moves each window's start
 * forward to now − N days and subtracts the votes that fell out, so the windows follow the clock.
 *
 * Vote statements hold the advisory lock shared; this takes it exclusively, so no vote is counted
 * against a start that is moving (it would be subtracted twice, or not at all).
 */
const LOCK = sql`hashtext('fanlab:vote_windows')`;

/** Moves every window's start to now − its days; returns how many votes left a window. */
export async function advanceVoteWindows(tx: Tx): Promise<number> {
  // vote statements wait behind this for as long as it runs: give way rather than stall them
  await sql`set local lock_timeout = '2s'`.execute(tx);
  await sql`select pg_advisory_xact_lock(${LOCK})`.execute(tx);
  const windows = await tx.selectFrom('vote_windows').select(['days', 'starts_at']).orderBy('days').execute();
  let left = 0;
  for (const window of windows) {
    const column = sql.ref(`d${window.days}`);
    const { rows } = await sql<{ n: number }>`
      with leaving as (
        select idea_id, count(*)::int as n from idea_votes
        where created_at >= ${window.starts_at} and created_at < now() - make_interval(days => ${window.days})
        group by idea_id
      ), moved as (
        update idea_recent_votes r set ${column} = r.${column} - l.n
        from leaving l where r.idea_id = l.idea_id
        returning l.n
      )
      select coalesce(sum(n), 0)::int as n from moved`.execute(tx);
    left += rows[0]?.n ?? 0;
    await tx
      .updateTable('vote_windows')
      .set({ starts_at: sql<Date>`now() - make_interval(days => ${window.days})` })
      .where('days', '=', window.days)
      .execute();
  }
  return left;
}

/** Keeps the windows moving in this process: at start and every `everyMs` (each process runs one). */
export class VoteWindowClock {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = withTx(this.db, advanceVoteWindows)
      .catch((err: unknown) => this.log.warn({ err }, 'vote windows: could not move them; trying again later'))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

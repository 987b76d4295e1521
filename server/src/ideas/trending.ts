import { sql } from 'kysely';
import type { Tx } from '../db/tx';

/**
 * Trending: every vote's weight doubles every 72 hours after an epoch (equivalently: votes decay
 * with a 72 h half-life), and an idea's trending score (`idea_recent_votes.trending`) is the sum
 * of its votes' weights, kept by the trigger of `idea_votes` (migration 0032) for every writer
 * of the rows: votes, held votes, merges, deletions.
 *
 * The epoch lives in the `trending_epoch` row. Left fixed, the exponent would pass float8's
 * limit (2^1024) about 8.4 years after it and every vote would fail, so `rebaseTrending` moves
 * it forward by whole half-lives and divides every score by the same power of two: exact, and
 * the order of ideas is unchanged. Maintenance runs it; it is due after REBASE_AFTER_DAYS.
 */
export const TRENDING_HALF_LIFE_SECONDS = 72 * 3600;
/** The epoch of the other time-based scores (new, hot): linear in time, they never overflow. */
export const SCORE_EPOCH = '2026-01-01T00:00:00Z';
/** Rebase when the epoch is this old: exponents stay below ~60 + log2(votes). */
export const REBASE_AFTER_DAYS = 180;
/*
 * A vote's weight, 2^((voted_at − epoch) / 72 h), is computed by the trigger of `idea_votes`
 * (migration 0032), which keeps `idea_recent_votes.trending` for every writer of the rows. Its
 * exponent is capped at 1000: should rebasing not have run for years (a restored old backup),
 * weights stop growing instead of overflowing, so votes never fail; the order is then coarse
 * until the next rebase. Tests check the kept scores against server/test/trending.ts.
 */

/**
 * Moves the trending epoch forward by whole half-lives when it is older than `afterDays`, and
 * scales every score by the same power of two. Returns how many half-lives it moved (0: not due).
 *
 * Give it a short transaction of its own (`withTx(db, rebaseTrending)`): it locks `trending_epoch` exclusively: vote batches read
 * the epoch (in the trigger of `idea_votes`) and hold their lock on it until they commit, so no batch mixes the old
 * epoch with rescaled scores. A short lock_timeout makes it give way to a busy vote storm; it is
 * tried again at the next maintenance round.
 */
export async function rebaseTrending(tx: Tx, afterDays = REBASE_AFTER_DAYS): Promise<number> {
  await sql`set local lock_timeout = '500ms'`.execute(tx);
  await sql`lock table trending_epoch in access exclusive mode`.execute(tx);
  const { rows } = await sql<{ halvings: number }>`
    select floor(extract(epoch from now() - epoch) / ${TRENDING_HALF_LIFE_SECONDS})::int as halvings
    from trending_epoch
    where epoch < now() - make_interval(days => ${afterDays})`.execute(tx);
  const halvings = rows[0]?.halvings ?? 0;
  if (halvings <= 0) return 0;
  // 2^-halvings underflows to 0 for scores whose votes are all ancient: they trend no more.
  await sql`update idea_recent_votes set trending = trending * power(2::float8, ${-halvings}::float8)
            where trending <> 0`.execute(tx);
  await sql`update trending_epoch
            set epoch = epoch + make_interval(secs => ${halvings}::float8 * ${TRENDING_HALF_LIFE_SECONDS})`.execute(tx);
  return halvings;
}

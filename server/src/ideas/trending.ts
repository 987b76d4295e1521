import { sql } from 'kysely';
import type { Db } from '../db/connect';

/** Votes count double every 72 hours after this instant (equivalently: decay with a 72 h half-life). */
export const TRENDING_EPOCH = '2026-01-01T00:00:00Z';
export const TRENDING_HALF_LIFE_SECONDS = 72 * 3600;

/** The weight of a vote cast at `column` (SQL), in the trending score. */
export const voteWeight = (column: string) =>
  sql<number>`power(2::float8, extract(epoch from ${sql.ref(column)} - ${TRENDING_EPOCH}::timestamptz) / ${TRENDING_HALF_LIFE_SECONDS})`;

/** Recomputes the trending score of some ideas from their vote rows (after merges). */
export async function recomputeTrending(tx: Db, ideaIds: number[]): Promise<void> {
  await sql`
    update threads t set trending_score = coalesce((
      select sum(${voteWeight('v.created_at')}) from idea_votes v where v.idea_id = t.id), 0)
    where t.id = any(${ideaIds}::bigint[])`.execute(tx);
}

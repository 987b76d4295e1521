import { sql } from 'kysely';
import { TRENDING_HALF_LIFE_SECONDS } from '../src/ideas/trending';

/** The cap on a weight's exponent (migration 0032's trigger applies the same). */
const MAX_EXPONENT = 1000;

/**
 * The ground truth of a trending score, written apart from the trigger that keeps it: the
 * weight of a vote cast at `column` (SQL), 2^((voted_at − epoch) / 72 h) with the exponent
 * capped; NULL when the column is (an outer join's missing vote), as callers sum it.
 */
export const voteWeight = (column: string) => {
  const exponent = sql<number>`(extract(epoch from ${sql.ref(column)} - (select epoch from trending_epoch)) / ${TRENDING_HALF_LIFE_SECONDS})`;
  return sql<number>`power(2::float8, case when ${exponent} > ${MAX_EXPONENT} then ${MAX_EXPONENT} else ${exponent} end)`;
};

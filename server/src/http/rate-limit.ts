import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { AppError } from './errors';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window kept in PostgreSQL (so every API process
 * shares it) and throws 429 with Retry-After when the window is full. One statement.
 */
export async function consume(db: Db, key: string, limit: Limit): Promise<void> {
  const { rows } = await sql<{ hits: number; retry_after: number }>`
    insert into rate_limits (key, window_ends_at, hits)
    values (${key}, now() + make_interval(secs => ${limit.windowSeconds}), 1)
    on conflict (key) do update set
      hits = case when rate_limits.window_ends_at <= now() then 1 else rate_limits.hits + 1 end,
      window_ends_at = case when rate_limits.window_ends_at <= now()
        then excluded.window_ends_at else rate_limits.window_ends_at end
    returning hits, ceil(extract(epoch from window_ends_at - now()))::int as retry_after`.execute(db);
  const row = rows[0];
  if (row && row.hits > limit.max) {
    const retryAfter = Math.max(1, row.retry_after);
    throw new AppError(
      429,
      ErrorCodes.rateLimited,
      `Too many attempts. Try again in ${retryAfter} seconds.`,
      { retryAfter },
      { 'retry-after': String(retryAfter) },
    );
  }
}

/** Forgets finished windows (run periodically). */
export async function deleteExpiredLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_ends_at', '<', sql<Date>`now()`).execute();
}

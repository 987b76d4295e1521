import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { AppError } from './errors';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

interface Window {
  hits: number;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/** Counts one hit against `key` in a fixed window kept in PostgreSQL (shared by every process). */
export async function hit(db: Db, key: string, limit: Limit): Promise<Window> {
  const { rows } = await sql<{ hits: number; retry_after: number }>`
    insert into rate_limits (key, window_ends_at, hits)
    values (${key}, now() + make_interval(secs => ${limit.windowSeconds}), 1)
    on conflict (key) do update set
      hits = case when rate_limits.window_ends_at <= now() then 1 else rate_limits.hits + 1 end,
      window_ends_at = case when rate_limits.window_ends_at <= now()
        then excluded.window_ends_at else rate_limits.window_ends_at end
    returning hits, ceil(extract(epoch from window_ends_at - now()))::int as retry_after`.execute(db);
  const row = rows[0];
  return { hits: row?.hits ?? 1, retryAfter: Math.max(1, row?.retry_after ?? limit.windowSeconds) };
}

/**
 * Counts several hits against several keys in one statement (a vote batch counts each voter's
 * requests at once). Returns each key's window.
 */
export async function hitMany(
  db: Db,
  hits: ReadonlyArray<{ key: string; hits: number }>,
  limit: Limit,
): Promise<Map<string, Window>> {
  if (!hits.length) return new Map();
  // Rows are locked in key order: two transactions counting the same keys (two processes' vote
  // batches) must never take them in opposite orders, or they deadlock.
  const { rows } = await sql<{ key: string; hits: number; retry_after: number }>`
    insert into rate_limits (key, window_ends_at, hits)
    select u.key, now() + make_interval(secs => ${limit.windowSeconds}), u.n
    from unnest(${hits.map((h) => h.key)}::text[], ${hits.map((h) => h.hits)}::int[]) as u(key, n)
    order by u.key
    on conflict (key) do update set
      hits = case when rate_limits.window_ends_at <= now() then excluded.hits else rate_limits.hits + excluded.hits end,
      window_ends_at = case when rate_limits.window_ends_at <= now()
        then excluded.window_ends_at else rate_limits.window_ends_at end
    returning key, hits, ceil(extract(epoch from window_ends_at - now()))::int as retry_after`.execute(db);
  return new Map(rows.map((r) => [r.key, { hits: r.hits, retryAfter: Math.max(1, r.retry_after) }]));
}

/** The hits counted against `key` in its current window, without adding one. */
export async function peek(db: Db, key: string): Promise<Window> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['hits', sql<number>`ceil(extract(epoch from window_ends_at - now()))::int`.as('retry_after')])
    .where('key', '=', key)
    .where('window_ends_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return { hits: row?.hits ?? 0, retryAfter: Math.max(1, row?.retry_after ?? 1) };
}

export function rateLimited(retryAfter: number, what = 'attempts'): AppError {
  return new AppError(
    429,
    ErrorCodes.rateLimited,
    `Too many ${what}. Try again in ${retryAfter} seconds.`,
    { retryAfter },
    { 'retry-after': String(retryAfter) },
  );
}

/**
 * Counts one hit against `key` and throws 429 with Retry-After when the window is full.
 * One statement.
 */
export async function consume(db: Db, key: string, limit: Limit): Promise<void> {
  const window = await hit(db, key, limit);
  if (window.hits > limit.max) throw rateLimited(window.retryAfter);
}

/** Forgets finished windows (run periodically). */
export async function deleteExpiredLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_ends_at', '<', sql<Date>`now()`).execute();
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// bigint (int8) columns: ids and count(*) results. They stay far below 2^53, so numbers are safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Db = Kysely<Database>;

export interface ConnectOptions {
  /** Pool size. */
  max?: number;
  onError?: (err: Error) => void;
  /** Called after every query (tests count queries per request with it). */
  onQuery?: () => void;
}

/** A Kysely instance over a pg pool. Every pooled client gets an error handler. */
export function connect(url: string, options: ConnectOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
  const onError = options.onError ?? (() => {});
  // An idle client whose connection dies emits 'error' on the pool; without a handler Node crashes.
  pool.on('error', onError);
  const onQuery = options.onQuery;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: onQuery ? () => onQuery() : undefined });
}

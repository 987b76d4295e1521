import { createHash } from 'node:crypto';
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
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    // Prepared statements (below) plan once: our queries are small index lookups whose best plan
    // does not depend on the parameter values, and planning cost more than running them.
    options: '-c plan_cache_mode=force_generic_plan',
  });
  const onError = options.onError ?? (() => {});
  // An idle client whose connection dies emits 'error' on the pool; without a handler Node crashes.
  pool.on('error', onError);
  pool.on('connect', usePreparedStatements);
  const onQuery = options.onQuery;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: onQuery ? () => onQuery() : undefined });
}

/** Statement shapes prepared so far (per process); past the cap, new shapes run unprepared. */
const preparedShapes = new Set<string>();
const MAX_PREPARED_SHAPES = 2_000;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Runs every parameterised data statement as a named prepared statement on its connection: the
 * server parses and plans each query shape once per connection instead of on every request
 * (planning cost more than execution for our small indexed reads). The name is a hash of the
 * SQL text, so one name always means one text. Schema changes happen before the app's first
 * query (migrations run first), so prepared plans do not go stale.
 */
function usePreparedStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && callback === undefined && PREPARABLE.test(text)) {
      const name = `f${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      if (preparedShapes.has(name) || preparedShapes.size < MAX_PREPARED_SHAPES) {
        preparedShapes.add(name);
        return query({ name, text, values });
      }
    }
    return query(...args);
  };
}

import { createHash } from 'node:crypto';
import {
  Kysely,
  type KyselyPlugin,
  type LimitNode,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  ValueNode,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// bigint (int8) columns: ids and count(*) results. They stay far below 2^53, so numbers are safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// date columns (a release's day) stay the text PostgreSQL sends, YYYY-MM-DD: a day, not a time in any zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Kysely<Database>;

export interface ConnectOptions {
  /** Pool size. */
  max?: number;
  /**
   * Longest wait for a connection, a free pooled one or a new one (unset: no limit). Past it
   * the query fails instead of queueing forever while the database is unreachable.
   */
  connectTimeoutMs?: number;
  /**
   * Longest a statement may run (unset or 0: no limit): the server cancels it (statement_timeout),
   * and a connection that gives no answer at all for twice as long (at most 5 s more; a frozen
   * or unreachable server) is closed, so the pool replaces it instead of reusing it.
   */
  queryTimeoutMs?: number;
  onError?: (err: Error) => void;
  /** Called after every query (tests count queries per request with it). */
  onQuery?: () => void;
}

/** A Kysely instance over a pg pool. Every pooled client gets an error handler. */
export function connect(url: string, options: ConnectOptions = {}): Db {
  const queryTimeoutMs = options.queryTimeoutMs || 0;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 0,
    // the server's own cancel (statement_timeout) comes first and keeps the connection
    query_timeout: queryTimeoutMs ? queryTimeoutMs + Math.min(queryTimeoutMs, 5_000) : undefined,
    // notices a dead peer on idle connections
    keepAlive: true,
    // Prepared statements (below) plan once: our queries are small index lookups whose best plan
    // does not depend on the parameter values, and planning cost more than running them.
    options: `-c plan_cache_mode=force_generic_plan${queryTimeoutMs ? ` -c statement_timeout=${queryTimeoutMs}` : ''}`,
  });
  const onError = options.onError ?? (() => {});
  // An idle client whose connection dies emits 'error' on the pool; without a handler Node crashes.
  pool.on('error', onError);
  pool.on('connect', (client) => {
    // A checked-out client whose connection dies (the server stopped, crashed, went away) emits
    // 'error' on itself, and the pool listens only while it is idle: without this handler Node
    // crashes. The query in flight fails with the same error, and the pool drops the client
    // when it is released.
    client.on('error', () => {});
    usePreparedStatements(client);
    closeWhenSilent(client);
  });
  const onQuery = options.onQuery;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new LimitsInSql()],
    log: onQuery ? () => onQuery() : undefined,
  });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Db, pg.Pool>();

/**
 * Writes every integer LIMIT into the SQL instead of sending it as a parameter. Our statements are
 * prepared and planned once for any parameters (below), and such a plan guesses a parameter's
 * limit at a tenth of the rows: on the dashboard's 100,000 ideas it chose parallel sorts (10 ms of
 * worker start a page, and both cores) over reading an index for the 51 rows asked for. With the
 * number in the SQL each page size is a statement of its own, planned for what it reads.
 */
class LimitsInSql implements KyselyPlugin {
  private readonly transformer = new (class extends OperationNodeTransformer {
    protected override transformLimit(node: LimitNode): LimitNode {
      const { limit } = node;
      if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value)) {
        return { ...node, limit: ValueNode.createImmediate(limit.value) };
      }
      return super.transformLimit(node);
    }
  })();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * The pg pool under a Db made by connect(), for what Kysely cannot do: COPY streams
 * (http/exports.ts). A client taken from it must be released, with the error if one broke it.
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Db was not made by connect(): it has no pool of its own');
  return pool;
}

/**
 * pg's query_timeout fails a query that got no answer in time but keeps the connection, with
 * the query still pending on it: the next user of that pooled client would wait behind it.
 * End such a connection instead.
 */
function closeWhenSilent(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((err: unknown) => {
      // end() marks the client as ending at once (the pool drops it when Kysely releases it
      // right after this error) and, with a query still pending, destroys the socket
      if (err instanceof Error && err.message === 'Query read timeout') client.end().catch(() => {});
      throw err;
    });
  };
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

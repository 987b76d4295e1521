import pg from 'pg';
import type { Config } from '../config';
import { connect, type Db } from './connect';
import { type EmbeddedCluster, startEmbeddedPostgres } from './embedded';
import { migrateToLatest } from './migrate';

export const EMBEDDED_DATABASE = 'fanlab';

export interface OpenDatabase {
  db: Db;
  /** Connection string of the database (used by the live listener). */
  url: string;
  /** Set when the embedded cluster is running. */
  embedded?: EmbeddedCluster;
  /** Applies pending migrations over a connection of their own, never bounded by the query timeout. */
  migrate(): Promise<string[]>;
  /** Closes the pool, then stops the embedded cluster if we started one. */
  close(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface OpenOptions {
  /** Use the embedded cluster another Fanlab process runs (operator tools). */
  attach?: boolean;
  /**
   * Bound every wait on the database by DB_CONNECT_TIMEOUT_MS and DB_QUERY_TIMEOUT_MS (the
   * server, which must answer 503 rather than hang). Operator tools run unbounded.
   */
  bounded?: boolean;
}

/** Opens the database: the one at DATABASE_URL, or the embedded cluster (restarted if it dies). */
export async function openDatabase(config: Config, log: Logger, options: OpenOptions = {}): Promise<OpenDatabase> {
  let embedded: EmbeddedCluster | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dir: config.dataDir,
      port: config.embeddedPgPort,
      attach: options.attach,
      log: (m) => log.info(m),
      warn: (m) => log.warn(m),
    });
    try {
      await ensureDatabase(embedded.url('postgres'), EMBEDDED_DATABASE);
    } catch (err) {
      await embedded.stop();
      throw err;
    }
    url = embedded.url(EMBEDDED_DATABASE);
  }
  const db = connect(url, {
    max: config.dbPoolSize,
    ...(options.bounded
      ? { connectTimeoutMs: config.dbConnectTimeoutMs, queryTimeoutMs: config.dbQueryTimeoutMs }
      : {}),
    onError: (err) => log.error({ err }, 'idle database client failed'),
  });
  const databaseUrl = url;
  return {
    db,
    url,
    embedded,
    async migrate() {
      const migrations = connect(databaseUrl, { max: 1 });
      try {
        return await migrateToLatest(migrations);
      } finally {
        await migrations.destroy();
      }
    },
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/** Creates `name` on the cluster behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      const from = template ? ` template ${client.escapeIdentifier(template)}` : '';
      await client.query(`create database ${client.escapeIdentifier(name)}${from}`);
    }
  } catch (err) {
    // a concurrent creator won the race
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

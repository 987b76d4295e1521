import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { knownMigrations, migrateWithinTransaction } from '../db/migrate';
import { type Progress, progressTicker, seconds } from './backup';
import {
  APP_SCHEMA,
  appliedMigrations,
  COPY_SETTINGS,
  columnList,
  listSequences,
  listTables,
  quoted,
  secondaryIndexes,
  userRelations,
} from './catalog';
import {
  BackupError,
  type BackupHeader,
  BackupReader,
  damaged,
  FORMAT_LINE,
  FORMAT_VERSION,
  isEndLine,
  isHeader,
  isTableStart,
  isTrailer,
  RowDigest,
  RowSplitter,
  type TableTrailer,
} from './format';

/** A backup file whose format line and header were read and accepted by this code. */
export interface OpenedBackup {
  file: string;
  header: BackupHeader;
  reader: BackupReader;
  close(): void;
}

/**
 * Opens `file` and checks, before any database is touched, that it is a Fanlab backup this code
 * can restore: known format, and a schema (migration list) that is this code's or an older one.
 */
export async function openBackup(file: string): Promise<OpenedBackup> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const close = () => {
    input.destroy();
    gunzip.destroy();
  };
  try {
    const reader = new BackupReader(gunzip);
    const notABackup = new BackupError(`${file} is not a Fanlab backup`);
    const first = await reader.line(64).catch((err: unknown) => {
      if (isGzipError(err)) {
        throw new BackupError(`${file} is not a Fanlab backup, or is damaged (gzip: ${(err as Error).message})`);
      }
      throw err instanceof BackupError ? notABackup : err;
    });
    const format = first?.match(new RegExp(`^${FORMAT_LINE} (\\d+)$`));
    if (!format) throw notABackup;
    if (Number(format[1]) !== FORMAT_VERSION) {
      throw new BackupError(
        `${file} is in backup format ${format[1]}; this version of Fanlab reads format ${FORMAT_VERSION}. ` +
          'Restore it with the Fanlab version that made it (or a newer one).',
      );
    }
    const header = await reader.json('the header', isHeader);
    await checkSchemaVersion(header);
    return { file, header, reader, close };
  } catch (err) {
    close();
    throw isGzipError(err) ? damaged(`gzip: ${(err as Error).message}`) : err;
  }
}

/** zlib's errors (bad or truncated compressed data) have codes Z_DATA_ERROR, Z_BUF_ERROR… */
function isGzipError(err: unknown): boolean {
  return (err as { code?: string }).code?.startsWith('Z_') ?? false;
}

async function checkSchemaVersion(header: BackupHeader) {
  const known = await knownMigrations();
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length) {
    throw new BackupError(
      `this backup was made by a newer version of Fanlab: its schema includes ${unknown.join(', ')}, ` +
        `which this code does not have (its last migration is ${known.at(-1)}). ` +
        'Restore it with the Fanlab version that made it, or a newer one.',
    );
  }
  if (!header.migrations.length || header.migrations.some((m, i) => m !== known[i])) {
    throw damaged(`its migrations (${header.migrations.join(', ')}) are not the first ones of this code's`);
  }
}

export interface RestoreSummary {
  tables: TableTrailer[];
  rows: number;
  /** Migrations this code has beyond the backup's, applied after the data was verified. */
  migratedAfter: string[];
}

/** App tables with triggers of their own (not the ones PostgreSQL makes for foreign keys). */
async function tablesWithUserTriggers(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select distinct c.relname as name
       from pg_trigger g
       join pg_class c on c.oid = g.tgrelid
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and not g.tgisinternal
      order by 1`,
    [APP_SCHEMA],
  );
  return rows.map((r) => r.name);
}

/**
 * Restores an opened backup into the EMPTY database at `url`, in one transaction: the backup's
 * migrations (its schema version), every table's rows with `COPY … FROM STDIN` in the file's
 * order (referenced tables first, so each foreign key is checked as rows arrive), every
 * sequence; then it re-reads every table and sequence and compares them with the counts and
 * digests stored in the backup, applies this code's newer migrations, and commits. Any failure
 * rolls everything back: the database is left as empty as it was.
 */
export async function restoreBackup(url: string, backup: OpenedBackup, progress: Progress): Promise<RestoreSummary> {
  const { header, reader } = backup;
  const client = new pg.Client({ connectionString: url, application_name: 'fanlab restore' });
  client.on('error', () => {}); // a dropped connection fails the running query instead
  try {
    await client.connect();
    for (const setting of COPY_SETTINGS) await client.query(setting);
    await client.query('begin');
    await refuseUnlessEmpty(client);

    const db = onThisConnection(client);
    await migrateWithinTransaction(db, header.migrations.at(-1));
    await checkSameSchema(client, header);
    // Migrations may seed rows (e.g. the trending epoch); the backup holds those tables' rows as
    // they were, so the seeds give way to them.
    if (header.tables.length) {
      await client.query(`truncate ${header.tables.map((t) => quoted(t.name)).join(', ')}`);
    }
    const indexes = await secondaryIndexes(client);
    for (const index of indexes) await client.query(`drop index ${quoted(index.name)}`);
    // Triggers that derive rows (votes per window and per day, migration 0024) would count the
    // loaded rows a second time: the backup holds the derived tables as they were.
    const triggered = await tablesWithUserTriggers(client);
    for (const table of triggered) await client.query(`alter table ${quoted(table)} disable trigger user`);

    const trailers: TableTrailer[] = [];
    for (const table of header.tables) {
      const start = await reader.json(`the start of table ${table.name}`, isTableStart);
      if (start.table !== table.name) throw damaged(`table ${table.name} expected, found ${start.table}`);
      const digest = new RowDigest();
      const started = Date.now();
      const ingest = copyFrom(`copy ${quoted(table.name)} (${columnList(table.columns)}) from stdin`);
      try {
        const tick = progressTicker(table.name, digest, progress);
        await pipeline(async function* () {
          for await (const chunk of reader.rows(digest)) {
            yield chunk;
            tick();
          }
        }, client.query(ingest));
      } catch (err) {
        if (err instanceof BackupError || isGzipError(err)) throw err;
        const where = (err as { where?: string }).where;
        throw new BackupError(
          `loading table ${table.name} failed: ${(err as Error).message}${where ? ` (${where})` : ''}; nothing was restored`,
        );
      }
      const trailer = await reader.json(`the row count of table ${table.name}`, isTrailer);
      if (trailer.table !== table.name || trailer.rows !== digest.rows || trailer.digest !== digest.hex()) {
        throw damaged(`the rows of table ${table.name} do not match their count and digest`);
      }
      if (ingest.rowCount !== digest.rows) {
        throw new BackupError(`table ${table.name}: PostgreSQL loaded ${ingest.rowCount} rows of ${digest.rows}`);
      }
      trailers.push(trailer);
      progress(`${table.name}: ${trailer.rows} rows (${seconds(started)})`);
    }
    const end = await reader.json('the end of the backup', isEndLine);
    if (end.tables !== trailers.length || end.rows !== total(trailers)) throw damaged('its end line disagrees');
    for (const table of triggered) await client.query(`alter table ${quoted(table)} enable trigger user`);

    const indexing = Date.now();
    for (const index of indexes) await client.query(index.definition);
    progress(`${indexes.length} indexes built (${seconds(indexing)})`);

    for (const sequence of header.sequences) {
      await client.query('select setval($1::regclass, $2::bigint, $3)', [
        quoted(sequence.name),
        sequence.lastValue,
        sequence.isCalled,
      ]);
    }

    progress('verifying every table and sequence against the backup…');
    const verifying = Date.now();
    await verify(client, header, trailers);
    progress(`verified (${seconds(verifying)})`);

    const migratedAfter = await migrateWithinTransaction(db);
    await client.query('commit');
    return { tables: trailers, rows: total(trailers), migratedAfter };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw isGzipError(err) ? damaged(`gzip: ${(err as Error).message}`) : err;
  } finally {
    await client.end().catch(() => {});
    backup.close();
  }
}

async function refuseUnlessEmpty(client: pg.Client) {
  const relations = await userRelations(client);
  if (!relations.length) return;
  const migrations = await appliedMigrations(client);
  const shown = relations.slice(0, 5).join(', ') + (relations.length > 5 ? ', …' : '');
  throw new BackupError(
    `the target database is not empty: it has ${relations.length} tables or sequences (${shown})` +
      (migrations.length ? ` and Fanlab migrations up to ${migrations.at(-1)}` : '') +
      '. restore only writes into an empty database: create a new one (or use a new FANLAB_DATA_DIR) ' +
      'and restore into that. Nothing was changed.',
  );
}

/** The tables and sequences the migrations made must be the ones the backup holds. */
async function checkSameSchema(client: pg.Client, header: BackupHeader) {
  const here = await listTables(client);
  const describe = (tables: { name: string; columns: string[] }[]) =>
    tables
      .map((t) => `${t.name}(${t.columns.join(',')})`)
      .sort()
      .join(' ');
  const sequencesHere = (await listSequences(client)).sort().join(' ');
  const sequencesThere = header.sequences
    .map((s) => s.name)
    .sort()
    .join(' ');
  if (describe(here) !== describe(header.tables) || sequencesHere !== sequencesThere) {
    throw new BackupError(
      `the backup's tables do not match the schema that migrations up to ${header.migrations.at(-1)} create ` +
        '(was the source database changed by hand?); nothing was restored',
    );
  }
}

/** Re-reads every restored table and sequence; any difference from the backup fails the restore. */
async function verify(client: pg.Client, header: BackupHeader, trailers: TableTrailer[]) {
  for (const [i, table] of header.tables.entries()) {
    const expected = trailers[i] as TableTrailer;
    const digest = new RowDigest();
    const splitter = new RowSplitter(digest);
    const rows = client.query(copyTo(`copy ${quoted(table.name)} (${columnList(table.columns)}) to stdout`));
    for await (const chunk of rows as AsyncIterable<Buffer>) splitter.push(chunk);
    splitter.finish();
    if (digest.rows !== expected.rows || digest.hex() !== expected.digest) {
      throw new BackupError(
        `verification failed: table ${table.name} holds ${digest.rows} rows (digest ${digest.hex()}) ` +
          `after loading, the backup has ${expected.rows} (digest ${expected.digest}); nothing was restored`,
      );
    }
  }
  for (const sequence of header.sequences) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${quoted(sequence.name)}`,
    );
    if (rows[0]?.last_value !== sequence.lastValue || rows[0]?.is_called !== sequence.isCalled) {
      throw new BackupError(`verification failed: sequence ${sequence.name} was not restored; nothing was restored`);
    }
  }
}

/** A Kysely instance whose every query runs on `client` (inside the transaction it has open). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database shape
function onThisConnection(client: pg.Client): Kysely<any> {
  const connection = Object.assign(client, { release() {} }) as unknown as PostgresPoolClient;
  return new Kysely({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => {} } }),
  });
}

function total(trailers: TableTrailer[]): number {
  return trailers.reduce((sum, t) => sum + t.rows, 0);
}

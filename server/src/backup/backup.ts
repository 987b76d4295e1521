import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  appliedMigrations,
  COPY_SETTINGS,
  columnList,
  foreignKeys,
  listSequences,
  listTables,
  loadOrder,
  quoted,
} from './catalog';
import {
  BackupError,
  type BackupHeader,
  END_OF_ROWS,
  FORMAT_LINE,
  FORMAT_VERSION,
  jsonLine,
  RowDigest,
  RowSplitter,
  type SequenceValue,
  type TableTrailer,
} from './format';

/** A progress line for the operator (stderr). */
export type Progress = (message: string) => void;

/** How often a long table reports progress. */
export const PROGRESS_EVERY_ROWS = 100_000;

/** A function to call as rows go by: it reports a long table every PROGRESS_EVERY_ROWS rows. */
export function progressTicker(table: string, digest: RowDigest, progress: Progress) {
  let reported = 0;
  return () => {
    if (digest.rows - reported < PROGRESS_EVERY_ROWS) return;
    reported = digest.rows;
    progress(`${table}: ${digest.rows} rows…`);
  };
}

export interface BackupSummary {
  file: string;
  header: BackupHeader;
  tables: TableTrailer[];
  rows: number;
  bytes: number;
}

/**
 * Writes a backup of the database at `url` to `file`: every table and sequence of the app schema
 * as of one snapshot (a SERIALIZABLE READ ONLY DEFERRABLE transaction, like pg_dump's), streamed
 * table by table through gzip, never held in memory. Writes run on while it reads. The file
 * appears only once complete (written beside it, then renamed): a failed backup leaves none.
 */
export async function writeBackup(url: string, file: string, progress: Progress): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url, application_name: 'fanlab backup' });
  client.on('error', () => {}); // a dropped connection fails the running query instead
  await client.connect();
  const partial = `${file}.partial`;
  try {
    for (const setting of COPY_SETTINGS) await client.query(setting);
    await client.query('begin isolation level serializable, read only, deferrable');
    // The first query takes the snapshot (a deferrable one waits until it is safe); everything
    // below reads as of that moment, except sequences, which are not transactional.
    const snapshot = await client.query<{ now: Date; version: string }>(
      `select now() as now, current_setting('server_version') as version`,
    );
    const found = await listTables(client);
    const migrations = await appliedMigrations(client);
    if (!migrations.length || !found.length) {
      throw new BackupError('the database has no Fanlab schema (no migrations applied): there is nothing to back up');
    }
    // Keep migrations (DDL) away from the tables while they are read.
    await client.query(`lock table ${found.map((t) => quoted(t.name)).join(', ')} in access share mode`);
    const order = loadOrder(
      found.map((t) => t.name),
      await foreignKeys(client),
    );
    const tables = order.map((name) => found.find((t) => t.name === name) as (typeof found)[number]);
    // Read after the snapshot was taken: each value is at least the one any visible row used.
    const sequences: SequenceValue[] = [];
    for (const name of await listSequences(client)) {
      const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
        `select last_value::text, is_called from ${quoted(name)}`,
      );
      sequences.push({ name, lastValue: rows[0]?.last_value ?? '1', isCalled: rows[0]?.is_called ?? false });
    }
    const header: BackupHeader = {
      createdAt: (snapshot.rows[0]?.now ?? new Date()).toISOString(),
      postgres: snapshot.rows[0]?.version ?? '',
      migrations,
      tables,
      sequences,
    };

    const trailers: TableTrailer[] = [];
    async function* content() {
      yield Buffer.from(`${FORMAT_LINE} ${FORMAT_VERSION}\n`);
      yield jsonLine(header);
      for (const table of tables) {
        yield jsonLine({ table: table.name });
        const digest = new RowDigest();
        const splitter = new RowSplitter(digest);
        const tick = progressTicker(table.name, digest, progress);
        const started = Date.now();
        const rows = client.query(copyTo(`copy ${quoted(table.name)} (${columnList(table.columns)}) to stdout`));
        for await (const chunk of rows as AsyncIterable<Buffer>) {
          splitter.push(chunk);
          yield chunk;
          tick();
        }
        splitter.finish();
        yield END_OF_ROWS;
        const trailer = { table: table.name, rows: digest.rows, digest: digest.hex() };
        trailers.push(trailer);
        yield jsonLine(trailer);
        progress(`${table.name}: ${digest.rows} rows (${seconds(started)})`);
      }
      yield jsonLine({ end: true, tables: tables.length, rows: total(trailers) });
    }

    await pipeline(content, createGzip(), createWriteStream(partial, { mode: 0o600 }));
    const written = await fs.open(partial, 'r+');
    try {
      await written.sync(); // on disk before it takes the real name
    } finally {
      await written.close();
    }
    await client.query('commit');
    await fs.rename(partial, file);
    const { size } = await fs.stat(file);
    return { file, header, tables: trailers, rows: total(trailers), bytes: size };
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** "1.2 s" since `started`. */
export function seconds(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

function total(trailers: TableTrailer[]): number {
  return trailers.reduce((sum, t) => sum + t.rows, 0);
}

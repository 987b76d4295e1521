import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { ExportFormat } from '@fanlab/shared';
import { stringify } from 'csv-stringify/sync';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { type Compilable, sql } from 'kysely';
import type { Db } from '../db/connect';

/**
 * Streamed exports (CSV, JSON Lines, JSON) for every area: rows come from one server-side cursor
 * in one read-only transaction, a chunk at a time, and are written as the client reads them
 * (backpressure: the next chunk is fetched once the socket drained). Memory stays flat however
 * many rows; the query sorts once.
 */

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Makes Excel read the file as UTF-8 (accents, Chinese) when asked for. */
export const UTF8_BOM = '\uFEFF';

/**
 * A cell a spreadsheet would run as a formula (`= + - @`, tab or carriage return first) gets a
 * leading apostrophe: shown as text, never executed. Applied to text only (numbers stay numbers).
 */
export function neutralised(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV per RFC 4180 (CRLF, quotes doubled, fields quoted when needed), formula-safe. */
export function csvRecords(rows: readonly (readonly unknown[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => neutralised(cell ?? ''))),
    { record_delimiter: '\r\n', cast: { boolean: (b) => (b ? 'true' : 'false'), date: (d) => d.toISOString() } },
  );
}

/** One export: its columns (CSV header, JSON keys) and how a row becomes their values. */
export interface ExportShape<R> {
  columns: readonly string[];
  values(row: R): unknown[];
}

const CHUNK = 2_000;
let cursors = 0;

/**
 * Streams `query`'s rows as `format`. The cursor's transaction is read-only and repeatable read
 * (one snapshot: the file is the state at one instant). If the client goes away, the cursor is
 * closed and the transaction ends.
 */
export function exportStream<R>(
  db: Db,
  query: Compilable<R>,
  shape: ExportShape<R>,
  format: ExportFormat,
  options: { bom?: boolean; log?: FastifyBaseLogger } = {},
): Readable {
  const out = new PassThrough();
  const name = `export_${process.pid}_${++cursors}`;
  // Waits for the client to read what is buffered; returns at once when it has gone away (a
  // destroyed stream emits no more events: waiting for one would hold the cursor forever).
  const write = async (text: string) => {
    if (!text || out.destroyed) return;
    if (!out.write(text) && !out.destroyed) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  };
  const objectOf = (row: R) => {
    const values = shape.values(row);
    return Object.fromEntries(shape.columns.map((c, i) => [c, values[i] ?? null]));
  };
  const run = async () => {
    let first = true;
    if (format === 'csv') await write(`${options.bom ? UTF8_BOM : ''}${csvRecords([shape.columns])}`);
    if (format === 'json') await write('[');
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx) => {
        await sql`declare ${sql.id(name)} no scroll cursor for ${query}`.execute(tx);
        while (!out.destroyed) {
          const { rows } = await sql<R>`fetch forward ${sql.lit(CHUNK)} from ${sql.id(name)}`.execute(tx);
          if (!rows.length) break;
          if (format === 'csv') await write(csvRecords(rows.map((r) => shape.values(r))));
          else if (format === 'jsonl') await write(rows.map((r) => `${JSON.stringify(objectOf(r))}\n`).join(''));
          else {
            await write(rows.map((r, i) => `${first && i === 0 ? '' : ','}\n${JSON.stringify(objectOf(r))}`).join(''));
            first = false;
          }
        }
      });
    if (format === 'json') await write(first ? ']\n' : '\n]\n');
    out.end();
  };
  run().catch((err) => {
    options.log?.warn({ err: { message: (err as Error).message } }, 'export stopped');
    out.destroy(err as Error);
  });
  return out;
}

/** Sends an export as a download named `filename` (without extension). */
export function sendExport(reply: FastifyReply, stream: Readable, format: ExportFormat, filename: string) {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  // A client that hangs up mid-download ends the export (its cursor and transaction) at once.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) stream.destroy();
  });
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${safe}.${format}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(stream);
}

import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat } from '@fanlab/shared';
import { stringify } from 'csv-stringify/sync';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { type Expression, type RawBuilder, sql } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import { type Db, poolOf } from '../db/connect';

/**
 * Streamed exports (CSV, JSON Lines, JSON) for every area. PostgreSQL writes the file: the
 * export's query runs as one `COPY (…) TO STDOUT`, each cell formatted in SQL (CSV quoting by
 * COPY's own CSV writer, JSON by `to_json`), and the bytes go to the client as they come, with
 * backpressure (a slow client pauses the connection, so PostgreSQL waits). Node only adds the
 * header, turns line ends into CRLF (CSV) or commas (a JSON array), and never parses a row:
 * memory stays flat however many rows, and an export costs little more than the COPY itself
 * (docs/performance.md, "Exports"). One statement is one snapshot: the file is the state at one
 * instant. If the client goes away, the connection is closed, which ends the COPY at once.
 */

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Makes Excel read the file as UTF-8 (accents, Chinese) when asked for. */
export const UTF8_BOM = '\uFEFF';

/** CSV records per RFC 4180 (CRLF, quotes doubled, fields quoted when needed): the header line. */
export function csvRecords(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: '\r\n' });
}

/**
 * How a column is written. `text` cells a spreadsheet would run as a formula (`= + - @`, tab or
 * carriage return first) get a leading apostrophe in CSV: shown as text, never executed (numbers
 * stay numbers, so -3 is not text to neutralise). `timestamp` is ISO 8601 in UTC with
 * milliseconds, as the API writes it; `boolean` is true or false. NULL is an empty CSV cell and
 * JSON null.
 */
export type ExportColumnType = 'text' | 'number' | 'timestamp' | 'boolean';

/** One column of an export: its name (CSV header, JSON key), its type, and its SQL value. */
export interface ExportColumn {
  name: string;
  type: ExportColumnType;
  value: RawBuilder<unknown>;
}

/** An export's columns in order. Values are SQL over the query's rows, `exportRow(column)`. */
export type ExportShape = readonly ExportColumn[];

/** A column of the export's query (the query runs as the sub-select `export_row`). */
export const exportRow = (column: string) => sql.ref(`export_row.${column}`);

/**
 * An export's shape from its column names (the order of the file) and, for each, its type, or
 * its type and SQL value when the query's column has another name or needs work.
 */
export function exportShape<const N extends string>(
  names: readonly N[],
  columns: Record<N, ExportColumnType | readonly [ExportColumnType, RawBuilder<unknown>]>,
): ExportShape {
  return names.map((name): ExportColumn => {
    const spec: ExportColumnType | readonly [ExportColumnType, RawBuilder<unknown>] = columns[name];
    return typeof spec === 'string'
      ? { name, type: spec, value: exportRow(name) }
      : { name, type: spec[0], value: spec[1] };
  });
}

const iso = (value: RawBuilder<unknown>) =>
  sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Code points that make a spreadsheet read a cell as a formula: = + - @ tab CR. */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)).join(', ');

function csvCell(column: ExportColumn): RawBuilder<unknown> {
  const v = column.value;
  switch (column.type) {
    case 'text':
      // the first character's code (ascii() of UTF-8 text: its code point; 0 when empty) against
      // = + - @ tab CR: a comparison of integers. left(v, 1) made a string per cell, a sixth of a
      // 100,000-row export's time in PostgreSQL.
      return sql`case when ascii(${v}) in (${sql.raw(FORMULA_STARTS)}) then '''' || ${v} else ${v} end`;
    case 'timestamp':
      return iso(v);
    case 'boolean':
      return sql`case when ${v} then 'true' when not ${v} then 'false' end`;
    case 'number':
      return v;
  }
}

/** One JSON object per row, keys in the shape's order, as text. */
function jsonObject(shape: ExportShape): RawBuilder<unknown> {
  const parts = shape.map((column, i) => {
    const key = `${i === 0 ? '{' : ','}${JSON.stringify(column.name)}:`;
    const value = column.type === 'timestamp' ? iso(column.value) : column.value;
    return sql`${sql.lit(key)} || coalesce(to_json(${value})::text, 'null')`;
  });
  return sql`${sql.join(parts, sql` || `)} || '}'`;
}

/**
 * The COPY statement of an export. CSV: COPY's CSV writer quotes what needs quoting. JSON: one
 * object per line, through COPY's CSV mode with a delimiter and quote character (0x01, 0x02)
 * that JSON text never holds raw (to_json escapes every control character) and no line break
 * inside, so each line is written exactly as PostgreSQL made it.
 */
function copyStatement(db: Db, query: Expression<unknown>, shape: ExportShape, format: ExportFormat): string {
  const rows =
    format === 'csv'
      ? sql`select ${sql.join(shape.map((c, i) => sql`${csvCell(c)} as ${sql.id(`c${i}`)}`))} from (${query}) as export_row`
      : sql`select ${jsonObject(shape)} from (${query}) as export_row`;
  const options = format === 'csv' ? sql`(format csv)` : sql`(format csv, delimiter e'\\x01', quote e'\\x02')`;
  return inlineParameters(sql`copy (${rows}) to stdout ${options}`.compile(db));
}

/**
 * A value as an SQL literal, for statements that take no parameters (COPY). Strings are escape
 * strings (E'…', backslashes and quotes doubled: the same whatever standard_conforming_strings
 * says); numbers must be finite; arrays become ARRAY[…] ('{}' when empty, typed by its cast).
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new Error('a string with a NUL character');
    return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  }
  if (value instanceof Date) return sqlLiteral(value.toISOString());
  if (Array.isArray(value)) return value.length ? `ARRAY[${value.map(sqlLiteral).join(', ')}]` : `'{}'`;
  throw new Error(`no SQL literal for ${typeof value}`);
}

/** Compiled SQL with its $n parameters written in as literals (quoted text and names are skipped). */
export function inlineParameters(compiled: { sql: string; parameters: readonly unknown[] }): string {
  return compiled.sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (token, n: string | undefined) => {
    if (n === undefined) return token;
    const index = Number(n) - 1;
    if (index < 0 || index >= compiled.parameters.length) throw new Error(`no parameter $${n}`);
    return sqlLiteral(compiled.parameters[index]);
  });
}

const LF = 0x0a;
const QUOTE = 0x22;
const CRLF = Buffer.from('\r\n');

/**
 * COPY's CSV ends records with LF; RFC 4180 wants CRLF. Line breaks inside quoted cells stay.
 * Quotes toggle being inside a cell (a doubled quote toggles twice); the scan jumps from quote to
 * line break with indexOf, so a chunk costs a few native searches per record.
 */
export class CrlfRecords extends Transform {
  private quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    const parts: Buffer[] = [];
    let start = 0; // the record part not yet passed on
    let at = 0; // where the scan is
    // the next quote and line break at or after `at` (-1: none left in the chunk)
    let quote = chunk.indexOf(QUOTE);
    let lf = chunk.indexOf(LF);
    for (;;) {
      if (quote >= 0 && quote < at) quote = chunk.indexOf(QUOTE, at);
      if (lf >= 0 && lf < at) lf = chunk.indexOf(LF, at);
      if (this.quoted) {
        if (quote < 0) break; // the chunk ends inside a quoted cell
        this.quoted = false;
        at = quote + 1;
      } else if (quote >= 0 && (lf < 0 || quote < lf)) {
        this.quoted = true;
        at = quote + 1;
      } else if (lf >= 0) {
        parts.push(chunk.subarray(start, lf), CRLF);
        start = lf + 1;
        at = start;
      } else break;
    }
    parts.push(chunk.subarray(start));
    done(null, Buffer.concat(parts));
  }
}

/** JSON Lines into one JSON array: `[`, the objects separated by `,` and a line break, `]`. */
export class JsonArray extends Transform {
  private started = false;
  /** A line ended: its separator is written once the next line starts (none after the last). */
  private lineEnded = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i <= chunk.length; i += 1) {
      if (i < chunk.length && chunk[i] !== LF) continue;
      if (i > start) {
        if (!this.started) parts.push(Buffer.from('[\n'));
        else if (this.lineEnded) parts.push(Buffer.from(',\n'));
        this.started = true;
        this.lineEnded = false;
        parts.push(chunk.subarray(start, i));
      }
      if (i < chunk.length) this.lineEnded = true;
      start = i + 1;
    }
    done(null, Buffer.concat(parts));
  }

  override _flush(done: TransformCallback) {
    done(null, this.started ? '\n]\n' : '[]\n');
  }
}

/**
 * Streams `query`'s rows as `format`, each row's cells from `shape` (SQL over the query's
 * columns). Errors end the stream with the error (the response is cut short: a partial file is
 * never a whole one).
 */
export function exportStream(
  db: Db,
  query: Expression<unknown>,
  shape: ExportShape,
  format: ExportFormat,
  options: { bom?: boolean; log?: FastifyBaseLogger } = {},
): Readable {
  const out = new PassThrough();
  const statement = copyStatement(db, query, shape, format);
  // the header first, before PostgreSQL has sorted anything: the client sees the download start
  if (format === 'csv') {
    out.write(`${options.bom ? UTF8_BOM : ''}${csvRecords([shape.map((c) => c.name)])}`);
  }
  const run = async () => {
    const client = await poolOf(db).connect();
    let broken: Error | undefined;
    try {
      if (out.destroyed) return;
      // one read-only statement, as long as the file takes (the pool's statement timeout is
      // for requests' queries)
      await client.query('begin transaction read only');
      await client.query('set local statement_timeout = 0');
      const copy = client.query(copyTo(statement));
      await pipeline(
        copy,
        format === 'csv' ? new CrlfRecords() : format === 'json' ? new JsonArray() : new PassThrough(),
        out,
      );
      await client.query('commit');
    } catch (err) {
      // the client went away or COPY failed: this connection is mid-COPY, so it is closed
      // (PostgreSQL ends the statement) instead of going back to the pool
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  };
  run().catch((err) => {
    if (!out.destroyed) options.log?.warn({ err: { message: (err as Error).message } }, 'export stopped');
    out.destroy(err as Error);
  });
  return out;
}

/** Sends an export as a download named `filename` (without extension). */
export function sendExport(reply: FastifyReply, stream: Readable, format: ExportFormat, filename: string) {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  // A client that hangs up mid-download ends the export (its COPY and connection) at once.
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

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TableInfo } from './catalog';

/*
 * A Fanlab backup is one gzip stream of UTF-8 lines:
 *
 *   FANLAB-BACKUP 1                                   format line
 *   {"createdAt":…,"migrations":[…],"tables":[…],…}   header (BackupHeader)
 *   {"table":"users"}                                 then per table, in load order:
 *   <rows in PostgreSQL's COPY text format>             what `COPY users (…) TO STDOUT` wrote
 *   \.                                                  end of the rows (as in pg_dump's plain format)
 *   {"table":"users","rows":35,"digest":"…"}            row count and digest (TableTrailer)
 *   {"end":true,"tables":14,"rows":1234}              last line: the file is complete
 *
 * `zcat FILE | less` shows it. A COPY text row never is `\.` (a backslash is written `\\`).
 */

export const FORMAT_LINE = 'FANLAB-BACKUP';
export const FORMAT_VERSION = 1;
/** The line that ends a table's rows. */
export const END_OF_ROWS = Buffer.from('\\.\n');

export interface SequenceValue {
  name: string;
  /** bigint as text. */
  lastValue: string;
  isCalled: boolean;
}

export interface BackupHeader {
  /** When the snapshot was taken (ISO 8601). */
  createdAt: string;
  /** PostgreSQL server version of the source. */
  postgres: string;
  /** Applied migrations, in order: the schema version of the data. */
  migrations: string[];
  /** Every table, in the order its section follows (referenced tables first). */
  tables: TableInfo[];
  sequences: SequenceValue[];
}

export interface TableTrailer {
  table: string;
  rows: number;
  digest: string;
}

export interface EndLine {
  end: true;
  tables: number;
  rows: number;
}

/** A refusal or failure the operator can act on: the CLI prints the message alone (exit code 1). */
export class BackupError extends Error {}

export const damaged = (why: string) =>
  new BackupError(`the backup file is damaged or incomplete (${why}); nothing was restored`);

/**
 * Digest of a table's rows that does not depend on their order: the sum, lane by lane modulo
 * 2^32, of each row's SHA-256 (first 128 bits). A restored table is re-read in whatever order
 * PostgreSQL returns it and must give the same digest and count as the rows that were backed up.
 */
export class RowDigest {
  private readonly lanes = new Uint32Array(4);
  rows = 0;

  add(row: Uint8Array) {
    const hash = createHash('sha256').update(row).digest();
    for (let i = 0; i < 4; i++) this.lanes[i] = ((this.lanes[i] as number) + hash.readUInt32BE(i * 4)) >>> 0;
    this.rows += 1;
  }

  hex(): string {
    return Buffer.from(this.lanes.buffer).toString('hex');
  }
}

/** Feeds COPY text output, in chunks cut anywhere, to a RowDigest one row (line) at a time. */
export class RowSplitter {
  private rest: Buffer = Buffer.alloc(0);

  constructor(readonly digest: RowDigest) {}

  push(chunk: Buffer) {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.digest.add(data.subarray(start, nl));
      start = nl + 1;
    }
    this.rest = data.subarray(start);
  }

  /** Throws when the data did not end with a whole row. */
  finish() {
    if (this.rest.length) throw new Error('COPY data ended in the middle of a row');
  }
}

export function jsonLine(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value)}\n`);
}

/** The longest header line restore accepts (a schema's table and column names). */
const MAX_LINE = 4 * 1024 * 1024;

/** Reads a decompressed backup stream: lines for the format parts, rows for the tables. */
export class BackupReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Pulls the next chunk into the buffer; false at the end of the stream. */
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }

  /** The next line without its newline; null at the end of the stream. */
  async line(limit = MAX_LINE): Promise<string | null> {
    let nl = this.buffer.indexOf(10);
    while (nl === -1) {
      if (this.buffer.length > limit) throw damaged(`a line longer than ${limit} bytes`);
      const searched = this.buffer.length;
      if (!(await this.more())) {
        if (this.buffer.length) throw damaged('it ends in the middle of a line');
        return null;
      }
      nl = this.buffer.indexOf(10, searched);
    }
    const text = this.buffer.subarray(0, nl).toString('utf8');
    this.buffer = this.buffer.subarray(nl + 1);
    return text;
  }

  /** A JSON line that `accept` recognises, or a "damaged" error naming `what` was expected. */
  async json<T>(what: string, accept: (value: unknown) => value is T): Promise<T> {
    const text = await this.line();
    if (text === null) throw damaged(`it ends where ${what} should be`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw damaged(`${what} expected, found ${JSON.stringify(text.slice(0, 60))}`);
    }
    if (!accept(value)) throw damaged(`${what} expected, found ${JSON.stringify(text.slice(0, 60))}`);
    return value;
  }

  /**
   * Yields one table's rows (whole lines, several per chunk) up to the `\.` line, which it
   * consumes, adding each row to `digest`.
   */
  async *rows(digest: RowDigest): AsyncGenerator<Buffer> {
    for (;;) {
      let start = 0;
      for (let nl = this.buffer.indexOf(10); nl !== -1; nl = this.buffer.indexOf(10, start)) {
        const row = this.buffer.subarray(start, nl);
        if (row.length === 2 && row[0] === 0x5c && row[1] === 0x2e) {
          const last = this.buffer.subarray(0, start);
          this.buffer = this.buffer.subarray(nl + 1);
          if (last.length) yield last;
          return;
        }
        digest.add(row);
        start = nl + 1;
      }
      const whole = this.buffer.subarray(0, start);
      this.buffer = this.buffer.subarray(start);
      if (whole.length) yield whole;
      if (!(await this.more())) throw damaged('it ends in the middle of a table');
    }
  }
}

/* ------------------------------------------------------------ validation */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function isHeader(v: unknown): v is BackupHeader {
  return (
    isObject(v) &&
    typeof v.createdAt === 'string' &&
    typeof v.postgres === 'string' &&
    isStringArray(v.migrations) &&
    Array.isArray(v.tables) &&
    v.tables.every((t) => isObject(t) && typeof t.name === 'string' && isStringArray(t.columns)) &&
    Array.isArray(v.sequences) &&
    v.sequences.every(
      (s) =>
        isObject(s) &&
        typeof s.name === 'string' &&
        typeof s.lastValue === 'string' &&
        /^-?\d+$/.test(s.lastValue) &&
        typeof s.isCalled === 'boolean',
    )
  );
}

export function isTableStart(v: unknown): v is { table: string } {
  return isObject(v) && typeof v.table === 'string' && Object.keys(v).length === 1;
}

export function isTrailer(v: unknown): v is TableTrailer {
  return isObject(v) && typeof v.table === 'string' && typeof v.rows === 'number' && typeof v.digest === 'string';
}

export function isEndLine(v: unknown): v is EndLine {
  return isObject(v) && v.end === true && typeof v.tables === 'number' && typeof v.rows === 'number';
}

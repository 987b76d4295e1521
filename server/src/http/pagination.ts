import { ErrorCodes } from '@fanlab/shared';
import { AppError } from './errors';

/**
 * Keyset cursors: the sort key of the last item of a page, as opaque base64url JSON.
 * Each list decides what the tuple holds (e.g. [createdAt, id]).
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What one part of a cursor holds, checked here so that nothing a client made up reaches SQL:
 * - `id`: a safe integer (bigint ids, 0/1 flags);
 * - `float`: a finite number (float8 sort keys such as scores);
 * - `timestamp`: a timestamptz as PostgreSQL writes it as text (`2024-05-01 12:00:00.123+00`);
 * - `integerText`: an `integer` column value written as text.
 */
export type CursorPart = 'id' | 'float' | 'timestamp' | 'integerText';
type PartValue<P extends CursorPart> = P extends 'id' | 'float' ? number : string;

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::\d{2})?$/;
const INTEGER_TEXT = /^-?\d{1,10}$/;
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

/** A timestamp PostgreSQL reads back as it wrote it: real calendar date and time, sane offset. */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined || year < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= 15 &&
    Number(offsetMinutes) <= 59
  );
}

function partIsValid(value: unknown, part: CursorPart): boolean {
  switch (part) {
    case 'id':
      return Number.isSafeInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'timestamp':
      return typeof value === 'string' && isTimestampText(value);
    case 'integerText': {
      if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) return false;
      const n = Number(value);
      return n >= INT_MIN && n <= INT_MAX;
    }
  }
}

export function decodeCursor<const S extends readonly CursorPart[]>(
  cursor: string | undefined,
  shape: S,
): { -readonly [K in keyof S]: PartValue<S[K]> } | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new AppError(400, ErrorCodes.invalidCursor, 'The cursor is not valid for this list.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw invalid();
  if (!shape.every((part, i) => partIsValid(value[i], part))) throw invalid();
  return value as { -readonly [K in keyof S]: PartValue<S[K]> };
}

/** Splits a `limit + 1` query result into the page and the next cursor. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => readonly (string | number)[],
): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(toItem), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

import { sql } from 'kysely';
import type { Db } from '../src/db/connect';

/*
 * A cheap fingerprint of the database, to prove that a request changed nothing: per table, its
 * row count and an md5 of its rows (as JSON, sorted). Taken before and after; any table whose
 * fingerprint moved is named.
 */

export interface DigestOptions {
  /** Tables left out entirely. */
  skipTables?: readonly string[];
  /** Columns left out of a table's rows (by table). */
  skipColumns?: Readonly<Record<string, readonly string[]>>;
  /** Rows left out of a table: those whose `column` equals `value` (by table). */
  skipRows?: Readonly<Record<string, { column: string; value: number }>>;
}

export type Digest = Record<string, string>;

/** The application's tables (the migration bookkeeping of Kysely left out). */
export async function appTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely\\_%'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/** `rows:md5` of every table in `tables` (but the skipped ones), in one query. */
export async function digest(db: Db, tables: readonly string[], options: DigestOptions = {}): Promise<Digest> {
  const parts = tables
    .filter((table) => !options.skipTables?.includes(table))
    .map((table) => {
      const columns = options.skipColumns?.[table] ?? [];
      const row = columns.reduce((json, column) => sql`(${json} - ${column}::text)`, sql`to_jsonb(r)`);
      const skip = options.skipRows?.[table];
      const where = skip ? sql`where ${sql.ref(`r.${skip.column}`)} is distinct from ${skip.value}` : sql``;
      return sql<{ name: string; rows: number; hash: string }>`
        select ${table}::text as name, count(*)::int as rows,
          coalesce(md5(string_agg(j, E'\n' order by j)), '') as hash
        from (select (${row})::text as j from ${sql.table(table)} r ${where}) x`;
    });
  if (!parts.length) return {};
  const { rows } = await sql<{
    name: string;
    rows: number;
    hash: string;
  }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows}:${r.hash}`]));
}

/** The tables whose fingerprint differs, with their row counts before → after. */
export function changedTables(before: Digest, after: Digest): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name} (rows ${before[name]?.split(':')[0] ?? '-'} → ${after[name]?.split(':')[0] ?? '-'})`);
}

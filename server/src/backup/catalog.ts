import type pg from 'pg';
import { BackupError } from './format';

/** The schema the migrations create the app's tables and sequences in. */
export const APP_SCHEMA = 'public';

/**
 * Kysely's bookkeeping: not data. The list of applied migrations travels in the backup's header
 * and restore recreates both tables by running those migrations.
 */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/**
 * Settings that fix how COPY writes and reads values (dates, floats, bytea), so that a backup
 * made anywhere restores to the same values and its row digests can be compared byte for byte.
 */
export const COPY_SETTINGS = [
  "set timezone = 'UTC'",
  "set datestyle = 'ISO, YMD'",
  "set intervalstyle = 'postgres'",
  'set extra_float_digits = 3',
  "set bytea_output = 'hex'",
  "set client_encoding = 'UTF8'",
];

export interface TableInfo {
  name: string;
  /** Stored columns in table order (generated columns are recomputed on restore). */
  columns: string[];
}

/** Ordinary tables of the app schema (not an extension's, not Kysely's), with their columns, by name. */
export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `select c.relname as name,
            array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                  order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind = 'r' and c.relname <> all ($2::text[])
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
    [APP_SCHEMA, MIGRATION_TABLES],
  );
  return rows;
}

/** Sequences of the app schema (identity columns' included), by name. */
export async function listSequences(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind = 'S'
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
    [APP_SCHEMA],
  );
  return rows.map((r) => r.name);
}

/** [referencing table, referenced table] for every foreign key between two app tables. */
export async function foreignKeys(client: pg.ClientBase): Promise<[string, string][]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select distinct child.relname as child, parent.relname as parent
       from pg_constraint k
       join pg_class child on child.oid = k.conrelid
       join pg_class parent on parent.oid = k.confrelid
       join pg_namespace cn on cn.oid = child.relnamespace
       join pg_namespace pn on pn.oid = parent.relnamespace
      where k.contype = 'f' and cn.nspname = $1 and pn.nspname = $1`,
    [APP_SCHEMA],
  );
  return rows.map((r) => [r.child, r.parent]);
}

/**
 * The tables ordered so that every table comes after the tables it references (ties by name):
 * loading them in this order satisfies every foreign key as it is checked. A table referencing
 * itself is fine (a COPY checks its rows at the end of the statement); a cycle between tables is not.
 */
export function loadOrder(tables: string[], references: [string, string][]): string[] {
  const waitingFor = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const [child, parent] of references) {
    if (child !== parent && waitingFor.has(parent)) waitingFor.get(child)?.add(parent);
  }
  const order: string[] = [];
  while (waitingFor.size) {
    const ready = [...waitingFor].filter(([, parents]) => parents.size === 0).map(([t]) => t);
    if (!ready.length) {
      throw new BackupError(
        `the foreign keys of tables ${[...waitingFor.keys()].sort().join(', ')} form a cycle: ` +
          'no order loads them with every key checked',
      );
    }
    const next = ready.sort()[0] as string;
    order.push(next);
    waitingFor.delete(next);
    for (const parents of waitingFor.values()) parents.delete(next);
  }
  return order;
}

export interface IndexInfo {
  name: string;
  /** `CREATE INDEX …` as pg_get_indexdef gives it. */
  definition: string;
}

/**
 * Indexes of the app tables that no constraint owns or needs (not primary keys, unique
 * constraints, nor an index a foreign key references):
 * restore drops them before loading and builds each once at the end, as pg_dump's restore does,
 * instead of updating them row by row.
 */
export async function secondaryIndexes(client: pg.ClientBase): Promise<IndexInfo[]> {
  const { rows } = await client.query<IndexInfo>(
    `select ic.relname as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_namespace n on n.oid = ic.relnamespace
      where n.nspname = $1
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
        and not exists (select 1 from pg_depend d
                         where d.refclassid = 'pg_class'::regclass and d.refobjid = i.indexrelid
                           and d.classid = 'pg_constraint'::regclass)
      order by ic.relname`,
    [APP_SCHEMA],
  );
  return rows;
}

/** Applied migration names in the order they ran, or [] when the database has no migration table. */
export async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const table = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [
    `${APP_SCHEMA}.kysely_migration`,
  ]);
  if (!table.rows[0]?.found) return [];
  const { rows } = await client.query<{ name: string }>(
    `select name from ${quoted('kysely_migration')} order by timestamp, name`,
  );
  return rows.map((r) => r.name);
}

/**
 * Tables, views and sequences in every schema that is not PostgreSQL's own (extension members
 * excepted): a database restore may write into has none.
 */
export async function userRelations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by 1`,
  );
  return rows.map((r) => r.name);
}

/** `"public"."name"`: a relation of the app schema, quoted for SQL. */
export function quoted(name: string): string {
  return `${quoteIdent(APP_SCHEMA)}.${quoteIdent(name)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"a", "b"`: a column list for COPY. */
export function columnList(columns: string[]): string {
  return columns.map(quoteIdent).join(', ');
}

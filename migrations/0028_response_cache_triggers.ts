import { type Kysely, sql } from 'kysely';

// What the anonymous response cache (server/src/http/response-cache.ts, issue 12) is told.
// Every server process keeps the JSON of anonymous thread pages and lists; an entry must go the
// moment what it shows changes, in every process. The rules' live announcements do not cover
// every write (a new thread, a pin, a category edit, a renamed member announce nothing), so the
// tables say it themselves: statement-level triggers send one notification per statement on the
// live bus's channel (`fanlab_live`, delivered at commit, never on rollback), whatever wrote:
// a route, the CLI, a restore or psql.
//
// - threads and posts: `{ channel: 'cache', event: 'threads', data: { ids } }`, the threads whose
//   page changed (their lists change with them); over 500 ids, `event: 'all'`.
// - categories, site settings, and the member columns pages show (name, role, trust level,
//   silence, suspension): `event: 'all'`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function cache_notify(event text, ids bigint[]) returns void language sql as $$
      select pg_notify('fanlab_live', json_build_object(
        'channel', 'cache', 'cursor', null,
        'event', case when event = 'threads' and cardinality(ids) > 500 then 'all' else event end,
        'data', case when event = 'threads' and cardinality(ids) <= 500 then json_build_object('ids', ids)
                     else '{}'::json end)::text)
    $$`.execute(db);

  // threads: their own ids; posts: their threads' ids (from the rows before and after the statement)
  for (const [table, key] of [
    ['threads', 'id'],
    ['posts', 'thread_id'],
  ] as const) {
    const fn = `cache_${table}_changed`;
    await sql`create function ${sql.ref(fn)}() returns trigger language plpgsql as $$
      declare
        ids bigint[];
      begin
        if tg_op = 'INSERT' then
          select array_agg(distinct ${sql.ref(key)}) into ids from new_rows;
        elsif tg_op = 'DELETE' then
          select array_agg(distinct ${sql.ref(key)}) into ids from old_rows;
        else
          select array_agg(distinct k) into ids
          from (select ${sql.ref(key)} as k from new_rows union select ${sql.ref(key)} from old_rows) changed;
        end if;
        if ids is not null then perform cache_notify('threads', ids); end if;
        return null;
      end $$`.execute(db);
    for (const [event, referencing] of [
      ['insert', 'new table as new_rows'],
      ['update', 'new table as new_rows old table as old_rows'],
      ['delete', 'old table as old_rows'],
    ] as const) {
      await sql`create trigger ${sql.ref(`${fn}_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
                referencing ${sql.raw(referencing)} for each statement execute function ${sql.ref(fn)}()`.execute(db);
    }
  }

  await sql`create function cache_all_changed() returns trigger language plpgsql as $$
      begin
        perform cache_notify('all', null);
        return null;
      end $$`.execute(db);
  const everything: [string, string][] = [
    ['categories', 'insert or update or delete or truncate'],
    ['site_settings', 'insert or update or delete or truncate'],
    ['users', 'update of username, role, trust_level, silenced_until, suspended_until or delete or truncate'],
    // emptied by a restore: their row triggers above do not fire for truncate
    ['threads', 'truncate'],
    ['posts', 'truncate'],
  ];
  for (const [table, events] of everything) {
    await sql`create trigger ${sql.ref(`cache_${table}_all`)} after ${sql.raw(events)} on ${sql.table(table)}
              for each statement execute function cache_all_changed()`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

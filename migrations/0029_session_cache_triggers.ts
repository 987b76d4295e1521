import { type Kysely, sql } from 'kysely';

// What each process's session cache (server/src/auth/session-cache.ts, issue 12) is told. A
// signed-in request finds its session and account in memory instead of in the database; the
// cached account must go the moment it changes (a role, a silence, a suspension) and the session
// the moment it ends (sign-out, a password change, a suspension, an account deleted), in every
// process. Statement-level triggers announce the members concerned on the live bus's channel:
// `{ channel: 'cache', event: 'users', data: { ids } }` (over 500 members, `data: {}`: all of them).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function cache_users_notify(ids bigint[]) returns void language sql as $$
      select pg_notify('fanlab_live', json_build_object(
        'channel', 'cache', 'event', 'users', 'cursor', null,
        'data', case when cardinality(ids) <= 500 then json_build_object('ids', ids) else '{}'::json end)::text)
    $$`.execute(db);
  for (const [table, key] of [
    ['users', 'id'],
    ['sessions', 'user_id'],
  ] as const) {
    const fn = `cache_${table}_members`;
    await sql`create function ${sql.ref(fn)}() returns trigger language plpgsql as $$
      declare
        ids bigint[];
      begin
        select array_agg(distinct ${sql.ref(key)}) into ids from old_rows;
        if ids is not null then perform cache_users_notify(ids); end if;
        return null;
      end $$`.execute(db);
    const events = table === 'users' ? ['update', 'delete'] : ['delete'];
    for (const event of events) {
      await sql`create trigger ${sql.ref(`${fn}_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
                referencing old table as old_rows for each statement execute function ${sql.ref(fn)}()`.execute(db);
    }
    await sql`create trigger ${sql.ref(`${fn}_truncate`)} after truncate on ${sql.table(table)}
              for each statement execute function cache_all_changed()`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

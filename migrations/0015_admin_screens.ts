import { type Kysely, sql } from 'kysely';

// The admin screens (issue 9, deliver 7): the audit log is filtered by actor, action and time
// range, newest first (keyset on id); a category's language is a BCP-47 tag (`es`, `pt-BR`,
// `zh-Hans`), checked here as well as by the API.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_log_actor_idx on audit_log (actor_id, id desc)`.execute(db);
  await sql`create index audit_log_action_idx on audit_log (action, id desc)`.execute(db);
  await sql`create index audit_log_created_idx on audit_log (created_at)`.execute(db);
  await sql`alter table categories add constraint categories_locale_bcp47
    check (locale ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

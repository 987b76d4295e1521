import { type Kysely, sql } from 'kysely';

// Site settings changed by admins: one row per setting that differs from its default
// (shared/src/settings.ts lists them, with their defaults and bounds).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table site_settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by bigint references users (id) on delete set null
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

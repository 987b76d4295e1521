import { type Kysely, sql } from 'kysely';

// A pin may end: maintenance unpins threads whose pinned_until passed (lists read pinned_at).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table threads add column pinned_until timestamptz`.execute(db);
  await sql`create index threads_pin_expiry_idx on threads (pinned_until) where pinned_until is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

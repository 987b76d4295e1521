import { type Kysely, sql } from 'kysely';

// Staff notes on members: what moderators want each other to know ("warned twice about spam
// links"). Only staff read them; the member never sees them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table staff_notes (
    id bigint generated always as identity primary key,
    user_id bigint not null references users (id),
    author_id bigint not null references users (id),
    body text not null check (length(body) between 1 and 2000),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index staff_notes_user_idx on staff_notes (user_id, id desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { type Kysely, sql } from 'kysely';

// Composers' unsent text per member and place (issue 13: the composer never loses work). The key
// names the place (`thread:<categoryId>`, `reply:<threadId>`, `edit:<postId>`, shared/drafts.ts);
// the index on (user_id, saved_at) finds a member's oldest draft when they pass the limit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table drafts (
      user_id bigint not null references users (id) on delete cascade,
      key text not null,
      title text,
      body text not null,
      saved_at timestamptz not null default now(),
      primary key (user_id, key))`.execute(db);
  await sql`create index drafts_user_saved_idx on drafts (user_id, saved_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

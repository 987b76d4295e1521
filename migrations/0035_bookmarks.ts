import { type Kysely, sql } from 'kysely';

// Bookmarks (issue 13): a member's own list of posts to come back to, newest first. They go
// with the member or the post.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table bookmarks (
      user_id bigint not null references users (id) on delete cascade,
      post_id bigint not null references posts (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, post_id))`.execute(db);
  await sql`create index bookmarks_user_created_idx on bookmarks (user_id, created_at desc, post_id desc)`.execute(db);
  await sql`create index bookmarks_post_idx on bookmarks (post_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

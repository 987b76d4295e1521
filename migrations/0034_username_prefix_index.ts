import { type Kysely, sql } from 'kysely';

// @mention suggestions (GET /api/users?q=) look names up by prefix: `lower(username) like 'ab%'`
// uses a btree only with text_pattern_ops (the unique index of 0001 follows the collation).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index users_username_prefix_idx on users (lower(username) text_pattern_ops)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

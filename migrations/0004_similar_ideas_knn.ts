import { type Kysely, sql } from 'kysely';

// Similar ideas while typing: a GiST trigram index answers "the 5 nearest titles" by walking the
// index in distance order (KNN), instead of scoring every title that shares a trigram.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists ideas_title_trgm_idx`.execute(db);
  await sql`create index ideas_title_knn_idx on threads using gist (title gist_trgm_ops)
            where kind = 'idea' and deleted_at is null and not unlisted and status <> 'duplicate'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { type Kysely, sql } from 'kysely';

// Image uploads (issue 13, docs/uploads.md): one row per upload a member made (their quota counts
// these over the last 24 hours); `key` names the stored file (sha256 of its bytes), so the same
// image uploaded twice is one file and two rows. A row is written (without key) before the image
// is re-encoded, so a burst cannot pass the quota; it gets its key once the file is stored, or
// goes if that fails.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table uploads (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      key text check (key ~ '^[0-9a-f]{64}\\.webp$'),
      bytes integer check (bytes > 0),
      width integer check (width > 0),
      height integer check (height > 0),
      created_at timestamptz not null default now(),
      check ((key is null) = (bytes is null) and (key is null) = (width is null) and (key is null) = (height is null)))`.execute(
    db,
  );
  await sql`create index uploads_user_created_idx on uploads (user_id, created_at)`.execute(db);
  await sql`create index uploads_key_idx on uploads (key)`.execute(db);
  await sql`create index uploads_pending_idx on uploads (created_at) where key is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

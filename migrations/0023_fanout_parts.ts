import { type Kysely, sql } from 'kysely';

// A release's fan-out job can be split into parts by user id (user_id % parts = part), one job row
// each with its own cursor, so several processes tell one release's voters at once
// (RELEASE_FANOUT_PARTS; releases/fanout.ts). Existing rows are one part of one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table release_fanouts
      add column part integer not null default 0,
      add column parts integer not null default 1,
      add constraint release_fanouts_part_check check (parts >= 1 and part >= 0 and part < parts)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

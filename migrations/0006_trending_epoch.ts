import { type Kysely, sql } from 'kysely';

// Trending scores are Σ 2^((voted_at − epoch) / 72 h). With a fixed epoch the exponent passes
// 1024 around May 2034 and power() overflows float8, failing every vote. The epoch now lives in
// this one-row table and moves forward (scores scaled down by the same power of two, which keeps
// their order) — see server/src/ideas/trending.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table trending_epoch (
    id boolean primary key default true check (id),
    epoch timestamptz not null
  )`.execute(db);
  await sql`insert into trending_epoch (epoch) values ('2026-01-01T00:00:00Z')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

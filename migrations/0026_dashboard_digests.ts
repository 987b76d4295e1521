import { type Kysely, sql } from 'kysely';

// The weekly digest of top requests for product managers (issue 11): one row per week (its Monday,
// UTC), inserted by the process that sends it, so it goes out once however many processes run and
// however often they restart.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table dashboard_digests (
      week date primary key,
      idea_ids bigint[] not null,
      recipients integer not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

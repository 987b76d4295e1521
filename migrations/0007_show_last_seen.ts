import { type Kysely, sql } from 'kysely';

// Members choose whether others see the day they were last seen (profiles show the day only).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column show_last_seen boolean not null default true`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

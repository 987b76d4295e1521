import { type Kysely, sql } from 'kysely';

// Each review item keeps its per-reason summary ({ "spam": { "count": 3, "weight": 2.5 }, … }),
// written with every flag: the queue shows it without reading every flag of its items.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reviewables add column reasons jsonb not null default '{}'`.execute(db);
  await sql`update reviewables r set reasons = s.reasons from (
      select reviewable_id, jsonb_object_agg(reason, jsonb_build_object('count', n, 'weight', w)) as reasons
        from (select reviewable_id, reason, count(*) as n, sum(weight) as w from flags group by 1, 2) g
       group by reviewable_id) s
    where s.reviewable_id = r.id`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

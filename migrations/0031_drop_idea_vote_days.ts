import { type Kysely, sql } from 'kysely';

// Votes per idea and day (`idea_vote_days`, migration 0024) were kept by every vote statement's
// trigger. Since migration 0027 the sparklines read the months (`idea_vote_months`), and the only
// reader left was the site chart of votes per week, which now counts `idea_votes` in the scan it
// already made for active voters (dashboard/charts.ts). So the table goes, and with it one upsert
// of every vote statement; the months' upsert (migration 0027's own triggers) joins the window
// counts' trigger, so a vote statement runs one trigger that reads its rows once per upsert.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [event, newRows, oldRows] of [
    ['insert', 'new_rows', null],
    ['delete', null, 'old_rows'],
    ['update', 'new_rows', 'old_rows'],
  ] as const) {
    // rows the statement added count +1, rows it removed -1
    const changed = [
      newRows ? `select idea_id, created_at, 1 as sign from ${newRows}` : '',
      oldRows ? `select idea_id, created_at, -1 as sign from ${oldRows}` : '',
    ]
      .filter(Boolean)
      .join(' union all ');
    await sql`create or replace function ${sql.ref(`idea_votes_stats_${event}`)}() returns trigger language plpgsql as $$
      declare
        w7 timestamptz; w30 timestamptz; w90 timestamptz; w365 timestamptz;
      begin
        -- shared with every other vote statement, exclusive for the job that moves the windows
        perform pg_advisory_xact_lock_shared(hashtext('fanlab:vote_windows'));
        select max(starts_at) filter (where days = 7), max(starts_at) filter (where days = 30),
               max(starts_at) filter (where days = 90), max(starts_at) filter (where days = 365)
          into w7, w30, w90, w365 from vote_windows;
        insert into idea_recent_votes as r (idea_id, d7, d30, d90, d365)
        select idea_id,
               coalesce(sum(sign) filter (where created_at >= w7), 0), coalesce(sum(sign) filter (where created_at >= w30), 0),
               coalesce(sum(sign) filter (where created_at >= w90), 0), coalesce(sum(sign) filter (where created_at >= w365), 0)
        from (${sql.raw(changed)}) c group by idea_id order by idea_id
        on conflict (idea_id) do update set d7 = r.d7 + excluded.d7, d30 = r.d30 + excluded.d30,
                                            d90 = r.d90 + excluded.d90, d365 = r.d365 + excluded.d365;
        insert into idea_vote_months as m (idea_id, month, days)
        select idea_id, month, month_of_votes(month, array_agg(extract(day from day)::int), array_agg(votes))
        from (select idea_id, day, date_trunc('month', day)::date as month, sum(sign)::int as votes
              from (select idea_id, (created_at at time zone 'UTC')::date as day, sign from (${sql.raw(changed)}) c) d
              group by idea_id, day) per_day
        group by idea_id, month order by idea_id, month
        on conflict (idea_id, month) do update set days = added_votes(m.days, excluded.days);
        return null;
      end $$`.execute(db);
    await sql`drop trigger ${sql.ref(`idea_votes_months_${event}`)} on idea_votes`.execute(db);
    await sql`drop function ${sql.ref(`idea_votes_months_${event}`)}()`.execute(db);
  }
  await sql`drop table idea_vote_days`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

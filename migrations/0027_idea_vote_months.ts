import { type Kysely, sql } from 'kysely';

// Sparklines in one row per idea and month (issue 11). The dashboard draws each idea's votes per
// day over its window, up to a year: read from `idea_vote_days` that is up to 365 rows, each a
// heap tuple of its own, for every idea of a page (18,000 for 50 ideas), and it was most of the
// page's cost. `idea_vote_months` holds the same numbers as one array per idea and UTC month
// (`days[d]` = standing votes cast on day d), so a year is 13 rows. `idea_vote_days` stays for the
// site charts, which sum every idea's days of a week.
//
// Statement-level triggers on idea_votes, as in migration 0024 (its own, beside the window
// counts'): a statement's rows are summed per idea and day, then per idea and month into an array
// of changes, and upserted in (idea, month) order, so two statements never lock rows in opposite
// orders.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table idea_vote_months (
      idea_id bigint not null references threads (id) on delete cascade,
      month date not null check (extract(day from month) = 1),
      days integer[] not null,
      primary key (idea_id, month)
    )`.execute(db);

  // a month's array of zeros but for the given days (1-based) and their votes
  await sql`create function month_of_votes(month date, day_numbers integer[], votes integer[]) returns integer[]
    language sql immutable parallel safe as $$
      select array_agg(coalesce(v.n, 0) order by g.d)
      from generate_series(1, extract(day from (month + interval '1 month' - interval '1 day'))::int) as g(d)
      left join unnest(day_numbers, votes) as v(d, n) on v.d = g.d
    $$`.execute(db);
  // two months' arrays added day by day
  await sql`create function added_votes(a integer[], b integer[]) returns integer[]
    language sql immutable parallel safe as $$
      select array_agg(x + y order by i) from unnest(a, b) with ordinality as t(x, y, i)
    $$`.execute(db);

  for (const [event, newRows, oldRows] of [
    ['insert', 'new_rows', null],
    ['delete', null, 'old_rows'],
    ['update', 'new_rows', 'old_rows'],
  ] as const) {
    const name = `idea_votes_months_${event}`;
    const changed = [
      newRows ? `select idea_id, created_at, 1 as sign from ${newRows}` : '',
      oldRows ? `select idea_id, created_at, -1 as sign from ${oldRows}` : '',
    ]
      .filter(Boolean)
      .join(' union all ');
    await sql`create function ${sql.ref(name)}() returns trigger language plpgsql as $$
      begin
        insert into idea_vote_months as m (idea_id, month, days)
        select idea_id, month, month_of_votes(month, array_agg(extract(day from day)::int), array_agg(votes))
        from (select idea_id, day, date_trunc('month', day)::date as month, sum(sign)::int as votes
              from (select idea_id, (created_at at time zone 'UTC')::date as day, sign from (${sql.raw(changed)}) c) d
              group by idea_id, day) per_day
        group by idea_id, month order by idea_id, month
        on conflict (idea_id, month) do update set days = added_votes(m.days, excluded.days);
        return null;
      end $$`.execute(db);
    const referencing = [newRows ? 'new table as new_rows' : '', oldRows ? 'old table as old_rows' : '']
      .filter(Boolean)
      .join(' ');
    await sql`create trigger ${sql.ref(name)} after ${sql.raw(event)} on idea_votes
              referencing ${sql.raw(referencing)} for each statement execute function ${sql.ref(name)}()`.execute(db);
  }

  // what the votes already cast add up to
  await sql`insert into idea_vote_months (idea_id, month, days)
    select idea_id, month, month_of_votes(month, array_agg(extract(day from day)::int), array_agg(votes))
    from (select idea_id, day, date_trunc('month', day)::date as month, votes from idea_vote_days) d
    group by idea_id, month`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { type Kysely, sql } from 'kysely';

// A vote's cost in PostgreSQL (issue 12), measured per vote of the vote writer's batches:
//
// - Moving an idea's counter rewrote its `threads` row as a non-HOT update: `vote_count` and
//   `trending_score` were in three of the row's 18 indexes (top, top per category, trending), so
//   every batch wrote a new entry into all 18 for every idea it changed (~80 µs of ~230 a vote).
//   The sort keys now live in the narrow row `idea_recent_votes` already keeps per idea (its
//   windows' counts, migration 0024): `votes` (all of the idea's standing votes: `vote_count`)
//   and `trending` (the trending score, which leaves `threads`), each with its index, kept by
//   the statistics trigger for every writer of `idea_votes` in the upsert it already makes. The
//   three indexes go, and `threads` leaves room on its pages (fillfactor 80), so the writer's
//   `vote_count` update is a HOT one: no index entry at all.
// - The trigger added a statement's votes to the months' arrays by building a whole month of
//   zeros per idea (`month_of_votes`) and adding it element by element (`added_votes`): two SQL
//   functions the planner cannot inline, each a query of its own per idea (~25 µs a vote). A
//   vote statement changes one day of a month for almost every idea it touches, so the trigger
//   moves that one element in place (`days[d] = days[d] + n`); a month with several changed days
//   (a merge, a bulk load) is added in one update with the sum written inline. Still one update
//   per idea and month, in (idea, month) order like before; a month it has no row for yet gets
//   one, zeros but for its changed days. Net-zero changes of a day write nothing.
//
// A vote's trending weight is 2^((voted_at − epoch) / 72 h), the exponent capped at 1000
// (ideas/trending.ts); rebasing the epoch scales `trending`.
const HALF_LIFE_SECONDS = 72 * 3600;
const MAX_EXPONENT = 1000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table idea_recent_votes
      add column votes integer not null default 0,
      add column trending double precision not null default 0`.execute(db);
  await sql`update idea_recent_votes r set votes = t.vote_count, trending = t.trending_score
            from threads t where t.id = r.idea_id`.execute(db);
  await sql`create index idea_recent_votes_votes_idx on idea_recent_votes (votes desc, idea_id desc)`.execute(db);
  await sql`create index idea_recent_votes_trending_idx on idea_recent_votes (trending desc, idea_id desc)`.execute(db);
  await sql`drop index ideas_top_idx`.execute(db);
  await sql`drop index ideas_cat_top_idx`.execute(db);
  await sql`drop index ideas_trending_idx`.execute(db);
  await sql`alter table threads drop column trending_score`.execute(db);
  await sql`alter table threads set (fillfactor = 80)`.execute(db);

  const weight = `power(2::float8, least(extract(epoch from created_at - trending_start) / ${HALF_LIFE_SECONDS}, ${MAX_EXPONENT}))`;
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
        w7 timestamptz; w30 timestamptz; w90 timestamptz; w365 timestamptz; trending_start timestamptz;
        ch record; d integer; k integer; fresh integer[];
      begin
        -- shared with every other vote statement, exclusive for the job that moves the windows
        perform pg_advisory_xact_lock_shared(hashtext('fanlab:vote_windows'));
        select max(starts_at) filter (where days = 7), max(starts_at) filter (where days = 30),
               max(starts_at) filter (where days = 90), max(starts_at) filter (where days = 365)
          into w7, w30, w90, w365 from vote_windows;
        -- read under the vote statement's lock on trending_epoch (rebasing takes it exclusively)
        select epoch into trending_start from trending_epoch;
        insert into idea_recent_votes as r (idea_id, d7, d30, d90, d365, votes, trending)
        select idea_id,
               coalesce(sum(sign) filter (where created_at >= w7), 0), coalesce(sum(sign) filter (where created_at >= w30), 0),
               coalesce(sum(sign) filter (where created_at >= w90), 0), coalesce(sum(sign) filter (where created_at >= w365), 0),
               sum(sign), sum(sign * ${sql.raw(weight)})
        from (${sql.raw(changed)}) c group by idea_id order by idea_id
        on conflict (idea_id) do update set d7 = r.d7 + excluded.d7, d30 = r.d30 + excluded.d30,
                                            d90 = r.d90 + excluded.d90, d365 = r.d365 + excluded.d365,
                                            votes = r.votes + excluded.votes,
                                            trending = greatest(0, r.trending + excluded.trending);
        -- one row version per idea and month and statement: a bulk statement (a merge, a
        -- restore's seed) that changes many days of a month must not rewrite its row per day
        for ch in
          select idea_id, month, array_agg(day_number order by day_number) as ds, array_agg(n order by day_number) as ns
          from (select idea_id, date_trunc('month', day)::date as month, extract(day from day)::int as day_number, sum(sign)::int as n
                from (select idea_id, (created_at at time zone 'UTC')::date as day, sign from (${sql.raw(changed)}) c) per_vote
                group by idea_id, day having sum(sign) <> 0) per_day
          group by idea_id, month
          order by idea_id, month
        loop
          if cardinality(ch.ds) = 1 then
            -- a vote statement's usual change: one day of the month
            d := ch.ds[1];
            update idea_vote_months m set days[d] = m.days[d] + ch.ns[1]
            where m.idea_id = ch.idea_id and m.month = ch.month;
          else
            update idea_vote_months m
            set days = (select array_agg(u.v + coalesce(c.n, 0) order by u.i)
                        from unnest(m.days) with ordinality as u(v, i)
                        left join unnest(ch.ds, ch.ns) as c(day_number, n) on c.day_number = u.i)
            where m.idea_id = ch.idea_id and m.month = ch.month;
          end if;
          if not found then
            fresh := array_fill(0, array[extract(day from ch.month + interval '1 month' - interval '1 day')::int]);
            for k in 1 .. cardinality(ch.ds) loop
              fresh[ch.ds[k]] := ch.ns[k];
            end loop;
            insert into idea_vote_months as m (idea_id, month, days) values (ch.idea_id, ch.month, fresh)
            on conflict (idea_id, month) do update
            set days = (select array_agg(x + y order by i) from unnest(m.days, excluded.days) with ordinality as t(x, y, i));
          end if;
        end loop;
        return null;
      end $$`.execute(db);
  }
  await sql`drop function month_of_votes(date, integer[], integer[])`.execute(db);
  await sql`drop function added_votes(integer[], integer[])`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

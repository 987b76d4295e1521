import { type Kysely, sql } from 'kysely';

// The product managers' dashboard (issue 11): votes within a time window and votes per day,
// kept by the database itself so that every writer of idea_votes (the vote writer, held votes
// released, merges and unmerges, accounts deleted by cascade) keeps them exact.
//
// - `vote_windows`: the windows the dashboard offers (7, 30, 90, 365 days) and where each
//   starts now. `ideas/windows.ts` moves the starts forward every minute and subtracts the
//   votes that left, under an exclusive advisory lock; vote statements take it shared, so a vote
//   is counted in a window exactly when its time is at or after the window's start.
// - `idea_recent_votes`: per idea, its standing votes cast since each window's start. Every idea
//   has a row (a trigger on threads adds it), so "top in the last 30 days" is an index scan.
// - `idea_vote_days`: per idea and UTC day, its standing votes cast that day (sparklines, charts).
//
// Statement-level triggers on idea_votes with transition tables: one pass per statement, not per
// row. Rows are upserted in idea id order, so two statements never lock them in opposite orders.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table vote_windows (
      days integer primary key check (days in (7, 30, 90, 365)),
      starts_at timestamptz not null
    )`.execute(db);
  await sql`insert into vote_windows (days, starts_at)
            select d, now() - make_interval(days => d) from unnest(array[7, 30, 90, 365]) d`.execute(db);

  await sql`create table idea_recent_votes (
      idea_id bigint primary key references threads (id) on delete cascade,
      d7 integer not null default 0,
      d30 integer not null default 0,
      d90 integer not null default 0,
      d365 integer not null default 0
    )`.execute(db);
  for (const d of [7, 30, 90, 365]) {
    await sql`create index ${sql.ref(`idea_recent_votes_d${d}_idx`)} on idea_recent_votes (${sql.ref(`d${d}`)} desc, idea_id desc)`.execute(
      db,
    );
  }

  await sql`create table idea_vote_days (
      idea_id bigint not null references threads (id) on delete cascade,
      day date not null,
      votes integer not null,
      primary key (idea_id, day)
    )`.execute(db);
  await sql`create index idea_vote_days_day_idx on idea_vote_days (day)`.execute(db);

  // the merged duplicates of an idea (the export counts them)
  await sql`create index ideas_merged_into_idx on threads (merged_into_id) where merged_into_id is not null`.execute(
    db,
  );
  // the dashboard's "discussion" order, like the other idea orders
  await sql`create index ideas_discussed_idx on threads (post_count desc, id desc)
            where kind = 'idea' and deleted_at is null and not unlisted and hidden_at is null`.execute(db);
  // recent votes with their voters: the windows' job and the site chart of active voters read it alone
  await sql`create index idea_votes_recent_voters_idx on idea_votes (created_at desc, idea_id, user_id)`.execute(db);
  await sql`drop index idea_votes_recent_idx`.execute(db);
  // the site chart of status changes per week
  await sql`create index idea_status_changes_created_idx on idea_status_changes (created_at)`.execute(db);

  // every idea has its row of window counts
  await sql`create function idea_recent_votes_row() returns trigger language plpgsql as $$
    begin
      insert into idea_recent_votes (idea_id) values (new.id) on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`create trigger threads_idea_recent_votes after insert or update of kind on threads
            for each row when (new.kind = 'idea') execute function idea_recent_votes_row()`.execute(db);

  // One trigger per event (a trigger with transition tables takes one event): rows a statement
  // added count +1, rows it removed -1 (an update is both: a merge moving votes keeps their time).
  for (const [event, newRows, oldRows] of [
    ['insert', 'new_rows', null],
    ['delete', null, 'old_rows'],
    ['update', 'new_rows', 'old_rows'],
  ] as const) {
    const name = `idea_votes_stats_${event}`;
    await sql`create function ${sql.ref(name)}() returns trigger language plpgsql as $$
      ${sql.raw(statsBody(newRows, oldRows))}
      $$`.execute(db);
    const referencing = [newRows ? 'new table as new_rows' : '', oldRows ? 'old table as old_rows' : '']
      .filter(Boolean)
      .join(' ');
    await sql`create trigger ${sql.ref(name)} after ${sql.raw(event)} on idea_votes
              referencing ${sql.raw(referencing)} for each statement execute function ${sql.ref(name)}()`.execute(db);
  }

  // what the votes already cast add up to
  await sql`insert into idea_recent_votes (idea_id, d7, d30, d90, d365)
    select t.id,
           count(v.*) filter (where v.created_at >= (select starts_at from vote_windows where days = 7)),
           count(v.*) filter (where v.created_at >= (select starts_at from vote_windows where days = 30)),
           count(v.*) filter (where v.created_at >= (select starts_at from vote_windows where days = 90)),
           count(v.*) filter (where v.created_at >= (select starts_at from vote_windows where days = 365))
    from threads t left join idea_votes v on v.idea_id = t.id
    where t.kind = 'idea' group by t.id`.execute(db);
  await sql`insert into idea_vote_days (idea_id, day, votes)
    select idea_id, (created_at at time zone 'UTC')::date, count(*) from idea_votes group by 1, 2`.execute(db);
}

/** The rows a statement added (+1) and removed (-1), from its transition tables. */
function changedRows(newRows: string | null, oldRows: string | null): string {
  return [
    newRows ? `select idea_id, created_at, 1 as sign from ${newRows}` : '',
    oldRows ? `select idea_id, created_at, -1 as sign from ${oldRows}` : '',
  ]
    .filter(Boolean)
    .join(' union all ');
}

/** The trigger body: lock, read the windows' starts, upsert the idea's counts and days. */
function statsBody(newRows: string | null, oldRows: string | null): string {
  const changed = changedRows(newRows, oldRows);
  return `
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
      from (${changed}) c group by idea_id order by idea_id
      on conflict (idea_id) do update set d7 = r.d7 + excluded.d7, d30 = r.d30 + excluded.d30,
                                          d90 = r.d90 + excluded.d90, d365 = r.d365 + excluded.d365;
      insert into idea_vote_days as d (idea_id, day, votes)
      select idea_id, (created_at at time zone 'UTC')::date, sum(sign)::int
      from (${changed}) c group by 1, 2 order by 1, 2
      on conflict (idea_id, day) do update set votes = d.votes + excluded.votes;
      return null;
    end;`;
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

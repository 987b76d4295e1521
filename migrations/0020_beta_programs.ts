import { type Kysely, sql } from 'kysely';

// Beta programs (issue 10). A program has seats in all and, per eligible device model, an
// optional quota; the accepted counts are kept on the program row and on each model row, and the
// checks below make "never oversold" a property of the data: accepted <= seats, accepted <= quota.
// Every writer of seats locks the program row first (FOR UPDATE), so counts, tester numbers
// (next_tester_number: never reused) and waitlist order (waitlist_seq: assigned under that lock,
// so it is the commit order) move one writer at a time per program. A waitlist position is the
// rank among the applications still waitlisted. One application per member per program.
// In reviewed mode an application waits in the one review queue (reviewables of type
// 'beta_application').
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table beta_programs (
      id bigint generated always as identity primary key,
      slug text not null unique,
      name text not null,
      category_id bigint not null references categories (id),
      description text not null,
      description_cooked text not null,
      terms text not null,
      seats integer not null check (seats >= 0),
      accepted_count integer not null default 0,
      regions text[] not null default '{}',
      min_account_age_days integer not null default 0,
      min_trust_level integer not null default 0 check (min_trust_level between 0 and 3),
      quiz jsonb,
      mode text not null check (mode in ('first_come', 'reviewed')),
      state text not null default 'draft' check (state in ('draft', 'open', 'closed', 'archived')),
      opens_at timestamptz,
      closes_at timestamptz,
      feedback_category_id bigint references categories (id) on delete set null,
      next_tester_number integer not null default 1,
      waitlist_seq bigint not null default 0,
      seats_version integer not null default 1,
      created_by bigint references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (accepted_count between 0 and seats),
      check (opens_at is null or closes_at is null or opens_at < closes_at)
    )`.execute(db);
  await sql`create index beta_programs_list_idx on beta_programs (state, id desc)`.execute(db);

  await sql`create table beta_program_devices (
      program_id bigint not null references beta_programs (id),
      model text not null,
      quota integer check (quota >= 0),
      accepted_count integer not null default 0,
      position integer not null,
      primary key (program_id, model),
      check (accepted_count >= 0 and (quota is null or accepted_count <= quota))
    )`.execute(db);

  await sql`create table beta_applications (
      id bigint generated always as identity primary key,
      program_id bigint not null references beta_programs (id),
      user_id bigint not null references users (id),
      device_model text not null,
      region text not null,
      quiz_answers integer[],
      quiz_score integer,
      status text not null check (status in ('pending', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'removed')),
      tester_number integer,
      waitlist_seq bigint,
      reason text,
      consented_at timestamptz not null,
      applied_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by bigint references users (id),
      unique (program_id, user_id),
      unique (program_id, tester_number),
      foreign key (program_id, device_model) references beta_program_devices (program_id, model),
      check ((status = 'accepted') <= (tester_number is not null)),
      check ((status = 'waitlisted') <= (waitlist_seq is not null))
    )`.execute(db);
  await sql`create index beta_applications_waitlist_idx on beta_applications (program_id, waitlist_seq)
      where status = 'waitlisted'`.execute(db);
  await sql`create index beta_applications_user_idx on beta_applications (user_id, id desc)`.execute(db);

  await sql`alter table reviewables
      add column beta_application_id bigint references beta_applications (id),
      drop constraint reviewables_type_check,
      add constraint reviewables_type_check check (type in ('flagged_post', 'queued_post', 'beta_application')),
      drop constraint reviewables_status_check,
      add constraint reviewables_status_check
        check (status in ('pending', 'agreed', 'disagreed', 'ignored', 'approved', 'rejected', 'accepted', 'waitlisted')),
      drop constraint reviewables_target_check,
      add constraint reviewables_target_check check (
        (type = 'flagged_post' and post_id is not null and thread_id is not null and queued_post_id is null
          and beta_application_id is null)
        or (type = 'queued_post' and queued_post_id is not null and beta_application_id is null)
        or (type = 'beta_application' and beta_application_id is not null and post_id is null
          and thread_id is null and queued_post_id is null))`.execute(db);
  await sql`create unique index reviewables_beta_application_key on reviewables (beta_application_id)
      where beta_application_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

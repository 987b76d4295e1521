import { type Kysely, sql } from 'kysely';

// Releases (issue 10): a version on a channel (beta or stable), its day, notes and the ideas it
// delivers. Publishing moves the linked ideas on (in_beta / shipped, each status change naming the
// release) and leaves a fan-out job: a worker notifies every voter and author in chunks, each
// chunk one short transaction that also moves the job's cursor (release_fanouts.after_user_id),
// so a crash resumes where it stopped. One `released` notification per person per release is
// also a unique index, so nobody can be told twice whatever runs the worker. docs/releases.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table releases (
      id bigint generated always as identity primary key,
      version text not null,
      channel text not null check (channel in ('beta', 'stable')),
      release_date date not null,
      notes_raw text not null default '',
      notes_cooked text not null default '',
      state text not null default 'draft' check (state in ('draft', 'published')),
      created_by bigint references users (id) on delete set null,
      published_by bigint references users (id) on delete set null,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((state = 'published') = (published_at is not null))
    )`.execute(db);
  await sql`create unique index releases_version_idx on releases (channel, version)`.execute(db);
  // the changelog and the feed: published releases, newest day first
  await sql`create index releases_changelog_idx on releases (release_date desc, id desc) where state = 'published'`.execute(
    db,
  );
  await sql`create index releases_channel_changelog_idx on releases (channel, release_date desc, id desc)
            where state = 'published'`.execute(db);

  await sql`create table release_ideas (
      release_id bigint not null references releases (id) on delete cascade,
      idea_id bigint not null references threads (id),
      added_at timestamptz not null default now(),
      primary key (release_id, idea_id)
    )`.execute(db);
  await sql`create index release_ideas_idea_idx on release_ideas (idea_id)`.execute(db);

  // One job per announcement (a publication, or ideas linked to a published release later).
  await sql`create table release_fanouts (
      id bigint generated always as identity primary key,
      release_id bigint not null references releases (id),
      idea_ids bigint[] not null,
      actor_id bigint references users (id) on delete set null,
      after_user_id bigint not null default 0,
      notified integer not null default 0,
      chunks integer not null default 0,
      created_at timestamptz not null default now(),
      done_at timestamptz
    )`.execute(db);
  await sql`create index release_fanouts_pending_idx on release_fanouts (id) where done_at is null`.execute(db);

  await sql`create unique index notifications_released_once_idx
            on notifications (user_id, ((data->>'releaseId')::bigint)) where kind = 'released'`.execute(db);

  // the status change a release made names it
  await sql`alter table idea_status_changes add column release_id bigint references releases (id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

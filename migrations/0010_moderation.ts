import { type Kysely, sql } from 'kysely';

// Moderation: flags, one review queue (reviewables, in the manner of Discourse), hidden posts.
//
// - A flag is one member's report of one post (a thread is flagged through its first post); one
//   per member per post, ever (`flags_post_user_key`).
// - A reviewable is one item waiting for a moderator's decision: all pending flags of a post
//   gather in one (`reviewables_pending_post_key`); a decided one stays as the record, and a
//   later flag opens a new one. `version` changes on every decision, so two moderators acting on
//   the same version cannot both win (the second gets 409).
// - `reviewable_history` keeps every step (flagged, claimed, decided …) with its actor.
// - posts.hidden_at: hidden until a moderator decides (shown to others as hidden, to the author
//   with the reason). A hidden first post hides its thread from every list (threads.hidden_at),
//   so the list indexes are rebuilt with `hidden_at is null` in their predicate.
export async function up(db: Kysely<unknown>): Promise<void> {
  // hidden_by: null while the flags wait for review, the moderator once one agreed
  await sql`alter table posts add column hidden_at timestamptz, add column hidden_reason text,
    add column hidden_by bigint references users (id)`.execute(db);
  await sql`alter table threads add column hidden_at timestamptz`.execute(db);
  // flags' accuracy (their weight), and why a sanction was given (the member is told)
  await sql`alter table users
    add column flags_agreed integer not null default 0,
    add column flags_disagreed integer not null default 0,
    add column silence_reason text,
    add column suspend_reason text`.execute(db);

  await sql`create table reviewables (
    id bigint generated always as identity primary key,
    type text not null check (type in ('flagged_post')),
    post_id bigint not null references posts (id),
    thread_id bigint not null references threads (id),
    category_id bigint not null references categories (id),
    target_author_id bigint not null references users (id),
    status text not null default 'pending' check (status in ('pending', 'agreed', 'disagreed', 'ignored')),
    score double precision not null default 0,
    flag_count integer not null default 0,
    top_reason text not null,
    claimed_by bigint references users (id),
    claimed_at timestamptz,
    deferred_until timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    decided_at timestamptz,
    decided_by bigint references users (id),
    check ((status = 'pending') = (decided_at is null))
  )`.execute(db);
  await sql`create unique index reviewables_pending_post_key on reviewables (post_id) where status = 'pending'`.execute(
    db,
  );
  // the queue: pending first by score, then age; filters by category and reason
  await sql`create index reviewables_queue_idx on reviewables (status, score desc, id) `.execute(db);
  await sql`create index reviewables_category_idx on reviewables (category_id, status, id)`.execute(db);
  await sql`create index reviewables_post_idx on reviewables (post_id, id)`.execute(db);

  await sql`create table flags (
    id bigint generated always as identity primary key,
    reviewable_id bigint not null references reviewables (id),
    post_id bigint not null references posts (id),
    user_id bigint not null references users (id),
    reason text not null check (reason in ('spam', 'rude', 'off_topic', 'duplicate', 'other')),
    message text,
    duplicate_of bigint references threads (id),
    weight double precision not null,
    status text not null default 'pending' check (status in ('pending', 'agreed', 'disagreed', 'ignored')),
    created_at timestamptz not null default now(),
    check (reason <> 'other' or message is not null),
    check ((reason = 'duplicate') = (duplicate_of is not null))
  )`.execute(db);
  await sql`create unique index flags_post_user_key on flags (post_id, user_id)`.execute(db);
  await sql`create index flags_reviewable_idx on flags (reviewable_id, id)`.execute(db);
  await sql`create index flags_user_idx on flags (user_id, created_at desc)`.execute(db);

  await sql`create table reviewable_history (
    id bigint generated always as identity primary key,
    reviewable_id bigint not null references reviewables (id),
    actor_id bigint references users (id),
    action text not null,
    data jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index reviewable_history_idx on reviewable_history (reviewable_id, id)`.execute(db);

  // Lists leave out hidden threads: rebuild the partial indexes they are read from.
  const listed = sql`where deleted_at is null and not unlisted and hidden_at is null`;
  const ideas = sql`where kind = 'idea' and deleted_at is null and not unlisted and hidden_at is null`;
  const indexes: [string, string, ReturnType<typeof sql>][] = [
    ['threads_cat_latest_idx', '(category_id, (pinned_at is not null) desc, bumped_at desc, id desc)', listed],
    ['threads_cat_newest_idx', '(category_id, (pinned_at is not null) desc, created_at desc, id desc)', listed],
    ['threads_cat_replies_idx', '(category_id, (pinned_at is not null) desc, post_count desc, id desc)', listed],
    ['threads_cat_likes_idx', '(category_id, (pinned_at is not null) desc, like_count desc, id desc)', listed],
    ['threads_latest_idx', '(bumped_at desc, id desc)', listed],
    ['ideas_top_idx', '(vote_count desc, id desc)', ideas],
    ['ideas_cat_top_idx', '(category_id, vote_count desc, id desc)', ideas],
    ['ideas_new_idx', '(created_at desc, id desc)', ideas],
    ['ideas_cat_new_idx', '(category_id, created_at desc, id desc)', ideas],
    ['ideas_trending_idx', '(trending_score desc, id desc)', ideas],
  ];
  for (const [name, columns, where] of indexes) {
    await sql`drop index ${sql.ref(name)}`.execute(db);
    await sql`create index ${sql.ref(name)} on threads ${sql.raw(columns)} ${where}`.execute(db);
  }
  await sql`drop index ideas_tags_idx`.execute(db);
  await sql`create index ideas_tags_idx on threads using gin (tags) ${ideas}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

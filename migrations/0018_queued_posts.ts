import { type Kysely, sql } from 'kysely';

// Posts held for approval (Discourse's queued posts): a new member's first posts, a new member's
// post with links, a post with a watched word. Nothing is published while it waits: the thread,
// its numbering, counters, lists, search and notifications see the post only once a moderator
// approves it (it is then written like any post, at the end of its thread). Each waits in the
// one review queue as a reviewable of type 'queued_post'. The category it was written for is
// kept (null once that category is deleted: only decided ones allow it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table queued_posts (
      id bigint generated always as identity primary key,
      author_id bigint not null references users (id),
      kind text not null check (kind in ('reply', 'thread')),
      thread_id bigint references threads (id),
      category_id bigint references categories (id) on delete set null,
      title text,
      thread_kind text check (thread_kind in ('discussion', 'idea')),
      raw text not null,
      cooked text not null,
      reply_to_post_number integer,
      reason text not null check (reason in ('new_member', 'links', 'watched_word')),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by bigint references users (id),
      post_id bigint references posts (id),
      check ((kind = 'reply') = (thread_id is not null)),
      check ((kind = 'thread') = (title is not null and thread_kind is not null))
    )`.execute(db);
  await sql`create index queued_posts_author_idx on queued_posts (author_id, id desc)`.execute(db);

  await sql`alter table reviewables
      alter column post_id drop not null,
      alter column thread_id drop not null,
      add column queued_post_id bigint references queued_posts (id),
      drop constraint reviewables_type_check,
      add constraint reviewables_type_check check (type in ('flagged_post', 'queued_post')),
      drop constraint reviewables_status_check,
      add constraint reviewables_status_check
        check (status in ('pending', 'agreed', 'disagreed', 'ignored', 'approved', 'rejected')),
      add constraint reviewables_target_check check (
        (type = 'flagged_post' and post_id is not null and thread_id is not null and queued_post_id is null)
        or (type = 'queued_post' and queued_post_id is not null))`.execute(db);
  // A review item's category is where its thread lives (it follows moves), and a deleted
  // category leaves decided items (and held posts that never became threads) without one,
  // instead of refusing the deletion for history's sake. Pending held posts refuse it.
  await sql`alter table reviewables drop constraint reviewables_category_id_fkey,
      alter column category_id drop not null,
      add constraint reviewables_category_id_fkey foreign key (category_id) references categories (id)
        on delete set null`.execute(db);
  await sql`update reviewables r set category_id = t.category_id from threads t
      where t.id = r.thread_id and r.category_id <> t.category_id`.execute(db);
  await sql`create unique index reviewables_queued_post_key on reviewables (queued_post_id)
      where queued_post_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

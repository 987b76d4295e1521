import { type Kysely, sql } from 'kysely';

// Notification levels (issue 13), Discourse-style: a member's choice per thread and per category
// of watching, tracking, normal or muted (docs/notifications.md). No row: the default. A thread's
// level is its own row, else its category's (then the parent category's) unless that is normal,
// else tracking once they have read it, else normal: `thread_notification_level` is that rule,
// the one place it is written. New posts in a watched thread group into one unread `posted`
// notification per thread and member, as likes do per post.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table thread_notification_levels (
      user_id bigint not null references users (id) on delete cascade,
      thread_id bigint not null references threads (id) on delete cascade,
      level text not null check (level in ('watching', 'tracking', 'normal', 'muted')),
      updated_at timestamptz not null default now(),
      primary key (user_id, thread_id))`.execute(db);
  // a thread's watchers (every reply looks them up); a member's list of watched or muted threads
  await sql`create index thread_notification_levels_watching_idx on thread_notification_levels (thread_id)
            where level = 'watching'`.execute(db);
  await sql`create index thread_notification_levels_user_idx
            on thread_notification_levels (user_id, level, updated_at desc, thread_id desc)`.execute(db);
  await sql`create table category_notification_levels (
      user_id bigint not null references users (id) on delete cascade,
      category_id bigint not null references categories (id) on delete cascade,
      level text not null check (level in ('watching', 'tracking', 'normal', 'muted')),
      updated_at timestamptz not null default now(),
      primary key (user_id, category_id))`.execute(db);
  await sql`create index category_notification_levels_category_idx on category_notification_levels (category_id, level)`.execute(
    db,
  );
  await sql`create function thread_notification_level(p_user bigint, p_thread bigint) returns text
      language sql stable as $$
        select coalesce(
          (select l.level from thread_notification_levels l where l.user_id = p_user and l.thread_id = p_thread),
          (select nullif(cl.level, 'normal')
             from threads t join categories c on c.id = t.category_id
             cross join lateral (select l.level from category_notification_levels l
                                 where l.user_id = p_user and l.category_id in (c.id, c.parent_id)
                                 order by l.category_id = c.id desc limit 1) cl
            where t.id = p_thread),
          case when exists (select 1 from thread_reads r where r.user_id = p_user and r.thread_id = p_thread)
               then 'tracking' else 'normal' end)
      $$`.execute(db);
  await sql`create unique index notifications_posted_group_idx on notifications (user_id, thread_id)
            where kind = 'posted' and read_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

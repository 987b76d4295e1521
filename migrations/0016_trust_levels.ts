import { type Kysely, sql } from 'kysely';

// Trust levels (0 new, 1 basic, 2 member, 3 regular), computed from what members do. The
// counters are kept by the writes that change them (visits, read markers, likes, replies).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users
      add column trust_level smallint not null default 0 check (trust_level between 0 and 3),
      add column trust_level_locked boolean not null default false,
      add column days_visited integer not null default 0,
      add column threads_entered integer not null default 0,
      add column posts_read integer not null default 0,
      add column read_seconds integer not null default 0,
      add column last_read_at timestamptz,
      add column likes_given integer not null default 0,
      add column likes_received integer not null default 0,
      add column replies_posted integer not null default 0`.execute(db);
  // What members already did counts.
  await sql`update users u set
      threads_entered = coalesce((select count(*) from thread_reads r where r.user_id = u.id), 0),
      posts_read = coalesce((select sum(r.last_read_post_number) from thread_reads r where r.user_id = u.id), 0),
      likes_given = coalesce((select count(*) from post_likes l where l.user_id = u.id), 0),
      likes_received = coalesce((select count(*) from post_likes l join posts p on p.id = l.post_id
                                  where p.author_id = u.id), 0),
      replies_posted = coalesce((select count(*) from posts p where p.author_id = u.id and p.post_number > 1
                                    and p.deleted_at is null), 0),
      days_visited = case when u.last_seen_at is null then 0 else 1 end`.execute(db);
  // Members who were here before trust levels are not sent back to the new-member limits;
  // the level job promotes them further by the rules.
  await sql`update users set trust_level = 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

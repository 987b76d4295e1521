import type { Profile } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { listedThread } from '../forum/queries';
import { notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { toActivityItem, toProfile } from './present';

export async function findUserByUsername(db: Db, username: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'created_at', 'last_seen_at', 'show_last_seen'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  if (!user) throw notFound('The user');
  return user;
}

/**
 * Members whose name starts with `prefix` (ignoring case), for @mention suggestions: an exact
 * name first, then who was seen most recently; suspended members are left out (they cannot
 * read the mention). Uses the `text_pattern_ops` index of migration 0034.
 */
export async function searchUsernames(db: Db, prefix: string, limit: number) {
  const lower = prefix.toLowerCase();
  const pattern = `${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('users')
    .select(['username', 'role'])
    .where(sql<boolean>`lower(username) like ${pattern}`)
    .where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<=', sql<Date>`now()`)]))
    .orderBy(sql`lower(username) = ${lower}`, 'desc')
    .orderBy(sql`last_seen_at desc nulls last`)
    .orderBy('username')
    .limit(limit)
    .execute();
}

/** A public profile with its activity counts, in one query. */
export async function getProfile(db: Db, username: string): Promise<Profile> {
  const user = await findUserByUsername(db, username);
  const counts = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('threads')
        .select(eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', user.id)
        .where('kind', '=', 'discussion')
        .where(listedThread('threads'))
        .as('threads'),
      eb
        .selectFrom('threads')
        .select(eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', user.id)
        .where('kind', '=', 'idea')
        .where(listedThread('threads'))
        .as('ideas'),
      eb
        .selectFrom('posts')
        .select(eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', user.id)
        .where('post_number', '>', 1)
        .where('deleted_at', 'is', null)
        .as('replies'),
      eb.selectFrom('post_likes').select(eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).as('given'),
      eb
        .selectFrom('posts')
        .select(sql<number>`coalesce(sum(like_count), 0)::int`.as('n'))
        .where('author_id', '=', user.id)
        .where('deleted_at', 'is', null)
        .as('received'),
    ])
    .executeTakeFirstOrThrow();
  return toProfile(user, counts);
}

export type ActivityType = 'threads' | 'replies' | 'ideas' | 'likes';

/** A user's threads, replies, ideas or liked posts, newest first, keyset-paginated by id. */
export async function listActivity(db: Db, username: string, type: ActivityType, limit: number, cursor?: string) {
  const user = await findUserByUsername(db, username);
  const after = decodeCursor(cursor, ['id']);
  let query = db
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select(['t.id as thread_id', 't.title', 't.kind', 'p.post_number', 'p.cooked', 'p.created_at', 'p.id as key'])
    .where('p.deleted_at', 'is', null)
    .where('p.hidden_at', 'is', null)
    .where(listedThread('t'))
    .limit(sql.lit(limit + 1));
  if (type === 'likes') {
    query = query
      .innerJoin('post_likes as l', 'l.post_id', 'p.id')
      .where('l.user_id', '=', user.id)
      .orderBy('l.created_at', 'desc')
      .orderBy('p.id', 'desc');
    if (after) {
      // likes are ordered by when they were given; the cursor is the liked post id, resolved here
      // (a row compared with a two-column subquery: a subquery of one record column would be an
      // anonymous record, which PostgreSQL cannot compare with the row)
      query = query.where(
        sql<boolean>`(l.created_at, p.id) < (select created_at, post_id from post_likes
                      where user_id = ${user.id} and post_id = ${after[0]})`,
      );
    }
  } else {
    query = query.where('p.author_id', '=', user.id).orderBy('p.id', 'desc');
    if (type === 'replies') query = query.where('p.post_number', '>', 1);
    else query = query.where('p.post_number', '=', 1).where('t.kind', '=', type === 'ideas' ? 'idea' : 'discussion');
    if (after) query = query.where('p.id', '<', after[0]);
  }
  const rows = await query.execute();
  return toPage(rows, limit, toActivityItem, (r) => [r.key]);
}

import { type CategoryLevel, ErrorCodes, type NotificationLevel, type ThreadLevel } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';
import { forumPolicy } from '../forum/policy';
import { listedThread } from '../forum/queries';
import { enforce, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { announceInserted } from './announce';

/*
 * Notification levels (docs/notifications.md): a member's choice per thread and per category.
 * The rule of which level is in force is the SQL function `thread_notification_level` (migration
 * 0036): the thread's own row, else its category's (then the parent's) unless that is normal, else
 * tracking once read, else normal. Everything here asks it rather than repeating it.
 */

/** The level in force for a member and a thread. */
export async function threadLevel(db: Db, userId: number, threadId: number): Promise<NotificationLevel> {
  const { rows } = await sql<{ level: NotificationLevel }>`
    select thread_notification_level(${userId}, ${threadId}) as level`.execute(db);
  return rows[0]?.level ?? 'normal';
}

/** Sets the member's own level of a thread they can see; answers the level now in force. */
export async function setThreadLevel(
  tx: Tx,
  user: User,
  threadId: number,
  level: NotificationLevel,
): Promise<NotificationLevel> {
  const thread = await tx.selectFrom('threads').select('deleted_at').where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw notFound('The thread');
  enforce(forumPolicy.seeThread(user, thread), { [ErrorCodes.notFound]: 'The thread does not exist.' });
  await tx
    .insertInto('thread_notification_levels')
    .values({ user_id: user.id, thread_id: threadId, level })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ level, updated_at: sql`now()` }))
    .execute();
  return level;
}

/**
 * Sets the member's level of a category (and, unless they chose otherwise there, its
 * sub-categories'). Normal is kept as a row: it stops a parent's level reaching this category.
 */
export async function setCategoryLevel(
  tx: Tx,
  user: User,
  categoryId: number,
  level: NotificationLevel,
): Promise<NotificationLevel> {
  const category = await tx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst();
  if (!category) throw notFound('The category');
  await tx
    .insertInto('category_notification_levels')
    .values({ user_id: user.id, category_id: categoryId, level })
    .onConflict((oc) => oc.columns(['user_id', 'category_id']).doUpdateSet({ level, updated_at: sql`now()` }))
    .execute();
  return level;
}

/** A thread's starter watches it (as on Discourse), unless they already chose a level. */
export async function watchOwnThread(tx: Tx, userId: number, threadId: number): Promise<void> {
  await tx
    .insertInto('thread_notification_levels')
    .values({ user_id: userId, thread_id: threadId, level: 'watching' })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

interface PostContext {
  threadId: number;
  postId: number;
  actorId: number;
  /** Members notified already about this post (replied to, mentioned, quoted): not again. */
  skip: Set<number>;
}

/**
 * A new reply tells everyone watching its thread (by their own choice or their category's) in
 * one statement: while their `posted` notification of the thread is unread it counts one more
 * post (and points at the first), else a new one starts. Returns how many were told.
 */
export async function notifyThreadWatchers(tx: Tx, ctx: PostContext): Promise<number> {
  const skip = [...ctx.skip, ctx.actorId];
  const { rows } = await sql<{ n: number }>`
    with watchers as (
      select l.user_id from thread_notification_levels l where l.thread_id = ${ctx.threadId} and l.level = 'watching'
      union
      select l.user_id from threads t join categories c on c.id = t.category_id
        join category_notification_levels l on l.category_id in (c.id, c.parent_id) and l.level = 'watching'
       where t.id = ${ctx.threadId}
    ), inserted as (
      insert into notifications (user_id, kind, thread_id, post_id, actor_id)
      select w.user_id, 'posted', ${ctx.threadId}, ${ctx.postId}, ${ctx.actorId} from watchers w
       where w.user_id <> all(${skip}::bigint[])
         and thread_notification_level(w.user_id, ${ctx.threadId}) = 'watching'
      on conflict (user_id, thread_id) where kind = 'posted' and read_at is null do update set
        actor_id = excluded.actor_id,
        actor_count = notifications.actor_count + 1,
        seq = nextval('notification_seq'),
        updated_at = now()
      returning *, (xmax = 0) as fresh
    ), ${announceInserted}
    select count(*)::int as n from announced`.execute(tx);
  return rows[0]?.n ?? 0;
}

/**
 * A new thread tells everyone watching or tracking its category (a sub-category's own level
 * first, else its parent's), in one statement. Returns how many were told.
 */
export async function notifyCategoryWatchers(tx: Tx, categoryId: number, ctx: PostContext): Promise<number> {
  const skip = [...ctx.skip, ctx.actorId];
  const { rows } = await sql<{ n: number }>`
    with category as (select id, parent_id from categories where id = ${categoryId}),
    watchers as (
      select distinct on (l.user_id) l.user_id, l.level from category c
        join category_notification_levels l on l.category_id in (c.id, c.parent_id)
       order by l.user_id, l.category_id = c.id desc
    ), inserted as (
      insert into notifications (user_id, kind, thread_id, post_id, actor_id)
      select w.user_id, 'new_thread', ${ctx.threadId}, ${ctx.postId}, ${ctx.actorId} from watchers w
       where w.level in ('watching', 'tracking') and w.user_id <> all(${skip}::bigint[])
      returning *, true as fresh
    ), ${announceInserted}
    select count(*)::int as n from announced`.execute(tx);
  return rows[0]?.n ?? 0;
}

/** The categories the member chose a level for. */
export async function listCategoryLevels(db: Db, userId: number): Promise<CategoryLevel[]> {
  const rows = await db
    .selectFrom('category_notification_levels')
    .select(['category_id', 'level'])
    .where('user_id', '=', userId)
    .orderBy('category_id')
    .execute();
  return rows.map((r) => ({ categoryId: r.category_id, level: r.level }));
}

/**
 * The threads the member watches or muted by their own choice, most recently chosen first,
 * keyset-paged (the cursor: the last thread's id). Threads since deleted or unlisted are left out.
 */
export async function listThreadLevels(
  db: Db,
  userId: number,
  level: 'watching' | 'muted',
  limit: number,
  cursor?: string,
) {
  const after = decodeCursor(cursor, ['id']);
  let query = db
    .selectFrom('thread_notification_levels as l')
    .innerJoin('threads', 'threads.id', 'l.thread_id')
    .select(['l.thread_id', 'threads.title', 'threads.category_id', 'l.level', 'l.updated_at'])
    .where('l.user_id', '=', userId)
    .where('l.level', '=', level)
    .where(listedThread('threads'))
    .orderBy('l.updated_at', 'desc')
    .orderBy('l.thread_id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) {
    query = query.where(
      sql<boolean>`(l.updated_at, l.thread_id) < (select updated_at, thread_id from thread_notification_levels
                    where user_id = ${userId} and thread_id = ${after[0]})`,
    );
  }
  const rows = await query.execute();
  return toPage(
    rows,
    limit,
    (r): ThreadLevel => ({
      threadId: r.thread_id,
      title: r.title,
      categoryId: r.category_id,
      level: r.level,
      updatedAt: r.updated_at.toISOString(),
    }),
    (r) => [r.thread_id],
  );
}

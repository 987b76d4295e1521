import { ErrorCodes, MOVE_POSTS_MAX, type MoveDestination, ThreadChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../../audit/log';
import { publish } from '../../db/bus';
import type { PostRow, ThreadRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { AppError, enforce, notFound } from '../../http/errors';
import { forumPolicy } from '../policy';
import { cleanText } from '../render';
import { adjustThreadCount } from './categories';

/** Most post numbers a `posts_moved` event lists (pg_notify payloads stay small). */
const EVENT_NUMBERS_MAX = 400;

/**
 * Moves posts of thread `sourceId` to an existing thread or to a new one (Discourse's "move
 * posts"): staff only. Returns the destination's id.
 *
 * - Locks: the posts (in id order), then both threads (in id order): the order every writer of a
 *   post takes (a like, a deletion or a flag locks the post, then its thread), so two moves in
 *   opposite directions, or a move and a like, wait for each other instead of deadlocking. Under
 *   the locks the posts are checked again: one that a concurrent move took is refused (400
 *   post_not_in_thread), nothing is moved twice.
 * - The moved posts join the destination after its posts, in the order they were written, with
 *   numbers continuing its numbering. The source keeps its numbers: the moved ones leave gaps
 *   (as in Discourse), so a link to a post that stayed still points at it, and a number is never
 *   given twice in a thread (the live channel's cursor only grows).
 * - The first post moves only with all the others: that merges the whole thread into the
 *   destination, and the emptied source is deleted (soft, like any deleted thread: out of every
 *   list and search, 404 to members, kept for staff). An idea's posts cannot all move: its votes
 *   live on its thread (merge the idea instead).
 * - What hangs on the posts follows them: likes, revisions, flags (by post id), review items and
 *   notifications (their thread), search (the posts' own text vectors). `reply_to_post_number`
 *   is renumbered when the post replied to moved too, else cleared (in both threads). Both
 *   threads' counters are recounted from their posts; read markers of readers who had read
 *   everything that is now in a thread say so; a new thread counts in its category, a merged
 *   source no more.
 * - One audit entry `posts.moved`; `posts_moved` on both threads' live channels.
 */
export async function movePosts(
  tx: Tx,
  actor: User,
  sourceId: number,
  postIds: number[],
  destination: MoveDestination,
): Promise<number> {
  enforce(forumPolicy.movePosts(actor, { deleted_at: null }), {
    [ErrorCodes.forbidden]: 'Only staff move posts.',
  });
  if (postIds.length === 0 || postIds.length > MOVE_POSTS_MAX) {
    throw new AppError(400, ErrorCodes.validationFailed, `Move between 1 and ${MOVE_POSTS_MAX} posts at a time.`);
  }
  if (new Set(postIds).size !== postIds.length) {
    throw new AppError(400, ErrorCodes.validationFailed, 'A post is listed twice.');
  }
  const destinationId = 'threadId' in destination ? destination.threadId : null;
  if (destinationId === sourceId) {
    throw new AppError(400, ErrorCodes.sameThread, 'The posts are in that thread already.');
  }

  const posts = await tx.selectFrom('posts').selectAll().where('id', 'in', postIds).orderBy('id').forUpdate().execute();
  const threads = new Map<number, ThreadRow>();
  for (const id of [sourceId, ...(destinationId === null ? [] : [destinationId])].sort((a, b) => a - b)) {
    const row = await tx.selectFrom('threads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (row) threads.set(id, row);
  }
  const source = threads.get(sourceId);
  if (!source) throw notFound('The thread');
  const target = destinationId === null ? undefined : threads.get(destinationId);
  if (destinationId !== null && !target) throw notFound('The destination thread');
  enforce(forumPolicy.movePosts(actor, source, target), {
    [ErrorCodes.notFound]: 'A deleted thread takes no moves: restore it first.',
  });

  const foreign = postIds.filter((id) => posts.find((p) => p.id === id)?.thread_id !== sourceId);
  if (foreign.length) {
    throw new AppError(
      400,
      ErrorCodes.postNotInThread,
      `${foreign.length === 1 ? 'A post is' : `${foreign.length} posts are`} not in this thread (moved or never there).`,
      { postIds: foreign },
    );
  }
  const remaining = await tx
    .selectFrom('posts')
    .select(['id', 'post_number', 'reply_to_post_number'])
    .where('thread_id', '=', sourceId)
    .where('id', 'not in', postIds)
    .execute();
  const wholeThread = remaining.length === 0;
  if (!wholeThread && posts.some((p) => p.post_number === 1)) {
    throw new AppError(
      400,
      ErrorCodes.firstPost,
      'The first post moves only with all the others (that merges the whole thread).',
    );
  }
  if (wholeThread && source.kind === 'idea') {
    throw new AppError(
      400,
      ErrorCodes.useMerge,
      'This thread is an idea and its votes stay with it: merge the idea into another one instead.',
    );
  }

  const moving = [...posts].sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id);
  const first = moving[0] as PostRow;
  const into = target ?? (await createDestination(tx, destination as { title: string; categoryId: number }, first));
  const base = target?.highest_post_number ?? 0;
  const renumbered = new Map(moving.map((p, i) => [p.post_number, base + 1 + i]));
  await sql`
    update posts p set thread_id = ${into.id}, post_number = m.post_number, reply_to_post_number = m.reply_to
    from unnest(${moving.map((p) => p.id)}::bigint[], ${moving.map((p) => renumbered.get(p.post_number))}::int[],
      ${moving.map((p) => (p.reply_to_post_number === null ? null : (renumbered.get(p.reply_to_post_number) ?? null)))}::int[])
      as m(id, post_number, reply_to)
    where p.id = m.id`.execute(tx);
  const orphans = remaining.filter((p) => p.reply_to_post_number !== null && renumbered.has(p.reply_to_post_number));
  if (orphans.length) {
    await tx
      .updateTable('posts')
      .set({ reply_to_post_number: null })
      .where(
        'id',
        'in',
        orphans.map((p) => p.id),
      )
      .execute();
  }
  await tx.updateTable('reviewables').set({ thread_id: into.id }).where('post_id', 'in', postIds).execute();
  await tx.updateTable('reviewables').set({ category_id: into.category_id }).where('post_id', 'in', postIds).execute();
  await tx.updateTable('notifications').set({ thread_id: into.id }).where('post_id', 'in', postIds).execute();

  const lastNumber = base + moving.length;
  await recount(tx, [sourceId, into.id]);
  await settleReadMarkers(
    tx,
    source,
    { id: into.id, isNew: !target, before: base, after: lastNumber },
    Math.max(...posts.map((p) => p.post_number)),
  );
  if (wholeThread) {
    await tx
      .updateTable('threads')
      .set({ deleted_at: sql<Date>`now()`, deleted_by: actor.id })
      .where('id', '=', sourceId)
      .execute();
    await adjustThreadCount(tx, source.category_id, -1);
  }

  await writeAudit(tx, {
    actorId: actor.id,
    action: 'posts.moved',
    targetId: sourceId,
    data: { from: sourceId, to: into.id, postIds: moving.map((p) => p.id), newThread: !target, wholeThread },
  });
  const numbers = moving.map((p) => p.post_number).sort((a, b) => a - b);
  await publish(tx, {
    channel: `thread:${sourceId}`,
    event: ThreadChannelEvents.postsMoved,
    cursor: null,
    data: { toThreadId: into.id, postNumbers: numbers.length <= EVENT_NUMBERS_MAX ? numbers : null },
  });
  if (target) {
    await publish(tx, {
      channel: `thread:${into.id}`,
      event: ThreadChannelEvents.postsMoved,
      cursor: lastNumber,
      data: { fromThreadId: sourceId, firstPostNumber: base + 1, lastPostNumber: lastNumber },
    });
  }
  return into.id;
}

/**
 * The new thread of a split: in a category that takes discussions, its first post the first
 * moved post (so its author is that post's author, it starts when that post was written, and it
 * is hidden from lists while that post is hidden by flags).
 */
async function createDestination(
  tx: Tx,
  destination: { title: string; categoryId: number },
  first: PostRow,
): Promise<Pick<ThreadRow, 'id' | 'category_id'>> {
  const title = cleanText(destination.title).trim();
  if (title.length < 8) throw new AppError(400, ErrorCodes.validationFailed, 'The title needs at least 8 characters.');
  const category = await tx
    .selectFrom('categories')
    .selectAll()
    .where('id', '=', destination.categoryId)
    .forUpdate()
    .executeTakeFirst();
  if (!category) throw new AppError(400, ErrorCodes.validationFailed, 'There is no such category to move them to.');
  if (!category.allow_discussions) {
    throw new AppError(400, ErrorCodes.kindNotAllowed, 'That category does not take discussions.');
  }
  const thread = await tx
    .insertInto('threads')
    .values({
      category_id: category.id,
      kind: 'discussion',
      title,
      author_id: first.author_id,
      last_poster_id: first.author_id,
      created_at: first.created_at,
      bumped_at: first.created_at,
      highest_post_number: 0,
      post_count: 0,
      hidden_at: first.hidden_at,
    })
    .returning(['id', 'category_id'])
    .executeTakeFirstOrThrow();
  await adjustThreadCount(tx, category.id, 1);
  return thread;
}

/**
 * Sets the threads' counters from their posts: visible posts and their likes, the highest number
 * ever given (never lowered: numbers are not given twice), the last post's time and author.
 */
async function recount(tx: Tx, threadIds: number[]): Promise<void> {
  await sql`
    update threads t set
      post_count = (select count(*)::int from posts p where p.thread_id = t.id and p.deleted_at is null),
      like_count = (select coalesce(sum(p.like_count), 0)::int from posts p
        where p.thread_id = t.id and p.deleted_at is null),
      highest_post_number = greatest(t.highest_post_number,
        (select coalesce(max(p.post_number), 0) from posts p where p.thread_id = t.id)),
      bumped_at = coalesce((select max(p.created_at) from posts p where p.thread_id = t.id), t.bumped_at),
      last_poster_id = coalesce((select p.author_id from posts p where p.thread_id = t.id
        order by p.created_at desc, p.id desc limit 1), t.last_poster_id)
    where t.id = any(${threadIds}::bigint[])`.execute(tx);
}

/**
 * Read markers after a move. A reader of the source who had read every moved post has read a
 * new destination to its end, and an existing one too if they had read it to its end before. A
 * reader of the source with no post left after their marker has read the source to its end (its
 * highest number stays where it was, above the gap the moved posts left).
 */
async function settleReadMarkers(
  tx: Tx,
  source: ThreadRow,
  into: { id: number; isNew: boolean; before: number; after: number },
  highestMoved: number,
): Promise<void> {
  const readAllMoved = (alias: string) =>
    sql`exists (select 1 from thread_reads s where s.thread_id = ${source.id} and s.user_id = ${sql.ref(`${alias}.user_id`)}
      and s.last_read_post_number >= ${highestMoved}::int)`;
  if (into.isNew) {
    await sql`
      insert into thread_reads (user_id, thread_id, last_read_post_number)
      select s.user_id, ${into.id}, ${into.after}::int from thread_reads s
      where s.thread_id = ${source.id} and s.last_read_post_number >= ${highestMoved}::int`.execute(tx);
  } else {
    await sql`
      update thread_reads r set last_read_post_number = ${into.after}::int, updated_at = now()
      where r.thread_id = ${into.id} and r.last_read_post_number >= ${into.before}::int and ${readAllMoved('r')}`.execute(
      tx,
    );
  }
  await sql`
    update thread_reads r set last_read_post_number = ${source.highest_post_number}::int, updated_at = now()
    where r.thread_id = ${source.id} and r.last_read_post_number < ${source.highest_post_number}::int
      and not exists (select 1 from posts p where p.thread_id = r.thread_id and p.post_number > r.last_read_post_number)`.execute(
    tx,
  );
}

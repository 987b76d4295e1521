import type { ThreadDetail, ThreadKind, ThreadListQuery, ThreadSort, ThreadSummary } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import { isStaff } from '../auth/policy';
import type { Db } from '../db/connect';
import type { CategoryRow, Database, ThreadRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { AppError, forbidden, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { adjustThreadCount, categoryAndChildrenIds, toCategory } from './categories';
import { forumPolicy } from './policy';
import { notifyMentions, type PostDraft, selectPosts, toPost } from './posts';
import { cleanText } from './render';
import { listedThread } from './visibility';

/** Threads are "new" to a reader for this long after they were created. */
export const NEW_FOR_DAYS = 14;

type ListDb = Database & { author: Database['users']; last_poster: Database['users'] };
type ThreadQuery = SelectQueryBuilder<ListDb, 'threads' | 'author' | 'last_poster', object>;

const sortColumn: Record<ThreadSort, 'bumped_at' | 'created_at' | 'post_count' | 'like_count'> = {
  latest: 'bumped_at',
  newest: 'created_at',
  replies: 'post_count',
  likes: 'like_count',
};

/** The columns of a thread list row; `sort_key` is the sort value as exact text (keyset cursor). */
function summaryColumns(sort: ThreadSort) {
  const column = sortColumn[sort];
  return (qb: ThreadQuery) =>
    qb.select([
      'threads.id',
      'threads.category_id',
      'threads.kind',
      'threads.title',
      'threads.author_id',
      'author.username as author_username',
      'threads.last_poster_id',
      'last_poster.username as last_poster_username',
      'threads.created_at',
      'threads.bumped_at',
      'threads.post_count',
      'threads.like_count',
      'threads.highest_post_number',
      'threads.pinned_at',
      'threads.locked_at',
      'threads.deleted_at',
      sql<string>`${sql.ref(`threads.${column}`)}::text`.as('sort_key'),
    ]);
}

interface SummaryRow {
  id: number;
  category_id: number;
  kind: ThreadKind;
  title: string;
  author_id: number;
  author_username: string;
  last_poster_id: number;
  last_poster_username: string;
  created_at: Date;
  bumped_at: Date;
  post_count: number;
  like_count: number;
  highest_post_number: number;
  pinned_at: Date | null;
  locked_at: Date | null;
  deleted_at: Date | null;
  sort_key: string;
  last_read_post_number?: number | null;
}

export function toThreadSummary(row: SummaryRow, viewer: Pick<User, 'id' | 'created_at'> | null): ThreadSummary {
  const read = row.last_read_post_number ?? null;
  const newSince = viewer
    ? Math.max(Date.now() - NEW_FOR_DAYS * 86_400_000, viewer.created_at.getTime())
    : Number.POSITIVE_INFINITY;
  return {
    id: row.id,
    categoryId: row.category_id,
    kind: row.kind,
    title: row.title,
    author: { id: row.author_id, username: row.author_username },
    lastPoster: { id: row.last_poster_id, username: row.last_poster_username },
    createdAt: row.created_at.toISOString(),
    bumpedAt: row.bumped_at.toISOString(),
    replyCount: row.post_count - 1,
    likeCount: row.like_count,
    highestPostNumber: row.highest_post_number,
    pinned: row.pinned_at !== null,
    locked: row.locked_at !== null,
    deleted: row.deleted_at !== null,
    unreadCount: read === null ? 0 : Math.max(0, row.highest_post_number - read),
    isNew: viewer !== null && read === null && row.created_at.getTime() > newSince,
  };
}

/** The reader's read marker of a thread (`alias.id`), or null: never read, or anonymous. */
export function lastReadColumn(viewer: Pick<User, 'id'> | null, alias = 'threads') {
  return (
    viewer
      ? sql<number | null>`(select r.last_read_post_number from thread_reads r
          where r.thread_id = ${sql.ref(`${alias}.id`)} and r.user_id = ${viewer.id})`
      : sql<number | null>`null`
  ).as('last_read_post_number');
}

/**
 * One page of a thread list: a category (with its sub-categories, pinned first) or Latest across
 * all; optionally only the reader's new or unread threads. One statement, whatever the page size:
 * the page's keys come from the sort index (one range scan per category, merged), and only those
 * rows are joined with their authors and the reader's read marker.
 */
export async function listThreads(db: Db, viewer: User | null, query: ThreadListQuery) {
  const sort = query.sort ?? 'latest';
  const limit = query.limit ?? 30;
  const numeric = sort === 'replies' || sort === 'likes';
  // [pinned 0/1, the sort column as text, id]
  const after = decodeCursor(query.cursor, ['id', numeric ? 'integerText' : 'timestamp', 'id']);
  if (query.filter && !viewer) {
    throw new AppError(401, ErrorCodes.unauthenticated, 'Sign in to see your new and unread threads.');
  }
  const categoryIds = query.category ? await categoryAndChildrenIds(db, query.category) : undefined;
  const pinnedFirst = categoryIds !== undefined;
  const column = sortColumn[sort];

  // The key (pinned first in category lists, the sort column, id) exactly as the indexes hold it.
  const pinned = sql<boolean>`(threads.pinned_at is not null)`;
  const keyExprs = [...(pinnedFirst ? [pinned] : []), sql.ref(`threads.${column}`), sql.ref('threads.id')];
  const keys = (categoryId?: number) => {
    let q = db
      .selectFrom('threads')
      .select([
        'threads.id',
        (pinnedFirst ? sql<number>`${pinned}::int` : sql<number>`0`).as('pinned_rank'),
        sql.ref(`threads.${column}`).as('sort_value'),
      ])
      .where(listedThread('threads'));
    if (categoryId !== undefined) q = q.where('threads.category_id', '=', categoryId);
    if (query.kind) q = q.where('threads.kind', '=', query.kind);
    if (viewer && query.filter === 'unread') q = q.where(unreadFilter(viewer.id));
    if (viewer && query.filter === 'new') q = q.where(newFilter(viewer));
    if (after) {
      const [afterPinned, key, id] = after;
      const keyValue = numeric ? sql`${Number(key)}::int` : sql`${key}::timestamptz`;
      const values = [...(pinnedFirst ? [sql`${afterPinned === 1}::boolean`] : []), keyValue, sql`${id}::bigint`];
      q = q.where(sql<boolean>`(${sql.join(keyExprs)}) < (${sql.join(values)})`);
    }
    if (pinnedFirst) q = q.orderBy(pinned, 'desc');
    return q
      .orderBy(`threads.${column}`, 'desc')
      .orderBy('threads.id', 'desc')
      .limit(sql.lit(limit + 1));
  };
  const pageKeys =
    !categoryIds || categoryIds.length === 1
      ? keys(categoryIds?.[0])
      : db
          .selectFrom(
            sql<{
              id: number;
              pinned_rank: number;
              sort_value: unknown;
            }>`(${sql.join(categoryIds.map(keys), sql` union all `)})`.as('u'),
          )
          .selectAll()
          .orderBy('u.pinned_rank', 'desc')
          .orderBy('u.sort_value', 'desc')
          .orderBy('u.id', 'desc')
          .limit(sql.lit(limit + 1));

  const rows = (await db
    .with('page', () => pageKeys)
    .selectFrom('page')
    .innerJoin('threads', 'threads.id', 'page.id')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .innerJoin('users as last_poster', 'last_poster.id', 'threads.last_poster_id')
    .$call(summaryColumns(sort))
    .select(sql<number>`page.pinned_rank`.as('pinned_rank'))
    .select(lastReadColumn(viewer))
    .orderBy(sql`page.pinned_rank`, 'desc')
    .orderBy(sql`page.sort_value`, 'desc')
    .orderBy(sql`page.id`, 'desc')
    .execute()) as unknown as (SummaryRow & { pinned_rank: number })[];
  return toPage(
    rows,
    limit,
    (r) => toThreadSummary(r, viewer),
    (r) => [r.pinned_rank, r.sort_key, r.id],
  );
}

function unreadFilter(userId: number) {
  return (eb: ExpressionBuilder<Database, 'threads'>) =>
    eb.exists(
      eb
        .selectFrom('thread_reads')
        .select('thread_reads.thread_id')
        .whereRef('thread_reads.thread_id', '=', 'threads.id')
        .where('thread_reads.user_id', '=', userId)
        .whereRef('thread_reads.last_read_post_number', '<', 'threads.highest_post_number'),
    );
}

function newFilter(viewer: Pick<User, 'id' | 'created_at'>) {
  const since = new Date(Math.max(Date.now() - NEW_FOR_DAYS * 86_400_000, viewer.created_at.getTime()));
  return (eb: ExpressionBuilder<Database, 'threads'>) =>
    eb.and([
      eb('threads.created_at', '>', since),
      eb.not(
        eb.exists(
          eb
            .selectFrom('thread_reads')
            .select('thread_reads.thread_id')
            .whereRef('thread_reads.thread_id', '=', 'threads.id')
            .where('thread_reads.user_id', '=', viewer.id),
        ),
      ),
    ]);
}

/** A new thread's category, title and kind; its first post comes as a draft (draftPost). */
export interface CreateThreadInput {
  categoryId: number;
  title: string;
  kind?: ThreadKind;
}

/** Starts a thread with its first post; mentions notify. Returns the new thread's id. */
export async function createThread(tx: Tx, author: User, input: CreateThreadInput, draft: PostDraft): Promise<number> {
  const kind = input.kind ?? 'discussion';
  const title = cleanText(input.title).trim();
  const { body, rendered } = draft;
  if (title.length < 8) throw new AppError(400, ErrorCodes.validationFailed, 'The title needs at least 8 characters.');
  const category = await tx
    .selectFrom('categories')
    .selectAll()
    .where('id', '=', input.categoryId)
    .forUpdate()
    .executeTakeFirst();
  if (!category) throw notFound('The category');
  if (!forumPolicy.startThread(author, category)) {
    throw forbidden('Only staff can start threads in this category.');
  }
  if ((kind === 'idea' && !category.allow_ideas) || (kind === 'discussion' && !category.allow_discussions)) {
    throw new AppError(
      400,
      ErrorCodes.kindNotAllowed,
      `This category does not take ${kind === 'idea' ? 'ideas' : 'discussions'}.`,
    );
  }
  const thread = await tx
    .insertInto('threads')
    .values({ category_id: category.id, kind, title, author_id: author.id, last_poster_id: author.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const post = await tx
    .insertInto('posts')
    .values({ thread_id: thread.id, post_number: 1, author_id: author.id, raw: body, cooked: rendered.html })
    .returning('id')
    .executeTakeFirstOrThrow();
  await adjustThreadCount(tx, category.id, 1);
  await tx
    .insertInto('thread_reads')
    .values({ user_id: author.id, thread_id: thread.id, last_read_post_number: 1 })
    .execute();
  await notifyMentions(tx, rendered, { threadId: thread.id, postId: post.id, actor: author, skip: new Set() });
  return thread.id;
}

/** The thread row if the viewer may see it, else 404. */
export async function findVisibleThread(db: Db, viewer: User | null, id: number): Promise<ThreadRow> {
  const thread = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
  if (!thread || !forumPolicy.seeThread(viewer, thread)) throw notFound('The thread');
  return thread;
}

export async function updateTitle(tx: Tx, user: User, threadId: number, newTitle: string): Promise<void> {
  const title = cleanText(newTitle).trim();
  if (title.length < 8) throw new AppError(400, ErrorCodes.validationFailed, 'The title needs at least 8 characters.');
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread || !forumPolicy.seeThread(user, thread)) throw notFound('The thread');
  if (!forumPolicy.editTitle(user, thread)) throw forbidden('Only the author or staff can rename this thread.');
  const first = await tx
    .selectFrom('posts')
    .select(['id', 'revision', 'raw'])
    .where('thread_id', '=', threadId)
    .where('post_number', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('post_revisions')
    .values({ post_id: first.id, revision: first.revision, raw: first.raw, title: thread.title, editor_id: user.id })
    .execute();
  await tx
    .updateTable('posts')
    .set((eb) => ({ revision: eb('revision', '+', 1), edited_at: sql<Date>`now()` }))
    .where('id', '=', first.id)
    .execute();
  await tx.updateTable('threads').set({ title }).where('id', '=', threadId).execute();
}

/**
 * Soft-deletes a thread: staff always; its author while nobody else has replied.
 * Staff deleting others' threads is audited.
 */
export async function deleteThread(tx: Tx, user: User, threadId: number): Promise<void> {
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread || thread.deleted_at) throw notFound('The thread');
  const staff = isStaff(user);
  if (!staff) {
    if (thread.author_id !== user.id) throw forbidden('Only the author or staff can delete this thread.');
    const others = await tx
      .selectFrom('posts')
      .select('id')
      .where('thread_id', '=', threadId)
      .where('author_id', '!=', user.id)
      .where('deleted_at', 'is', null)
      .limit(1)
      .execute();
    if (others.length) {
      throw new AppError(409, ErrorCodes.hasReplies, 'Others have replied: ask a moderator to remove the thread.');
    }
  }
  await tx
    .updateTable('threads')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: user.id })
    .where('id', '=', threadId)
    .execute();
  await adjustThreadCount(tx, thread.category_id, -1);
  if (thread.author_id !== user.id) {
    await writeAudit(tx, { actorId: user.id, action: 'thread.deleted', targetId: threadId });
  }
}

export async function restoreThread(tx: Tx, user: User, threadId: number): Promise<void> {
  if (!forumPolicy.restore(user)) throw forbidden('Only staff can restore threads.');
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  if (!thread.deleted_at) return;
  await tx.updateTable('threads').set({ deleted_at: null, deleted_by: null }).where('id', '=', threadId).execute();
  await adjustThreadCount(tx, thread.category_id, 1);
  await writeAudit(tx, { actorId: user.id, action: 'thread.restored', targetId: threadId });
}

/** A thread with one page of its posts (by post number). Two queries, whatever the page size. */
export async function getThreadDetail(
  db: Db,
  viewer: User | null,
  threadId: number,
  after: number,
  limit: number,
): Promise<ThreadDetail> {
  const row = await db
    .selectFrom('threads')
    .innerJoin('categories', 'categories.id', 'threads.category_id')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .selectAll('threads')
    .select('author.username as author_username')
    .select((eb) => [eb.fn.toJson('categories').as('category'), lastReadColumn(viewer)])
    .where('threads.id', '=', threadId)
    .executeTakeFirst();
  if (!row || !forumPolicy.seeThread(viewer, row)) throw notFound('The thread');
  const posts = await selectPosts(db, viewer)
    .where('posts.thread_id', '=', threadId)
    .where('posts.post_number', '>', after)
    .orderBy('posts.post_number')
    .limit(sql.lit(limit + 1))
    .execute();
  const more = posts.length > limit;
  const page = more ? posts.slice(0, limit) : posts;
  const category = row.category as unknown as Record<string, unknown>;
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    category: toCategory({
      ...(category as unknown as CategoryRow),
      created_at: new Date(String(category.created_at)),
    }),
    author: { id: row.author_id, username: row.author_username },
    createdAt: row.created_at.toISOString(),
    bumpedAt: row.bumped_at.toISOString(),
    replyCount: row.post_count - 1,
    likeCount: row.like_count,
    highestPostNumber: row.highest_post_number,
    pinned: row.pinned_at !== null,
    locked: row.locked_at !== null,
    deleted: row.deleted_at !== null,
    lastReadPostNumber: row.last_read_post_number ?? 0,
    canReply: forumPolicy.reply(viewer, row),
    posts: page.map((p) => toPost(p, viewer)),
    nextAfter: more ? (page[page.length - 1]?.post_number ?? null) : null,
  };
}

/** The `perCategory` most recently active threads of every category, in one query. */
export async function latestThreadsPerCategory(
  db: Db,
  viewer: User | null,
  perCategory: number,
): Promise<ThreadSummary[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('threads')
        .innerJoin('users as author', 'author.id', 'threads.author_id')
        .innerJoin('users as last_poster', 'last_poster.id', 'threads.last_poster_id')
        .selectAll('threads')
        .select([
          'author.username as author_username',
          'last_poster.username as last_poster_username',
          sql<number>`row_number() over (partition by threads.category_id order by threads.bumped_at desc, threads.id desc)`.as(
            'rank',
          ),
        ])
        .select(lastReadColumn(viewer))
        .where(listedThread('threads'))
        .as('ranked'),
    )
    .selectAll()
    .where('rank', '<=', perCategory)
    .orderBy('bumped_at', 'desc')
    .execute();
  return rows.map((r) =>
    toThreadSummary({ ...r, sort_key: '', last_read_post_number: r.last_read_post_number as number | null }, viewer),
  );
}

import type { ThreadDetail, ThreadKind, ThreadListQuery, ThreadSort, ThreadSummary } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import type { CategoryRow, Database, PostRow } from '../db/schema';
import { enforce, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import type { TaggedCache } from '../http/response-cache';
import { type CategorySource, categoryWithChildren } from './category-places';
import { forumPolicy } from './policy';
import {
  NEW_FOR_DAYS,
  type PostViewRules,
  type ThreadDetailRow,
  toRevisionList,
  toThreadDetail,
  toThreadSummary,
} from './present';
import { type ReaderMarksLoader, readReaderMarks } from './reader-marks';

/**
 * The one "listed thread" filter: which threads appear in lists, boards, profiles and search
 * (not deleted, not unlisted, not hidden by flags while waiting for review). `alias` is the
 * threads table's name or alias in the query. (A thread opened by id is judged by
 * forumPolicy.seeThread.)
 *
 * Literal SQL, so the planner matches the partial indexes (`… where deleted_at is null and not
 * unlisted and hidden_at is null`, migration 0010) that the lists are read from.
 */
export const listedThread = (alias: string) =>
  sql<boolean>`(${sql.ref(`${alias}.deleted_at`)} is null and not ${sql.ref(`${alias}.unlisted`)} and ${sql.ref(`${alias}.hidden_at`)} is null)`;

/* ------------------------------------------------------------------ categories */

/** Every category, parents before children, each level by position then name. */
export async function listCategories(db: Db): Promise<CategoryRow[]> {
  const rows = await db.selectFrom('categories').selectAll().orderBy('position').orderBy('name').execute();
  const top = rows.filter((r) => r.parent_id === null);
  return top.flatMap((parent) => [parent, ...rows.filter((r) => r.parent_id === parent.id)]);
}

export async function findCategoryBySlug(db: Db, slug: string): Promise<CategoryRow> {
  const row = await db.selectFrom('categories').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  if (!row) throw notFound('The category');
  return row;
}

/** A category's parent (if any) and sub-categories, by position then name. */
export async function findCategoryRelatives(db: Db, category: CategoryRow) {
  const related = await db
    .selectFrom('categories')
    .selectAll()
    .where((eb) => eb.or([eb('parent_id', '=', category.id), eb('id', '=', category.parent_id ?? -1)]))
    .orderBy('position')
    .orderBy('name')
    .execute();
  return {
    parent: related.find((c) => c.id === category.parent_id),
    children: related.filter((c) => c.parent_id === category.id),
  };
}

/* --------------------------------------------------------------------- threads */

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

/** A thread list row, as toThreadSummary presents it. */
export interface SummaryRow {
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
export async function listThreads(db: Db, viewer: User | null, query: ThreadListQuery, categories: CategorySource) {
  const sort = query.sort ?? 'latest';
  const limit = query.limit ?? 30;
  const numeric = sort === 'replies' || sort === 'likes';
  // [pinned 0/1, the sort column as text, id]
  const after = decodeCursor(query.cursor, ['id', numeric ? 'integerText' : 'timestamp', 'id']);
  if (query.filter) {
    enforce(forumPolicy.seeReadState(viewer), {
      [ErrorCodes.unauthenticated]: 'Sign in to see your new and unread threads.',
    });
  }
  const categoryIds = query.category ? categoryWithChildren(await categories.places(), query.category) : undefined;
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
        .whereRef('thread_reads.last_read_post_number', '<', 'threads.highest_post_number')
        // tracked and watched threads only (a read thread is tracked unless the member chose less)
        .where(sql<boolean>`thread_notification_level(${userId}, threads.id) in ('tracking', 'watching')`),
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
      // nothing muted (by the thread's or its category's level) is new
      sql<boolean>`thread_notification_level(${viewer.id}, threads.id) <> 'muted'`,
    ]);
}

/**
 * Whether someone other than its author has a reply standing in the thread (the author may then
 * no longer delete it). Only its author needs to know: for anyone else it is not looked up.
 */
function othersRepliedColumn(viewer: Pick<User, 'id'> | null) {
  return (
    viewer
      ? sql<boolean>`(threads.author_id = ${viewer.id} and exists (select 1 from posts o
          where o.thread_id = threads.id and o.author_id <> threads.author_id and o.deleted_at is null))`
      : sql<boolean>`false`
  ).as('others_replied');
}

/** A thread page's rows as anyone sees them: no reader's marks (their read marker, likes, flags). */
export interface ThreadPageRows {
  row: ThreadDetailRow;
  posts: PostRowWithAuthor[];
}

/** Thread pages' rows kept per process (app.ts; dropped with the thread's `thread:<id>` tag). */
export type ThreadPageCache = TaggedCache<ThreadPageRows>;

/** The thread and one page of its posts, without any reader's marks. Two queries. */
async function readThreadPage(db: Db, threadId: number, after: number, limit: number) {
  const row = await db
    .selectFrom('threads')
    .innerJoin('categories', 'categories.id', 'threads.category_id')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .selectAll('threads')
    .select('author.username as author_username')
    .select((eb) => [eb.fn.toJson('categories').as('category'), lastReadColumn(null), othersRepliedColumn(null)])
    .where('threads.id', '=', threadId)
    .executeTakeFirst();
  if (!row) return undefined;
  const posts = await selectPosts(db, null)
    .where('posts.thread_id', '=', threadId)
    .where('posts.post_number', '>', after)
    .orderBy('posts.post_number')
    .limit(sql.lit(limit + 1))
    .execute();
  const category = row.category as unknown as Record<string, unknown>;
  return {
    row: {
      ...row,
      category: { ...(category as unknown as CategoryRow), created_at: new Date(String(category.created_at)) },
    },
    posts: posts as PostRowWithAuthor[],
  } satisfies ThreadPageRows;
}

/** A rough size of a page's rows in memory, for the cache's byte bound. */
const rowsBytes = ({ row, posts }: ThreadPageRows) =>
  2 * (row.title.length + posts.reduce((n, p) => n + p.raw.length + p.cooked.length + 400, 600));

/**
 * A thread with one page of its posts (by post number), as `viewer` sees it. The page's rows are
 * the same for everyone: with `pages` they come from this process's cache when they can (else two
 * queries, then kept), and a signed-in reader's marks are one more query (with `readers`, shared
 * by the readers of the same moment: reader-marks.ts). Writes answer without
 * `pages`: their own change must show before the cache has heard of it.
 */
export async function getThreadDetail(
  db: Db,
  viewer: User | null,
  threadId: number,
  after: number,
  limit: number,
  rules?: PostViewRules,
  pages?: ThreadPageCache,
  readers?: ReaderMarksLoader,
): Promise<ThreadDetail> {
  const key = `${threadId}:${after}:${limit}`;
  let rows = pages?.lookup(key)?.value ?? (await pages?.inFlight(key))?.value;
  if (!rows) {
    const fill = pages?.begin(key, [`thread:${threadId}`]);
    try {
      rows = await readThreadPage(db, threadId, after, limit);
    } finally {
      // (also when the read failed: readers waiting for it read for themselves)
      fill?.done(rows && pages ? pages.store(fill, rows, rowsBytes(rows)) : undefined);
    }
  }
  if (!rows) throw notFound('The thread');
  enforce(forumPolicy.seeThread(viewer, rows.row), { [ErrorCodes.notFound]: 'The thread does not exist.' });
  let { row, posts } = rows;
  if (viewer) {
    const request = { userId: viewer.id, threadId, postIds: posts.map((p) => p.id) };
    const marks = readers ? await readers.load(request) : (await readReaderMarks(db, [request]))[0];
    if (!marks) throw notFound('The thread');
    const liked = new Set(marks.liked);
    const flagged = new Set(marks.flagged);
    const bookmarked = new Set(marks.bookmarked);
    row = {
      ...row,
      last_read_post_number: marks.lastReadPostNumber,
      others_replied: marks.othersReplied,
      notification_level: marks.notificationLevel,
    };
    posts = posts.map((p) =>
      liked.has(p.id) || flagged.has(p.id) || bookmarked.has(p.id)
        ? {
            ...p,
            liked_by_me: liked.has(p.id),
            flagged_by_me: flagged.has(p.id),
            bookmarked_by_me: bookmarked.has(p.id),
          }
        : p,
    );
  }
  return toThreadDetail(row, posts, viewer, limit, rules);
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

/* ----------------------------------------------------------------------- posts */

export interface PostRowWithAuthor extends PostRow {
  author_username: string;
  /** Its thread's deleted_at (a post in a deleted thread is gone with it). */
  thread_deleted_at: Date | null;
  liked_by_me: boolean;
  flagged_by_me: boolean;
  bookmarked_by_me: boolean;
}

/** Whether the viewer has a row of theirs in `table` for the post (false when anonymous). */
function viewerMarked(viewer: User | null, table: 'post_likes' | 'flags' | 'bookmarks') {
  return viewer
    ? sql<boolean>`exists (select 1 from ${sql.table(table)} as m where m.post_id = posts.id and m.user_id = ${viewer.id})`
    : sql<boolean>`false`;
}

/** Posts of a thread with their authors and the viewer's likes, flags and bookmarks, by post number. One query. */
export function selectPosts(db: Db, viewer: User | null) {
  return db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .selectAll('posts')
    .select(['users.username as author_username', 'threads.deleted_at as thread_deleted_at'])
    .select([
      viewerMarked(viewer, 'post_likes').as('liked_by_me'),
      viewerMarked(viewer, 'flags').as('flagged_by_me'),
      viewerMarked(viewer, 'bookmarks').as('bookmarked_by_me'),
    ]);
}

export async function findPost(db: Db, viewer: User | null, postId: number): Promise<PostRowWithAuthor> {
  const row = (await selectPosts(db, viewer).where('posts.id', '=', postId).executeTakeFirst()) as
    | PostRowWithAuthor
    | undefined;
  if (!row) throw notFound('The post');
  const thread = await db
    .selectFrom('threads')
    .select('deleted_at')
    .where('id', '=', row.thread_id)
    .executeTakeFirstOrThrow();
  enforce(forumPolicy.seeThread(viewer, thread), { [ErrorCodes.notFound]: 'The post does not exist.' });
  return row;
}

export async function listRevisions(db: Db, user: User, postId: number) {
  enforce(forumPolicy.seeHistory(user), { [ErrorCodes.forbidden]: 'Only staff can see edit histories.' });
  const post = await db.selectFrom('posts').select(['id', 'revision']).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound('The post');
  const rows = await db
    .selectFrom('post_revisions')
    .innerJoin('users', 'users.id', 'post_revisions.editor_id')
    .select([
      'post_revisions.revision',
      'post_revisions.raw',
      'post_revisions.title',
      'post_revisions.created_at',
      'users.id as editor_id',
      'users.username as editor_username',
    ])
    .where('post_revisions.post_id', '=', postId)
    .orderBy('post_revisions.revision', 'desc')
    .execute();
  return toRevisionList(post.revision, rows);
}

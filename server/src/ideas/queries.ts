import {
  CLOSED_IDEA_STATUSES,
  type IdeaDetail,
  type IdeaListQuery,
  type IdeaSort,
  type SimilarIdea,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import type { ThreadRow } from '../db/schema';
import { type CategorySource, categoryWithChildren, placesFrom } from '../forum/category-places';
import { lastReadColumn, listedThread } from '../forum/queries';
import { notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { toIdeaDetail, toIdeaSummary, toSimilarIdea, toVoter } from './present';
import { SCORE_EPOCH } from './trending';
import { myVote, openVotes, votedFor } from './vote-rows';

/**
 * Sort scores; none depends on the clock, so pages never shift under a reader
 * (see docs/ideas.md for the formulas):
 * - top: votes; new: creation time; discussed: replies
 * - trending: Σ 2^((voted_at − epoch) / 72 h) (`idea_recent_votes.trending`, kept by the votes' trigger)
 * - hot: log10(max(votes, 1)) + (created_at − epoch) / 45000 s — each 10× votes is worth 12.5 h
 */
function scoreExpression(sort: IdeaSort) {
  switch (sort) {
    case 'top':
      return sql<number>`t.vote_count::float8`;
    case 'new':
      return sql<number>`extract(epoch from t.created_at - ${SCORE_EPOCH}::timestamptz)::float8`;
    case 'discussed':
      return sql<number>`(t.post_count - 1)::float8`;
    case 'hot':
      return sql<number>`(log(greatest(t.vote_count, 1)) + extract(epoch from t.created_at - ${SCORE_EPOCH}::timestamptz) / 45000)::float8`;
    case 'trending':
      return sql<number>`(select r.trending from idea_recent_votes r where r.idea_id = t.id)`;
  }
}

/** Whether the reader voted for the idea `t` (false when anonymous). */
function votedColumn(viewer: Pick<User, 'id'> | null) {
  return (viewer ? votedFor(viewer.id) : sql<boolean>`false`).as('voted');
}

/**
 * An idea board's page. Without a status, open work unless `state` says otherwise: a merged
 * duplicate or a declined idea does not crowd the ideas still to build. `voted`: only the
 * reader's own votes (the route asks for a signed-in reader).
 */
export async function listIdeas(db: Db, viewer: User | null, query: IdeaListQuery, categories: CategorySource) {
  const sort = query.sort ?? 'top';
  const limit = query.limit ?? 30;
  const after = decodeCursor(query.cursor, ['float', 'id']);
  const categoryIds = query.category ? categoryWithChildren(await categories.places(), query.category) : undefined;

  let inner = db
    .selectFrom('threads as t')
    .innerJoin('users as author', 'author.id', 't.author_id')
    .innerJoin('users as last_poster', 'last_poster.id', 't.last_poster_id')
    .selectAll('t')
    .select([
      'author.username as author_username',
      'last_poster.username as last_poster_username',
      scoreExpression(sort).as('score'),
      votedColumn(viewer),
      lastReadColumn(viewer, 't'),
      sql<string | null>`(select p.excerpt from posts p where p.thread_id = t.id and p.post_number = 1)`.as(
        'first_excerpt',
      ),
    ])
    .where(sql<boolean>`t.kind = 'idea'`)
    .where(listedThread('t'));
  if (categoryIds) inner = inner.where('t.category_id', 'in', categoryIds);
  if (query.status) inner = inner.where('t.status', '=', query.status);
  else if ((query.state ?? 'open') !== 'all') {
    const closed = [...CLOSED_IDEA_STATUSES];
    inner = inner.where('t.status', query.state === 'closed' ? 'in' : 'not in', closed);
  }
  if (query.voted && viewer) inner = inner.where(votedFor(viewer.id));
  if (query.tag) inner = inner.where(sql<boolean>`t.tags @> array[${query.tag}]::text[]`);
  if (query.minAgeDays) {
    inner = inner.where('t.created_at', '<=', sql<Date>`now() - ${query.minAgeDays} * interval '1 day'`);
  }

  let outer = db.selectFrom(inner.as('i')).selectAll();
  if (after) outer = outer.where(sql<boolean>`(i.score, i.id) < (${after[0]}::float8, ${after[1]}::bigint)`);
  const rows = await outer
    .orderBy('i.score', 'desc')
    .orderBy('i.id', 'desc')
    .limit(sql.lit(limit + 1))
    .execute();
  return toPage(
    rows,
    limit,
    (r) => toIdeaSummary({ ...r, last_read_post_number: r.last_read_post_number as number | null }, viewer),
    (r) => [r.score, r.id],
  );
}

/** The idea row, or 404 when the thread is not a (visible) idea. */
export async function findIdea(db: Db, id: number, lock = false): Promise<ThreadRow> {
  let q = db
    .selectFrom('threads')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'idea')
    .where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const idea = await q.executeTakeFirst();
  if (!idea) throw notFound('The idea');
  return idea;
}

/** Votes a member has left in a category's budget (null when the category has none). */
async function budgetLeft(db: Db, userId: number, categoryId: number): Promise<number | null> {
  const category = await db
    .selectFrom('categories')
    .select('vote_budget')
    .where('id', '=', categoryId)
    .executeTakeFirstOrThrow();
  if (category.vote_budget === null) return null;
  const holding = await openVotes(db, [userId], categoryId);
  return Math.max(0, category.vote_budget - holding.length);
}

export async function getIdeaDetail(db: Db, viewer: User | null, id: number): Promise<IdeaDetail> {
  const idea = await findIdea(db, id);
  const [voted, mergedInto, mergedFrom, history, left] = await Promise.all([
    viewer ? myVote(db, id, viewer.id) : { voted: false, held: false },
    idea.merged_into_id
      ? db.selectFrom('threads').select(['id', 'title']).where('id', '=', idea.merged_into_id).executeTakeFirst()
      : undefined,
    db.selectFrom('threads').select(['id', 'title']).where('merged_into_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('idea_status_changes as c')
      .leftJoin('users as u', 'u.id', 'c.actor_id')
      .leftJoin('releases as r', 'r.id', 'c.release_id')
      .select([
        'c.id',
        'c.from_status',
        'c.to_status',
        'c.response_cooked',
        'c.created_at',
        'u.id as actor_id',
        'u.username',
        'r.id as release_id',
        'r.version as release_version',
        'r.channel as release_channel',
      ])
      .where('c.idea_id', '=', id)
      .orderBy('c.id')
      .execute(),
    viewer ? budgetLeft(db, viewer.id, idea.category_id) : null,
  ]);
  return toIdeaDetail(idea, viewer, {
    voted: voted.voted,
    voteHeld: voted.held,
    mergedInto,
    mergedFrom,
    history,
    budgetLeft: left,
  });
}

export async function listVoters(db: Db, id: number, limit: number, cursor?: string) {
  await findIdea(db, id);
  const after = decodeCursor(cursor, ['timestamp', 'id']);
  let q = db
    .selectFrom('idea_votes as v')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .select(['u.id', 'u.username', 'v.created_at', sql<string>`v.created_at::text`.as('key')])
    .where('v.idea_id', '=', id)
    .orderBy('v.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) {
    q = q.where(sql<boolean>`(v.created_at, u.id) < (${after[0]}::timestamptz, ${after[1]}::bigint)`);
  }
  const rows = await q.execute();
  return toPage(rows, limit, toVoter, (r) => [r.key, r.id]);
}

/**
 * The five existing ideas most like a title being typed: nearest by trigram word distance,
 * read from a GiST index in distance order (so only ~5 rows are scored, whatever the forum's
 * size), then by votes. Merged duplicates are skipped; so are matches too weak to help.
 */
export async function similarIdeas(
  db: Db,
  viewer: User | null,
  q: string,
  categorySlug?: string,
  categories: CategorySource = placesFrom(db),
): Promise<SimilarIdea[]> {
  const text = q.trim();
  const categoryIds = categorySlug ? categoryWithChildren(await categories.places(), categorySlug) : undefined;
  const distance = sql<number>`(${text} <<-> t.title)`;
  let query = db
    .selectFrom('threads as t')
    .select(['t.id', 't.title', 't.status', 't.vote_count', 't.vote_version', 't.category_id', votedColumn(viewer)])
    .select(distance.as('distance'))
    .where(sql<boolean>`t.kind = 'idea'`)
    .where(listedThread('t'))
    .where(sql<boolean>`t.status <> 'duplicate'`)
    .orderBy(distance)
    .limit(sql.lit(SIMILAR_CANDIDATES));
  if (categoryIds) query = query.where('t.category_id', 'in', categoryIds);
  const rows = (await query.execute()).filter((r) => r.distance <= SIMILAR_MAX_DISTANCE);
  return rows
    .sort((a, b) => a.distance - b.distance || b.vote_count - a.vote_count)
    .slice(0, 5)
    .map(toSimilarIdea);
}

/** Nearest titles fetched (ties on distance are then broken by votes); weaker matches are dropped. */
const SIMILAR_CANDIDATES = 10;
const SIMILAR_MAX_DISTANCE = 0.7;

/**
 * An idea's voter list for export, newest first: each voter once (a merge moved its duplicate's
 * voters here, and a voter of both kept one vote), with the merged idea a vote came from.
 */
export function voterExportQuery(db: Db, id: number) {
  return db
    .selectFrom('idea_votes as v')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .leftJoin('idea_merges as m', 'm.id', 'v.merge_id')
    .select([
      'u.username',
      'v.created_at as voted_at',
      'u.trust_level',
      'u.locale',
      'u.role',
      'm.from_id as via_merge_of',
    ])
    .where('v.idea_id', '=', id)
    .orderBy('v.created_at', 'desc')
    .orderBy('u.id', 'desc');
}

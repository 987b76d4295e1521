import {
  type DashboardSort,
  type DashboardWindow,
  type IdeaStatus,
  OPEN_WORK_STATUSES,
  type TopRequestsFilters,
  type TopRequestsQuery,
  windowDays,
} from '@fanlab/shared';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/connect';
import { categoryAndChildrenIds, listedThread } from '../forum/queries';
import { type CursorPart, decodeCursor, encodeCursor } from '../http/pagination';
import { lastDays } from './charts';

/**
 * Top requests: one query for the dashboard's pages and its export, so that the export is the
 * dashboard's rows, in its order, to the vote. Each order is read from an index in (key desc,
 * id desc) order: votes `ideas_top_idx`, votes in a window `idea_recent_votes_d<N>_idx`,
 * trending `ideas_trending_idx`, discussion `ideas_discussed_idx`, newest `ideas_new_idx`.
 */

/** The filters resolved: a category slug becomes its ids (with sub-categories), statuses a list. */
export interface ResolvedFilters {
  categoryIds: number[] | undefined;
  statuses: IdeaStatus[];
  space: string | undefined;
  region: string | undefined;
  tag: string | undefined;
  window: DashboardWindow;
  sort: DashboardSort;
}

export async function resolveFilters(db: Db, filters: TopRequestsFilters): Promise<ResolvedFilters> {
  return {
    categoryIds: filters.category ? await categoryAndChildrenIds(db, filters.category) : undefined,
    statuses: filters.status ? ([...new Set(filters.status.split(','))] as IdeaStatus[]) : [...OPEN_WORK_STATUSES],
    space: filters.space,
    region: filters.region,
    tag: filters.tag,
    window: filters.window ?? '30d',
    sort: filters.sort ?? 'votes',
  };
}

/** The order's key: its SQL, the id it ties on, and how a cursor holds it. */
interface OrderKey {
  key: RawBuilder<unknown>;
  id: RawBuilder<number>;
  part: CursorPart;
  /** The key as the cursor holds it (text for timestamps, as PostgreSQL writes them). */
  cursorValue: RawBuilder<unknown>;
}

/** `window` over `all` is the total: every vote is in it. */
function orderKey(sort: DashboardSort, window: DashboardWindow): OrderKey {
  const byThread = (column: string, part: CursorPart): OrderKey => {
    const key = sql.ref(`t.${column}`);
    return { key, id: sql<number>`t.id`, part, cursorValue: part === 'timestamp' ? sql`${key}::text` : key };
  };
  const days = windowDays(window);
  switch (sort) {
    case 'window':
      if (days === null) return byThread('vote_count', 'id');
      return { key: sql.ref(`r.d${days}`), id: sql<number>`r.idea_id`, part: 'id', cursorValue: sql.ref(`r.d${days}`) };
    case 'votes':
      return byThread('vote_count', 'id');
    case 'trending':
      return byThread('trending_score', 'float');
    case 'discussed':
      return byThread('post_count', 'id');
    case 'newest':
      return byThread('created_at', 'timestamp');
  }
}

/** Votes in the window of `t`: the window's column, or the total for `all`. */
function windowVotes(window: DashboardWindow) {
  const days = windowDays(window);
  return days === null ? sql<number>`t.vote_count` : sql<number>`${sql.ref(`r.d${days}`)}`;
}

/** Matching ideas with every column of a top request, in the order, before paging. */
function topRequests(db: Db, f: ResolvedFilters) {
  const order = orderKey(f.sort, f.window);
  let query = db
    .selectFrom('threads as t')
    .innerJoin('idea_recent_votes as r', 'r.idea_id', 't.id')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .leftJoin('categories as p', 'p.id', 'c.parent_id')
    .innerJoin('users as author', 'author.id', 't.author_id')
    .select([
      't.id',
      't.title',
      'c.slug as category_slug',
      sql<string>`case when p.id is null then c.name else p.name || ' / ' || c.name end`.as('category_path'),
      't.status',
      't.vote_count',
      windowVotes(f.window).as('window_votes'),
      sql<number>`t.post_count - 1`.as('replies'),
      't.trending_score',
      't.author_id',
      'author.username as author_username',
      't.created_at',
      't.status_changed_at',
      't.official_response_raw',
      sql<number>`(select count(*)::int from threads m where m.merged_into_id = t.id)`.as('merged_duplicates'),
      't.tags',
      order.cursorValue.as('order_key'),
    ])
    .where(sql<boolean>`t.kind = 'idea'`)
    .where(listedThread('t'))
    .where('t.status', 'in', f.statuses);
  if (f.categoryIds) query = query.where('t.category_id', 'in', f.categoryIds);
  if (f.tag) query = query.where(sql<boolean>`t.tags @> array[${f.tag}]::text[]`);
  if (f.space) {
    query = query.where(
      f.space.includes('-')
        ? sql<boolean>`c.locale = ${f.space}`
        : sql<boolean>`(c.locale = ${f.space} or c.locale like ${`${f.space}-%`})`,
    );
  }
  if (f.region) query = query.where(sql<boolean>`c.locale like ${`%-${f.region}`}`);
  return { query, order };
}

export type TopRequestRow = Awaited<ReturnType<ReturnType<typeof topRequests>['query']['execute']>>[number];

/** The order's SQL: key, then id, both descending (as the indexes hold them). */
const orderBy = (order: OrderKey) => sql`${order.key} desc, ${order.id} desc`;

/**
 * One dashboard page: `limit` rows after the cursor, each with its rank (the cursor carries the
 * last rank), and the cursor of the next page.
 */
export async function topRequestsPage(db: Db, f: ResolvedFilters, page: Pick<TopRequestsQuery, 'cursor' | 'limit'>) {
  const limit = page.limit ?? 50;
  const { query, order } = topRequests(db, f);
  const after = decodeCursor(page.cursor, [order.part, 'id', 'id'] as const);
  let q = query;
  if (after) {
    const key = order.part === 'timestamp' ? sql`${after[0]}::timestamptz` : sql`${after[0]}`;
    q = q.where(sql<boolean>`(${order.key}, ${order.id}) < (${key}, ${after[1]}::bigint)`);
  }
  const rows = await q
    .orderBy(orderBy(order))
    .limit(limit + 1)
    .execute();
  const firstRank = (after?.[2] ?? 0) + 1;
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((row, i) => ({ row, rank: firstRank + i })),
    nextCursor:
      more && last ? encodeCursor([last.order_key as string | number, last.id, firstRank + pageRows.length - 1]) : null,
  };
}

/** The export's query: every matching row in the dashboard's order, each with its rank. */
export function topRequestsExportQuery(db: Db, f: ResolvedFilters, limit?: number) {
  const { query, order } = topRequests(db, f);
  const ranked = query
    .select(sql<number>`row_number() over (order by ${orderBy(order)})::int`.as('rank'))
    .orderBy(orderBy(order));
  return limit === undefined ? ranked : ranked.limit(limit);
}

/** Where the window starts now (null for `all`). */
export async function windowStart(db: Db, window: DashboardWindow): Promise<Date | null> {
  const days = windowDays(window);
  if (days === null) return null;
  const row = await db.selectFrom('vote_windows').select('starts_at').where('days', '=', days).executeTakeFirst();
  return row?.starts_at ?? null;
}

/** The days a sparkline covers: the window's (the last 365 for `all`), today included, UTC. */
export function sparklineDays(window: DashboardWindow, now = new Date()): string[] {
  return lastDays(windowDays(window) ?? 365, now);
}

/** Votes per day of each idea over `days` (each idea's array in the days' order). */
export async function sparklines(db: Db, ideaIds: number[], days: string[]): Promise<Map<number, number[]>> {
  const lines = new Map(ideaIds.map((id) => [id, days.map(() => 0)]));
  if (!ideaIds.length || !days.length) return lines;
  const index = new Map(days.map((d, i) => [d, i]));
  const rows = await db
    .selectFrom('idea_vote_days')
    .select(['idea_id', 'day', 'votes'])
    .where('idea_id', 'in', ideaIds)
    .where('day', '>=', days[0] as string)
    .execute();
  for (const row of rows) {
    const i = index.get(row.day);
    const line = lines.get(row.idea_id);
    if (i !== undefined && line) line[i] = row.votes;
  }
  return lines;
}

import {
  type DashboardSort,
  type DashboardWindow,
  type IdeaStatus,
  OPEN_WORK_STATUSES,
  TAG_PATTERN,
  type TopRequestsFilters,
  type TopRequestsQuery,
  windowDays,
} from '@fanlab/shared';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/connect';
import { type CategoryPlace, categoriesOfLocale, categoryWithChildren } from '../forum/category-places';
import { listedThread } from '../forum/queries';
import { type CursorPart, decodeCursor, encodeCursor } from '../http/pagination';
import { firstOfLastDays } from './charts';

/**
 * Top requests: one query for the dashboard's pages and its export, so that the export is the
 * dashboard's rows, in its order, to the vote. Each order is read from an index in (key desc,
 * id desc) order: votes `idea_recent_votes_votes_idx`, votes in a window
 * `idea_recent_votes_d<N>_idx`, trending `idea_recent_votes_trending_idx` (the votes' keys live
 * in that narrow row, migration 0032), discussion `ideas_discussed_idx`, newest `ideas_new_idx`.
 */

const TAG = new RegExp(TAG_PATTERN);

/**
 * The filters resolved: a category slug becomes its ids (with sub-categories), a language space
 * or region the ids of the categories in it (both given: the categories in both), statuses a list.
 */
export interface ResolvedFilters {
  /** undefined: any category; empty: no category matches (so no idea does). */
  categoryIds: number[] | undefined;
  statuses: IdeaStatus[];
  tag: string | undefined;
  window: DashboardWindow;
  sort: DashboardSort;
}

/** The filters resolved against the category tree (no query: `places` come from the caller). */
export function resolveFilters(places: readonly CategoryPlace[], filters: TopRequestsFilters): ResolvedFilters {
  let categoryIds = filters.category ? categoryWithChildren(places, filters.category) : undefined;
  if (filters.space || filters.region) {
    const inLocale = new Set(categoriesOfLocale(places, filters.space, filters.region));
    categoryIds = (categoryIds ?? [...inLocale]).filter((id) => inLocale.has(id));
  }
  return {
    categoryIds,
    statuses: filters.status ? ([...new Set(filters.status.split(','))] as IdeaStatus[]) : [...OPEN_WORK_STATUSES],
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
  const byVotes = (column: string, part: CursorPart): OrderKey => {
    const key = sql.ref(`r.${column}`);
    return { key, id: sql<number>`r.idea_id`, part, cursorValue: key };
  };
  const days = windowDays(window);
  switch (sort) {
    case 'window':
      return byVotes(days === null ? 'votes' : `d${days}`, 'id');
    case 'votes':
      return byVotes('votes', 'id');
    case 'trending':
      return byVotes('trending', 'float');
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
      'r.trending as trending_score',
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
  // Categories and the tag are written into the SQL (ids are integers; TAG_PATTERN allows only
  // [a-z0-9-]), as db/connect.ts does with every limit. Our statements are planned once for any
  // parameters, and such a plan guessed what a filter keeps: for a tag on one idea in seven it sorted all of them (80 ms), for a small
  // category it walked the whole order's index (8 ms). Knowing the values, the plan reads the
  // order's index for a common filter and sorts the few matching rows of a rare one.
  if (f.categoryIds) {
    if (!f.categoryIds.every(Number.isSafeInteger)) throw new Error('category ids must be integers');
    query = f.categoryIds.length
      ? query.where(sql<boolean>`t.category_id in (${sql.join(f.categoryIds.map((id) => sql.lit(id)))})`)
      : query.where(sql<boolean>`false`);
  }
  if (f.tag) {
    if (!TAG.test(f.tag)) throw new Error(`not a tag: ${JSON.stringify(f.tag)}`);
    query = query.where(sql<boolean>`t.tags @> array[${sql.lit(f.tag)}]::text[]`);
  }
  return { query, order };
}

export type TopRequestRow = Awaited<ReturnType<ReturnType<typeof topRequests>['query']['execute']>>[number];

/** The order's SQL: key, then id, both descending (as the indexes hold them). */
const orderBy = (order: OrderKey) => sql`${order.key} desc, ${order.id} desc`;

/**
 * One dashboard page: `limit` rows after the cursor, each with its rank (the cursor carries the
 * last rank), and the cursor of the next page.
 */
export async function topRequestsPage(
  db: Db,
  f: ResolvedFilters,
  page: Pick<TopRequestsQuery, 'cursor' | 'limit'> & { sparkline: SparklineSpan | null },
) {
  const limit = page.limit ?? 50;
  const { query, order } = topRequests(db, f);
  const after = decodeCursor(page.cursor, [order.part, 'id', 'id'] as const);
  // Read with the rows: where the window starts (once: an init plan), and each row's votes per
  // day from the sparkline's first month on, as `offset:votes,votes,…` per month (the offset of
  // the month's first day from the sparkline's; `idea_vote_months`, migration 0027: a year is 13
  // rows of the idea's own index range, not 365), for the page's rows only (PostgreSQL evaluates
  // the sub-select after the limit).
  const days = windowDays(f.window);
  const from = page.sparkline?.from;
  let q = query.select([
    days === null
      ? sql<Date | null>`null::timestamptz`.as('window_starts_at')
      : sql<Date | null>`(select w.starts_at from vote_windows w where w.days = ${days}::int)`.as('window_starts_at'),
    from === undefined
      ? sql<string | null>`null::text`.as('sparkline_points')
      : sql<string | null>`(select string_agg((m.month - ${from}::date) || ':' || array_to_string(m.days, ','), ';')
            from idea_vote_months m
            where m.idea_id = t.id and m.month >= date_trunc('month', ${from}::date)::date)`.as('sparkline_points'),
  ]);

  if (after) {
    const key = order.part === 'timestamp' ? sql`${after[0]}::timestamptz` : sql`${after[0]}`;
    q = q.where(sql<boolean>`(${order.key}, ${order.id}) < (${key}, ${after[1]}::bigint)`);
  }
  // (db/connect.ts writes the limit into the SQL, so the plan knows it reads 51 rows)
  const rows = await q
    .orderBy(orderBy(order))
    .limit(limit + 1)
    .execute();
  const firstRank = (after?.[2] ?? 0) + 1;
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((row, i) => ({
      row,
      rank: firstRank + i,
      sparkline: sparkline(row.sparkline_points, page.sparkline?.days ?? 0),
    })),
    windowStartsAt: last ? last.window_starts_at : await windowStart(db, f.window),
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

/** A sparkline's days: its first (UTC, YYYY-MM-DD) and how many up to today, included. */
export interface SparklineSpan {
  from: string;
  days: number;
}

/** The days a sparkline covers: the window's (the last 365 for `all`), today included, UTC. */
export function sparklineSpan(window: DashboardWindow, now = new Date()): SparklineSpan {
  const days = windowDays(window) ?? 365;
  return { from: firstOfLastDays(days, now), days };
}

/**
 * A sparkline of `length` days from its months, `offset:votes,votes,…` separated by `;` (the
 * offset of the month's first day from the sparkline's first; days before or after are dropped).
 * Read character by character: a page of year-long sparklines is 18,000 numbers, and splitting
 * them into strings first was a tenth of the dashboard's server time.
 */
export function sparkline(months: string | null, length: number): number[] {
  const line = new Array<number>(length).fill(0);
  if (!months) return line;
  const end = months.length;
  let i = 0;
  while (i < end) {
    const negative = months.charCodeAt(i) === MINUS;
    if (negative) i += 1;
    let offset = 0;
    for (let c = months.charCodeAt(i); i < end && c !== COLON; c = months.charCodeAt(++i))
      offset = offset * 10 + c - ZERO;
    i += 1; // the colon
    let day = negative ? -offset : offset;
    let votes = 0;
    for (;;) {
      const c = i < end ? months.charCodeAt(i) : SEMICOLON;
      i += 1;
      if (c === COMMA || c === SEMICOLON) {
        if (day >= 0 && day < length) line[day] = votes;
        day += 1;
        votes = 0;
        if (c === SEMICOLON) break;
      } else votes = votes * 10 + c - ZERO;
    }
  }
  return line;
}
const [ZERO, MINUS, COLON, COMMA, SEMICOLON] = ['0', '-', ':', ',', ';'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];

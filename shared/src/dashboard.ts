import { type Static, Type } from 'typebox';
import { ExportQuery } from './exports';
import { UserRef } from './forum';
import { IdeaStatus, ideaStatuses, TAG_PATTERN } from './ideas';

/**
 * The product managers' dashboard (issue 11): top requests under filters, and the site's weekly
 * charts. The export of top requests takes the same filters and gives exactly the same rows.
 */

/** Time windows: votes cast within the last N days (`all`: every vote). */
export const dashboardWindows = ['7d', '30d', '90d', '365d', 'all'] as const;
export type DashboardWindow = (typeof dashboardWindows)[number];
export const DashboardWindow = Type.Union([
  Type.Literal('7d'),
  Type.Literal('30d'),
  Type.Literal('90d'),
  Type.Literal('365d'),
  Type.Literal('all'),
]);
/** Days in a window (`all`: null). */
export const windowDays = (window: DashboardWindow): number | null =>
  window === 'all' ? null : Number.parseInt(window, 10);

/**
 * Orders: total votes, votes within the window, trending (votes decaying with a 72 h half-life),
 * discussion (replies), newest.
 */
export const dashboardSorts = ['votes', 'window', 'trending', 'discussed', 'newest'] as const;
export type DashboardSort = (typeof dashboardSorts)[number];
export const DashboardSort = Type.Union([
  Type.Literal('votes'),
  Type.Literal('window'),
  Type.Literal('trending'),
  Type.Literal('discussed'),
  Type.Literal('newest'),
]);

/** The statuses the dashboard shows unless asked: work that is still open. */
export const OPEN_WORK_STATUSES: readonly IdeaStatus[] = ['open', 'under_review', 'planned', 'in_progress', 'in_beta'];

const statusAlternatives = ideaStatuses.join('|');
/** Comma-separated statuses, e.g. `open,planned`. */
export const STATUS_LIST_PATTERN = `^(${statusAlternatives})(,(${statusAlternatives}))*$`;
/** A language space (`es`, `pt`) or one with its region (`pt-BR`). */
export const SPACE_PATTERN = '^[a-z]{2,3}(-[A-Z]{2})?$';
export const REGION_PATTERN = '^[A-Z]{2}$';

/** The filters, the same for the dashboard, its export and its charts' page link. */
export const TopRequestsFilters = Type.Object({
  /** A category's slug: the category and its sub-categories. */
  category: Type.Optional(Type.String({ maxLength: 50 })),
  /** Comma-separated statuses; default: open work (OPEN_WORK_STATUSES). */
  status: Type.Optional(Type.String({ pattern: STATUS_LIST_PATTERN, maxLength: 200 })),
  /** Ideas in categories of this language (`es` also matches `es-MX`), or exactly this locale. */
  space: Type.Optional(Type.String({ pattern: SPACE_PATTERN })),
  /** Ideas in categories whose locale has this region (`MX` matches `es-MX`). */
  region: Type.Optional(Type.String({ pattern: REGION_PATTERN })),
  tag: Type.Optional(Type.String({ pattern: TAG_PATTERN })),
  window: Type.Optional(DashboardWindow),
  sort: Type.Optional(DashboardSort),
});
export type TopRequestsFilters = Static<typeof TopRequestsFilters>;

export const TopRequestsQuery = Type.Object({
  ...TopRequestsFilters.properties,
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});
export type TopRequestsQuery = Static<typeof TopRequestsQuery>;

/** The export: the same filters, every matching row unless `limit`, as CSV, JSON Lines or JSON. */
export const TopRequestsExportQuery = Type.Object({
  ...TopRequestsFilters.properties,
  ...ExportQuery.properties,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Only the first N rows' })),
});
export type TopRequestsExportQuery = Static<typeof TopRequestsExportQuery>;

/** The export's columns, in order (CSV header, JSON keys). */
export const TOP_REQUEST_COLUMNS = [
  'rank',
  'id',
  'title',
  'url',
  'category_path',
  'status',
  'votes_total',
  'votes_in_window',
  'unique_voters',
  'replies',
  'trending_score',
  'author',
  'created_at',
  'last_status_change_at',
  'official_response',
  'merged_duplicates',
  'tags',
] as const;

/** One row of top requests: what the dashboard shows and the export writes. */
export const TopRequest = Type.Object({
  rank: Type.Integer(),
  id: Type.Integer(),
  title: Type.String(),
  /** The idea's path on this site (`/t/123`); the export writes it as a full URL. */
  path: Type.String(),
  categoryPath: Type.String({ description: 'Parent / category' }),
  categorySlug: Type.String(),
  status: IdeaStatus,
  votes: Type.Integer(),
  /** Standing votes cast within the window (all of them for `all`). */
  windowVotes: Type.Integer(),
  /** Distinct voters: merges move a duplicate's voters here, each once, so this is `votes`. */
  uniqueVoters: Type.Integer(),
  replies: Type.Integer(),
  trendingScore: Type.Number(),
  author: UserRef,
  createdAt: Type.String(),
  statusChangedAt: Type.Union([Type.String(), Type.Null()]),
  /** The official response as written (Markdown), or null. */
  officialResponse: Type.Union([Type.String(), Type.Null()]),
  mergedDuplicates: Type.Integer(),
  tags: Type.Array(Type.String()),
  /** Votes per UTC day over the window (the last 365 days for `all`), oldest first. */
  sparkline: Type.Array(Type.Integer()),
});
export type TopRequest = Static<typeof TopRequest>;

export const TopRequestsPage = Type.Object({
  items: Type.Array(TopRequest),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  /** Where the window starts now (null for `all`), and the first day of the sparklines. */
  windowStartsAt: Type.Union([Type.String(), Type.Null()]),
  sparklineFrom: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
});
export type TopRequestsPage = Static<typeof TopRequestsPage>;

export const DashboardChartsQuery = Type.Object({ window: Type.Optional(DashboardWindow) });

/** One week of the site charts (weeks start on Monday, UTC). */
export const ChartWeek = Type.Object({
  week: Type.String({ description: 'YYYY-MM-DD, the Monday' }),
  votes: Type.Integer({ description: 'Standing votes cast that week' }),
  newIdeas: Type.Integer(),
  activeVoters: Type.Integer({ description: 'Members with a standing vote cast that week' }),
  statusChanges: Type.Integer(),
});
export type ChartWeek = Static<typeof ChartWeek>;

export const DashboardCharts = Type.Object({
  weeks: Type.Array(ChartWeek),
  /** When these numbers were counted (they are counted at most once a minute per process). */
  computedAt: Type.String(),
});
export type DashboardCharts = Static<typeof DashboardCharts>;

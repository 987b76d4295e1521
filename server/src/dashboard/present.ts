import { TOP_REQUEST_COLUMNS, type TopRequest } from '@fanlab/shared';
import type { ExportShape } from '../http/exports';
import type { TopRequestRow } from './queries';

/** An idea's path on the site: its thread page. */
export const ideaPath = (id: number) => `/t/${id}`;

/** A top request as the dashboard shows it. */
export function toTopRequest(row: TopRequestRow, rank: number, sparkline: number[]): TopRequest {
  return {
    rank,
    id: row.id,
    title: row.title,
    path: ideaPath(row.id),
    categoryPath: row.category_path,
    categorySlug: row.category_slug,
    status: row.status,
    votes: row.vote_count,
    windowVotes: row.window_votes,
    uniqueVoters: row.vote_count,
    replies: row.replies,
    trendingScore: row.trending_score,
    author: { id: row.author_id, username: row.author_username },
    createdAt: row.created_at.toISOString(),
    statusChangedAt: row.status_changed_at?.toISOString() ?? null,
    officialResponse: row.official_response_raw,
    mergedDuplicates: row.merged_duplicates,
    tags: row.tags,
    sparkline,
  };
}

/**
 * The export's rows (TOP_REQUEST_COLUMNS): the dashboard's row itself, written out, with the URL
 * in full and tags separated by spaces (a tag has none).
 */
export function topRequestExportShape(publicUrl: string): ExportShape<TopRequestRow & { rank: number }> {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    columns: TOP_REQUEST_COLUMNS,
    values: (row) => {
      const r = toTopRequest(row, row.rank, []);
      return [
        r.rank,
        r.id,
        r.title,
        `${base}${r.path}`,
        r.categoryPath,
        r.status,
        r.votes,
        r.windowVotes,
        r.uniqueVoters,
        r.replies,
        r.trendingScore,
        r.author.username,
        r.createdAt,
        r.statusChangedAt,
        r.officialResponse,
        r.mergedDuplicates,
        r.tags.join(' '),
      ];
    },
  };
}

import type { TopRequest } from '@fanlab/shared';
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
 * The export's rows (TOP_REQUEST_COLUMNS): the same values as the dashboard's, the URL in full
 * and tags separated by spaces (a tag has none).
 */
export function topRequestExportShape(
  columns: readonly string[],
  publicUrl: string,
): ExportShape<TopRequestRow & { rank: number }> {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    columns,
    values: (row) => [
      row.rank,
      row.id,
      row.title,
      `${base}${ideaPath(row.id)}`,
      row.category_path,
      row.status,
      row.vote_count,
      row.window_votes,
      row.vote_count,
      row.replies,
      row.trending_score,
      row.author_username,
      row.created_at,
      row.status_changed_at,
      row.official_response_raw,
      row.merged_duplicates,
      row.tags.join(' '),
    ],
  };
}

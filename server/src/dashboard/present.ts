import { TOP_REQUEST_COLUMNS, type TopRequest } from '@fanlab/shared';
import { sql } from 'kysely';
import { type ExportShape, exportRow, exportShape } from '../http/exports';
import type { TopRequestRow } from './queries';

/** An idea's path on the site: its thread page. */
const IDEA_PATH = '/t/';
export const ideaPath = (id: number) => `${IDEA_PATH}${id}`;

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
 * The export's columns (TOP_REQUEST_COLUMNS): the dashboard's row as toTopRequest maps it,
 * written in SQL (PostgreSQL writes the file), with the URL in full and tags separated by spaces
 * (a tag has none). The export test checks the two agree, row by row.
 */
export function topRequestExportShape(publicUrl: string): ExportShape {
  const ideaUrl = `${publicUrl.replace(/\/+$/, '')}${IDEA_PATH}`;
  return exportShape(TOP_REQUEST_COLUMNS, {
    rank: 'number',
    id: 'number',
    title: 'text',
    url: ['text', sql`${ideaUrl} || ${exportRow('id')}`],
    category_path: 'text',
    status: 'text',
    votes_total: ['number', exportRow('vote_count')],
    votes_in_window: ['number', exportRow('window_votes')],
    unique_voters: ['number', exportRow('vote_count')],
    replies: 'number',
    trending_score: 'number',
    author: ['text', exportRow('author_username')],
    created_at: 'timestamp',
    last_status_change_at: ['timestamp', exportRow('status_changed_at')],
    official_response: ['text', exportRow('official_response_raw')],
    merged_duplicates: 'number',
    tags: ['text', sql`array_to_string(${exportRow('tags')}, ' ')`],
  });
}

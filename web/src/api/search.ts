import type { SearchQuery, SearchResult } from '@fanlab/shared';
import { apiGet, withQuery } from './client';

export interface SearchAnswer {
  results: SearchResult[];
  hasMore: boolean;
}

/** GET /api/search: one page of posts matching the query and filters. */
export function search(query: SearchQuery): Promise<SearchAnswer> {
  return apiGet<SearchAnswer>(withQuery('/api/search', { ...query }));
}

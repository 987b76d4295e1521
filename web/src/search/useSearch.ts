import type { SearchQuery } from '@fanlab/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { search } from '../api/search';
import { forumKeys } from '../forum/queryKeys';

export const SEARCH_MIN = 2;

/** One page of search results; nothing is asked while the query is too short. */
export function useSearch(query: SearchQuery) {
  return useQuery({
    queryKey: forumKeys.search({ ...query }),
    queryFn: () => search(query),
    enabled: query.q.trim().length >= SEARCH_MIN,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

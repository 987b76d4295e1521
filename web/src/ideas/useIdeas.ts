import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getIdea, type IdeaListParams, listIdeas, listVoters, similarIdeas } from '../api/ideas';
import { ideaKeys } from './queryKeys';

const PAGE_SIZE = 30;
/** Fewer characters than this ask for no similar ideas (the API's minimum). */
export const SIMILAR_MIN = 3;

/** A board, page by page ("Load more" fetches the next keyset page). */
export function useIdeaList(params: Omit<IdeaListParams, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: ideaKeys.list(params),
    queryFn: ({ pageParam }) => listIdeas({ ...params, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The idea part of a thread. Live events keep it current, so focusing the window does not reload it. */
export function useIdea(id: number, enabled = true) {
  return useQuery({
    queryKey: ideaKeys.detail(id),
    queryFn: () => getIdea(id),
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    enabled: enabled && Number.isSafeInteger(id) && id > 0,
  });
}

/** Ideas whose titles look like `q`, while a title is being typed (nothing below SIMILAR_MIN characters). */
export function useSimilarIdeas(q: string, category?: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ideaKeys.similar(query, category),
    queryFn: () => similarIdeas(query, category),
    enabled: query.length >= SIMILAR_MIN,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** Who voted for an idea, newest first (staff and product managers). */
export function useVoters(id: number, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ideaKeys.voters(id),
    queryFn: ({ pageParam }) => listVoters(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

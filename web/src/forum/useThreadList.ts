import { useInfiniteQuery } from '@tanstack/react-query';
import { listThreads, type ThreadListParams } from '../api/forum';
import { forumKeys } from './queryKeys';

const PAGE_SIZE = 30;

/** A thread list, page by page ("Load more" fetches the next keyset page). */
export function useThreadList(params: Omit<ThreadListParams, 'cursor' | 'limit'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: forumKeys.threadList(params),
    queryFn: ({ pageParam }) => listThreads({ ...params, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

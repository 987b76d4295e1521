import { useInfiniteQuery } from '@tanstack/react-query';
import { getThread } from '../api/forum';
import { forumKeys } from './queryKeys';

/**
 * A thread and its posts, page by page (`after` = the highest post number already loaded).
 * Live updates keep it current, so it is not refetched when the window regains focus: new
 * replies wait behind the "new replies" bar instead of moving the page.
 */
export function useThread(id: number) {
  return useInfiniteQuery({
    queryKey: forumKeys.thread(id),
    queryFn: ({ pageParam }) => getThread(id, pageParam),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextAfter,
    staleTime: 60_000,
    refetchOnWindowFocus: false,
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

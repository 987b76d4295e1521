import type { ActivityType } from '@fanlab/shared';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getActivity, getProfile } from '../api/users';
import { forumKeys } from '../forum/queryKeys';

export function useProfile(username: string, enabled = true) {
  return useQuery({
    queryKey: forumKeys.profile(username),
    queryFn: () => getProfile(username),
    staleTime: 60_000,
    enabled,
  });
}

/** A user's threads, replies, ideas or likes, page by page. */
export function useActivity(username: string, type: ActivityType) {
  return useInfiniteQuery({
    queryKey: forumKeys.activity(username, type),
    queryFn: ({ pageParam }) => getActivity(username, type, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

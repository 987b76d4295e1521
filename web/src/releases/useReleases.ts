import type { CreateReleaseBody, UpdateReleaseBody } from '@fanlab/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createRelease,
  deleteRelease,
  getRelease,
  getReleaseCalendar,
  listReleases,
  publishRelease,
  type ReleaseListParams,
  updateRelease,
} from '../api/releases';
import { ideaKeys } from '../ideas/queryKeys';

/** Every cache key of the releases UI. */
export const releaseKeys = {
  all: ['releases'] as const,
  list: (params: Omit<ReleaseListParams, 'cursor' | 'limit'>) => ['releases', 'list', params] as const,
  detail: (id: number) => ['releases', 'detail', id] as const,
  calendar: (month: string) => ['releases', 'calendar', month] as const,
};

/** The changelog (or the drafts), page by page. */
export function useReleaseList(params: Omit<ReleaseListParams, 'cursor' | 'limit'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: releaseKeys.list(params),
    queryFn: ({ pageParam }) => listReleases({ ...params, cursor: pageParam, limit: 10 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useRelease(id: number) {
  return useQuery({
    queryKey: releaseKeys.detail(id),
    queryFn: () => getRelease(id),
    enabled: Number.isSafeInteger(id),
  });
}

export function useReleaseCalendar(month: string) {
  return useQuery({ queryKey: releaseKeys.calendar(month), queryFn: () => getReleaseCalendar(month) });
}

/** Create, edit, publish, delete: each refreshes the releases and (their statuses moved) the ideas. */
export function useReleaseMutations() {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: releaseKeys.all });
    void queryClient.invalidateQueries({ queryKey: ideaKeys.all });
  };
  return {
    create: useMutation({ mutationFn: (body: CreateReleaseBody) => createRelease(body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: UpdateReleaseBody }) => updateRelease(id, body),
      onSuccess: refresh,
    }),
    publish: useMutation({ mutationFn: (id: number) => publishRelease(id), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (id: number) => deleteRelease(id), onSuccess: refresh }),
  };
}

import type { IdeaDetail, IdeaStatus } from '@fanlab/shared';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { mergeIdea, setIdeaStatus, setIdeaTags, unmergeIdea } from '../api/ideas';
import { forumKeys } from '../forum/queryKeys';
import { storeIdeaDetail } from './ideaCache';
import { ideaKeys } from './queryKeys';

/** After a merge or unmerge: both ideas changed (votes, statuses, notices), and so did the boards. */
function afterMergeChange(queryClient: QueryClient, answer: IdeaDetail) {
  storeIdeaDetail(queryClient, answer);
  void queryClient.invalidateQueries({
    queryKey: ideaKeys.details,
    predicate: (query) => query.queryKey[2] !== answer.threadId,
  });
  void queryClient.invalidateQueries({ queryKey: ideaKeys.lists });
  void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
}

export function useSetIdeaStatus(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ status, response }: { status: IdeaStatus; response?: string }) =>
      setIdeaStatus(id, status, response),
    onSuccess: (detail) => {
      storeIdeaDetail(queryClient, detail);
      void queryClient.invalidateQueries({ queryKey: ideaKeys.lists, refetchType: 'none' });
    },
  });
}

export function useSetIdeaTags(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tags: string[]) => setIdeaTags(id, tags),
    onSuccess: (detail) => storeIdeaDetail(queryClient, detail),
  });
}

export function useMergeIdea(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (intoId: number) => mergeIdea(id, intoId),
    onSuccess: (answer) => afterMergeChange(queryClient, answer),
  });
}

export function useUnmergeIdea(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unmergeIdea(id),
    onSuccess: (answer) => afterMergeChange(queryClient, answer),
  });
}

import type { IdeaDetail, IdeaSummary, Page } from '@fanlab/shared';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { ideaKeys } from './queryKeys';

export type IdeaPages = InfiniteData<Page<IdeaSummary>, string | null>;

/** Changes one idea in every loaded board (the same idea may be on several). */
export function patchIdeaSummaries(queryClient: QueryClient, id: number, patch: Partial<IdeaSummary>) {
  queryClient.setQueriesData<IdeaPages>({ queryKey: ideaKeys.lists }, (data) => {
    if (!data?.pages.some((page) => page.items.some((item) => item.id === id))) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => (item.id === id ? { ...item, ...patch } : item)),
      })),
    };
  });
}

/** A fresh idea detail from the server: cached, and its status and tags shown on the boards too. */
export function storeIdeaDetail(queryClient: QueryClient, detail: IdeaDetail) {
  queryClient.setQueryData(ideaKeys.detail(detail.threadId), detail);
  patchIdeaSummaries(queryClient, detail.threadId, {
    status: detail.status,
    tags: detail.tags,
    mergedIntoId: detail.mergedInto?.id ?? null,
  });
}

/** The status changed (live, or by our own hand). */
export function patchIdeaStatus(queryClient: QueryClient, id: number, status: IdeaSummary['status']) {
  queryClient.setQueryData<IdeaDetail>(ideaKeys.detail(id), (detail) => (detail ? { ...detail, status } : detail));
  patchIdeaSummaries(queryClient, id, { status });
}

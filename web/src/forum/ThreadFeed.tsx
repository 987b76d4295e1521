import type { Category } from '@fanlab/shared';
import type { ReactNode } from 'react';
import type { ThreadListParams } from '../api/forum';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { uniqueItems } from './flatten';
import { ThreadList } from './ThreadList';
import { useThreadList } from './useThreadList';

interface ThreadFeedProps {
  params: Omit<ThreadListParams, 'cursor' | 'limit'>;
  badges?: ReadonlyMap<number, Category>;
  empty: ReactNode;
}

/** A thread list from the API with its loading, error and empty states and "Load more". */
export function ThreadFeed({ params, badges, empty }: ThreadFeedProps) {
  const list = useThreadList(params);
  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <ThreadList threads={uniqueItems(list.data?.pages)} badges={badges} empty={empty} />
      {list.isFetchNextPageError ? <LoadError error={list.error} onRetry={() => void list.fetchNextPage()} /> : null}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        testId="load-more-threads"
      />
    </>
  );
}

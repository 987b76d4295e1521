import type { Category, ThreadSummary } from '@fanlab/shared';
import type { ReactNode } from 'react';
import { useMe } from '../account/useMe';
import { EmptyState } from '../components/EmptyState';
import { ThreadListItem } from './ThreadListItem';

interface ThreadListProps {
  threads: ThreadSummary[];
  /** Categories by id, for the badges; leave out a category to show no badge for its threads. */
  badges?: ReadonlyMap<number, Category>;
  empty: ReactNode;
}

export function ThreadList({ threads, badges, empty }: ThreadListProps) {
  const signedIn = Boolean(useMe().data);
  if (threads.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="thread-list" data-testid="thread-list">
      {threads.map((thread) => (
        <ThreadListItem key={thread.id} thread={thread} category={badges?.get(thread.categoryId)} signedIn={signedIn} />
      ))}
    </ul>
  );
}

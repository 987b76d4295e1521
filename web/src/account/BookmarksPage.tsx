import type { Bookmark } from '@fanlab/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listBookmarks, setBookmark } from '../api/bookmarks';
import { EmptyState } from '../components/EmptyState';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { forumKeys } from '../forum/queryKeys';
import { errorMessage } from '../i18n/errorMessage';
import { bookmarkKeys } from './bookmarkKeys';
import { SignInPrompt } from './SignInPrompt';
import { useMe } from './useMe';

function BookmarkList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: bookmarkKeys.all,
    queryFn: ({ pageParam }) => listBookmarks(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const remove = useMutation({
    mutationFn: (bookmark: Bookmark) => setBookmark(bookmark.postId, false),
    onSuccess: (_, bookmark) => {
      queryClient.setQueryData(bookmarkKeys.all, (data: typeof list.data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.filter((item) => item.postId !== bookmark.postId),
              })),
            }
          : data,
      );
      // the thread page shows the bookmark too: read it again when next shown
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(bookmark.threadId), refetchType: 'none' });
    },
  });
  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((page) => page.items);
  return (
    <>
      <FormError message={remove.error ? errorMessage(t, remove.error) : null} />
      {items.length === 0 ? (
        <EmptyState>
          <p>{t('bookmarks.empty')}</p>
        </EmptyState>
      ) : (
        <ul className="activity-list" data-testid="bookmark-list">
          {items.map((item) => (
            <li key={item.postId} className="activity-item" data-testid="bookmark-item" data-post-id={item.postId}>
              <p className="activity-title">
                <Link to={`/t/${item.threadId}/${item.postNumber}`} data-testid="bookmark-link">
                  {item.threadTitle}
                </Link>{' '}
                <span className="notice">
                  {t('bookmarks.by', { number: item.postNumber, username: item.author.username })} ·{' '}
                  <RelativeTime date={item.bookmarkedAt} />
                </span>
              </p>
              {item.excerpt ? <p className="activity-excerpt">{item.excerpt}</p> : null}
              <button
                type="button"
                className="link-button"
                data-testid="bookmark-remove"
                disabled={remove.isPending}
                onClick={() => remove.mutate(item)}
              >
                {t('bookmarks.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        testId="load-more-bookmarks"
      />
    </>
  );
}

/** `/bookmarks`: the posts the member keeps to come back to. */
export function BookmarksPage() {
  const { t } = useTranslation();
  usePageTitle(t('bookmarks.title'));
  const { data: me, isPending } = useMe();
  return (
    <div className="bookmarks-page">
      <h1>{t('bookmarks.title')}</h1>
      {isPending ? <Loading /> : me ? <BookmarkList /> : <SignInPrompt message={t('bookmarks.signIn')} />}
    </div>
  );
}

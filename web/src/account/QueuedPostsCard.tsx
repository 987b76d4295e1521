import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listQueuedPosts } from '../api/forum';
import { Cooked } from '../components/Cooked';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { forumKeys } from '../forum/queryKeys';
import { errorMessage } from '../i18n/errorMessage';

/** On the account page: your posts held for a moderator's approval, and what became of them. */
export function QueuedPostsCard() {
  const { t } = useTranslation();
  const posts = useInfiniteQuery({
    queryKey: forumKeys.queuedPosts,
    queryFn: ({ pageParam }) => listQueuedPosts(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = posts.data?.pages.flatMap((p) => p.items) ?? [];
  // Nothing ever held: the card would only say so; members who never met the rule do not see it.
  if (posts.isSuccess && items.length === 0) return null;
  return (
    <section id="queued-posts" aria-labelledby="queued-heading" className="card" data-testid="queued-posts">
      <h2 id="queued-heading">{t('queued.heading')}</h2>
      <FormError message={posts.error ? errorMessage(t, posts.error) : null} />
      <ul className="queued-list">
        {items.map((q) => (
          <li key={q.id} className="queued-item" data-testid="queued-post" data-status={q.status}>
            <p className="queued-what">
              <span className={`badge queued-${q.status}`}>{t(`queued.status.${q.status}`)}</span>{' '}
              {q.kind === 'thread'
                ? t('queued.thread', { title: q.title ?? '', category: q.category?.name ?? t('queued.noCategory') })
                : t('queued.reply', { title: q.thread?.title ?? '' })}{' '}
              · <RelativeTime date={q.createdAt} />
              {q.status === 'approved' && q.thread ? (
                <>
                  {' · '}
                  <Link to={q.postNumber ? `/t/${q.thread.id}/${q.postNumber}` : `/t/${q.thread.id}`}>
                    {q.thread.title}
                  </Link>
                </>
              ) : null}
            </p>
            {q.status === 'pending' ? <Cooked html={q.cooked} className="cooked queued-body" /> : null}
          </li>
        ))}
      </ul>
      {posts.hasNextPage ? (
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={posts.isFetchingNextPage}
          onClick={() => void posts.fetchNextPage()}
        >
          {t('queued.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

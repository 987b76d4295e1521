import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listCategoryLevels, listThreadLevels } from '../api/notificationLevels';
import { FormError } from '../components/FormError';
import { LoadMore } from '../components/LoadMore';
import { forumKeys } from '../forum/queryKeys';
import { useCategories } from '../forum/useCategories';
import { errorMessage } from '../i18n/errorMessage';
import { NotificationLevelSelect } from './NotificationLevelSelect';

/** One of the member's thread lists (watched or muted), paged, each thread's level changeable. */
function ThreadLevelList({ level }: { level: 'watching' | 'muted' }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: forumKeys.threadLevels(level),
    queryFn: ({ pageParam }) => listThreadLevels(level, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h3>{level === 'watching' ? t('notificationLevel.watchedThreads') : t('notificationLevel.mutedThreads')}</h3>
      <FormError message={list.error ? errorMessage(t, list.error) : null} />
      {list.isSuccess && items.length === 0 ? (
        <p className="notice">
          {level === 'watching' ? t('notificationLevel.noWatched') : t('notificationLevel.noMuted')}
        </p>
      ) : (
        <ul className="level-list" data-testid={`${level}-threads`}>
          {items.map((item) => (
            <li key={item.threadId} className="level-item">
              <Link to={`/t/${item.threadId}`}>{item.title}</Link>
              <NotificationLevelSelect place="threads" id={item.threadId} level={item.level} compactFor={item.title} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={Boolean(list.hasNextPage)}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        label={t('notificationLevel.more')}
        testId={`${level}-threads-more`}
      />
    </>
  );
}

/** On the account page: the categories and threads the member chose a notification level for. */
export function NotificationLevelsCard() {
  const { t } = useTranslation();
  const levels = useQuery({ queryKey: forumKeys.categoryLevels, queryFn: listCategoryLevels });
  const { data: categories } = useCategories();
  const names = new Map((categories ?? []).map((category) => [category.id, category.name]));
  const chosen = (levels.data?.items ?? []).filter((item) => names.has(item.categoryId));
  return (
    <section aria-labelledby="levels-heading" className="card" data-testid="notification-levels">
      <h2 id="levels-heading">{t('notificationLevel.preferencesHeading')}</h2>
      <p className="notice">{t('notificationLevel.preferencesLead')}</p>
      <h3>{t('notificationLevel.categoriesHeading')}</h3>
      <FormError message={levels.error ? errorMessage(t, levels.error) : null} />
      {levels.isSuccess && chosen.length === 0 ? (
        <p className="notice">{t('notificationLevel.noCategories')}</p>
      ) : (
        <ul className="level-list" data-testid="category-levels">
          {chosen.map((item) => (
            <li key={item.categoryId} className="level-item">
              <span>{names.get(item.categoryId)}</span>
              <NotificationLevelSelect
                place="categories"
                id={item.categoryId}
                level={item.level}
                compactFor={names.get(item.categoryId) ?? ''}
              />
            </li>
          ))}
        </ul>
      )}
      <ThreadLevelList level="watching" />
      <ThreadLevelList level="muted" />
    </section>
  );
}

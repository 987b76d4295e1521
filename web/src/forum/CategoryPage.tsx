import { type ThreadSort, threadSorts } from '@fanlab/shared';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { SignInButton } from '../account/SignInButton';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import type { CategoryResponse } from '../api/forum';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { CategoryNotificationLevel } from '../notifications/NotificationLevelSelect';
import { NotFoundPage } from '../shell/NotFoundPage';
import { CategoryBadge } from './CategoryBadge';
import { categoriesById } from './categoryTree';
import { ThreadFeed } from './ThreadFeed';
import { useCategory } from './useCategories';

const isSort = (value: string | null): value is ThreadSort =>
  (threadSorts as readonly (string | null)[]).includes(value);

function SortTabs({ current }: { current: ThreadSort }) {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t('category.sortLabel')}>
      {threadSorts.map((sort) => (
        <Link
          key={sort}
          to={{ search: sort === 'latest' ? '' : `?sort=${sort}` }}
          className="tab"
          aria-current={sort === current ? 'page' : undefined}
          data-testid={`sort-${sort}`}
          replace
        >
          {t(`category.sort.${sort}`)}
        </Link>
      ))}
    </nav>
  );
}

/** Starting a thread here: a button, or why there is none. */
function StartThread({ category }: { category: CategoryResponse['category'] }) {
  const { t } = useTranslation();
  const { data: me, isPending } = useMe();
  if (isPending) return null;
  if (!me) {
    return <SignInButton label={t('category.signInToStartButton')} testId="sign-in-to-start" />;
  }
  if (!category.canStartThread) {
    return category.whoCanStart === 'staff' ? (
      <p className="notice" data-testid="staff-only-notice">
        {t('category.staffOnly')}
      </p>
    ) : null;
  }
  return (
    <Link to={`/c/${category.slug}/new`} className="button" data-testid="new-thread-button">
      {t('category.newThread')}
    </Link>
  );
}

/** The signed-in reader's notification level of the category. */
function CategoryLevelControl({ categoryId }: { categoryId: number }) {
  const { data: me } = useMe();
  return me ? <CategoryNotificationLevel categoryId={categoryId} /> : null;
}

export function CategoryPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [params] = useSearchParams();
  const requested = params.get('sort');
  const sort: ThreadSort = isSort(requested) ? requested : 'latest';
  const { data, error, isPending, refetch } = useCategory(slug);
  usePageTitle(data?.category.name);

  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;

  const { category, parent, children } = data;
  const canStart = category.canStartThread;

  return (
    <div className="category-page" style={{ '--category-color': category.color } as CSSProperties}>
      <header className="category-header">
        {parent ? (
          <p className="breadcrumb">
            <CategoryBadge category={parent} />
          </p>
        ) : null}
        <div className="category-title-row">
          <h1 className="category-title" data-testid="category-name">
            {category.name}
          </h1>
          <div className="category-title-actions">
            {category.allowIdeas || children.some((child) => child.allowIdeas) ? (
              <Link
                to={`/c/${category.slug}/ideas`}
                className="button button-secondary"
                data-testid="category-ideas-link"
              >
                {t('category.ideasBoard')}
              </Link>
            ) : null}
            <StartThread category={category} />
          </div>
        </div>
        {category.description ? <p className="lead">{category.description}</p> : null}
        <CategoryLevelControl categoryId={category.id} />
        {children.length ? (
          <section className="subcategories" aria-labelledby="subcategories-heading">
            <h2 id="subcategories-heading" className="small-heading">
              {t('category.subcategories')}
            </h2>
            <ul className="subcategory-list">
              {children.map((child) => (
                <li key={child.id}>
                  <CategoryBadge category={child} />
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </header>
      <SortTabs current={sort} />
      <ThreadFeed
        params={{ category: category.slug, sort }}
        badges={categoriesById(children)}
        empty={
          <p>
            {t('threadList.emptyCategory')}
            {canStart ? (
              <>
                {' '}
                <Link to={`/c/${category.slug}/new`}>{t('threadList.startOne')}</Link>
              </>
            ) : null}
          </p>
        }
      />
    </div>
  );
}

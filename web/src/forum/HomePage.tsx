import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../account/useMe';
import type { CategoryWithLatest } from '../api/forum';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { CategoryBadge } from './CategoryBadge';
import { categoryTree } from './categoryTree';
import { FeedTabs } from './FeedTabs';
import { useCategories } from './useCategories';

const LATEST_SHOWN = 3;

function CategoryCard({
  category,
  subcategories,
}: {
  category: CategoryWithLatest;
  subcategories: CategoryWithLatest[];
}) {
  const { t } = useTranslation();
  const canStart = category.canStartThread;
  // A category's lists include its sub-categories: so does its card.
  const latest = [category, ...subcategories]
    .flatMap((each) => each.latestThreads)
    .sort((a, b) => Date.parse(b.bumpedAt) - Date.parse(a.bumpedAt))
    .slice(0, LATEST_SHOWN);
  return (
    <li
      className="category-card card"
      data-testid="category-card"
      data-category-slug={category.slug}
      style={{ '--category-color': category.color } as CSSProperties}
    >
      <div className="category-card-head">
        <h3>
          <Link to={`/c/${category.slug}`} data-testid="category-link">
            {category.name}
          </Link>
        </h3>
        <span className="category-count">{t('category.threadCount', { count: category.threadCount })}</span>
      </div>
      {category.description ? <p className="category-description">{category.description}</p> : null}
      {subcategories.length ? (
        <ul className="subcategory-list" aria-label={t('category.subcategories')}>
          {subcategories.map((child) => (
            <li key={child.id}>
              <CategoryBadge category={child} />
            </li>
          ))}
        </ul>
      ) : null}
      {latest.length ? (
        <ul className="latest-threads" aria-label={t('home.latestIn', { name: category.name })}>
          {latest.map((thread) => (
            <li key={thread.id} data-testid="latest-thread">
              <Link to={`/t/${thread.id}`}>{thread.title}</Link>
              <span className="latest-threads-meta">
                {t('threadList.replyCount', { count: thread.replyCount })} · <RelativeTime date={thread.bumpedAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="notice">
          {t('threadList.emptyCategory')}
          {canStart ? (
            <>
              {' '}
              <Link to={`/c/${category.slug}/new`}>{t('threadList.startOne')}</Link>
            </>
          ) : null}
        </p>
      )}
    </li>
  );
}

function Categories() {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useCategories();
  if (isPending) return <Loading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const tree = categoryTree(data);
  if (!tree.length) return <EmptyState>{t('home.noCategories')}</EmptyState>;
  return (
    <ul className="category-list" data-testid="category-list">
      {tree.map(({ category, children }) => (
        <CategoryCard key={category.id} category={category} subcategories={children} />
      ))}
    </ul>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle();
  const { data: me, isPending } = useMe();

  return (
    <div className="home">
      {me || isPending ? (
        <h1 className="visually-hidden">{t('home.categoriesHeading')}</h1>
      ) : (
        <section className="hero">
          <h1>{t('home.heading')}</h1>
          <p className="lead">{t('home.intro')}</p>
          <p className="actions">
            <Link to="/sign-up" className="button">
              {t('home.ctaSignUp')}
            </Link>
            <Link to="/sign-in" className="button button-secondary">
              {t('home.ctaSignIn')}
            </Link>
          </p>
        </section>
      )}
      <FeedTabs />
      <section aria-labelledby="categories-heading">
        <div className="section-head">
          <h2 id="categories-heading">{t('home.categoriesHeading')}</h2>
          <Link to="/latest" data-testid="latest-link">
            {t('home.seeLatest')}
          </Link>
        </div>
        <Categories />
      </section>
    </div>
  );
}

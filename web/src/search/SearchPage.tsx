import type { SearchQuery, SearchResult, ThreadKind } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { CategoryBadge } from '../forum/CategoryBadge';
import { categoriesById, categoryTree } from '../forum/categoryTree';
import { useCategories } from '../forum/useCategories';
import { UserLink } from '../users/UserLink';
import { SEARCH_MIN, useSearch } from './useSearch';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTERS = ['category', 'author', 'kind', 'after', 'before'] as const;
type Filter = (typeof FILTERS)[number];

/** The search as the address says it (the address is the state: links and Back work). */
function queryFromParams(params: URLSearchParams): SearchQuery {
  const kind = params.get('kind');
  const page = Number(params.get('page'));
  const date = (name: string) => {
    const value = params.get(name);
    return value && DATE.test(value) ? value : undefined;
  };
  return {
    q: params.get('q') ?? '',
    category: params.get('category') || undefined,
    author: params.get('author') || undefined,
    kind: kind === 'discussion' || kind === 'idea' ? (kind as ThreadKind) : undefined,
    after: date('after'),
    before: date('before'),
    page: Number.isInteger(page) && page > 1 ? Math.min(page, 50) : undefined,
  };
}

function SearchForm({ query }: { query: SearchQuery }) {
  const { t } = useTranslation();
  const [, setParams] = useSearchParams();
  const categories = useCategories();
  const [q, setQ] = useState(query.q);
  const [filters, setFilters] = useState<Record<Filter, string>>({
    category: query.category ?? '',
    author: query.author ?? '',
    kind: query.kind ?? '',
    after: query.after ?? '',
    before: query.before ?? '',
  });
  const set = (name: Filter) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (q.trim()) next.set('q', q.trim());
    for (const name of FILTERS) if (filters[name].trim()) next.set(name, filters[name].trim());
    setParams(next);
  };

  return (
    <search className="search-form card">
      <form onSubmit={onSubmit} data-testid="search-form">
        <div className="search-box">
          <label htmlFor="search-q" className="visually-hidden">
            {t('search.queryLabel')}
          </label>
          <input
            id="search-q"
            type="search"
            name="q"
            data-testid="search-input"
            placeholder={t('search.placeholder')}
            maxLength={200}
            value={q}
            onChange={(event) => setQ(event.target.value)}
          />
          <button type="submit" className="button" data-testid="search-submit">
            {t('search.submit')}
          </button>
        </div>
        <details className="search-filters" open={FILTERS.some((name) => query[name] !== undefined)}>
          <summary>{t('search.filters')}</summary>
          <div className="search-filter-grid">
            <div className="field">
              <label htmlFor="search-category">{t('search.category')}</label>
              <select id="search-category" name="category" value={filters.category} onChange={set('category')}>
                <option value="">{t('search.anyCategory')}</option>
                {categoryTree(categories.data ?? []).flatMap(({ category, children }) => [
                  <option key={category.id} value={category.slug}>
                    {category.name}
                  </option>,
                  ...children.map((child) => (
                    <option key={child.id} value={child.slug}>
                      {`${category.name} › ${child.name}`}
                    </option>
                  )),
                ])}
              </select>
            </div>
            <div className="field">
              <label htmlFor="search-author">{t('search.author')}</label>
              <input
                id="search-author"
                type="text"
                name="author"
                maxLength={20}
                autoCapitalize="none"
                spellCheck={false}
                value={filters.author}
                onChange={set('author')}
              />
            </div>
            <div className="field">
              <label htmlFor="search-kind">{t('search.kind')}</label>
              <select id="search-kind" name="kind" value={filters.kind} onChange={set('kind')}>
                <option value="">{t('search.anyKind')}</option>
                <option value="discussion">{t('composer.kind.discussion')}</option>
                <option value="idea">{t('composer.kind.idea')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="search-after">{t('search.after')}</label>
              <input id="search-after" type="date" name="after" value={filters.after} onChange={set('after')} />
            </div>
            <div className="field">
              <label htmlFor="search-before">{t('search.before')}</label>
              <input id="search-before" type="date" name="before" value={filters.before} onChange={set('before')} />
            </div>
          </div>
        </details>
      </form>
    </search>
  );
}

function Result({ result }: { result: SearchResult }) {
  const { t } = useTranslation();
  const category = categoriesById(useCategories().data).get(result.categoryId);
  return (
    <li className="search-result" data-testid="search-result">
      <p className="search-result-title">
        <Link to={`/t/${result.threadId}/${result.postNumber}`}>{result.threadTitle}</Link>
        {result.postNumber > 1 ? <span className="notice"> #{result.postNumber}</span> : null}
      </p>
      <p className="search-result-meta">
        {category ? <CategoryBadge category={category} /> : null}
        {result.kind === 'idea' ? <span className="badge badge-kind">{t('threadList.idea')}</span> : null}
        <span>
          {t('threadList.by')} <UserLink username={result.author.username} />
        </span>
        <RelativeTime date={result.createdAt} />
      </p>
      <p
        className="search-snippet"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes the text and adds only <mark>
        dangerouslySetInnerHTML={{ __html: result.snippet }}
      />
    </li>
  );
}

function Pager({ page, hasMore }: { page: number; hasMore: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const to = (target: number) => {
    const next = new URLSearchParams(params);
    if (target > 1) next.set('page', String(target));
    else next.delete('page');
    return { search: `?${next}` };
  };
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pager" aria-label={t('search.pages')}>
      {page > 1 ? (
        <Link to={to(page - 1)} className="button button-small button-secondary" data-testid="search-prev">
          {t('search.previous')}
        </Link>
      ) : (
        <span />
      )}
      <span className="pager-page">{t('search.page', { page })}</span>
      {hasMore && page < 50 ? (
        <Link to={to(page + 1)} className="button button-small button-secondary" data-testid="search-next">
          {t('search.next')}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

function Results({ query }: { query: SearchQuery }) {
  const { t } = useTranslation();
  const { data, error, isPending, isFetching, refetch } = useSearch(query);
  if (query.q.trim().length < SEARCH_MIN) {
    return query.q ? <p className="notice">{t('search.tooShort', { min: SEARCH_MIN })}</p> : null;
  }
  if (isPending) return <Loading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (!data.results.length) {
    return (
      <EmptyState>
        <p>{t('search.noResults', { query: query.q })}</p>
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="results-heading" aria-busy={isFetching}>
      <h2 id="results-heading" className="visually-hidden">
        {t('search.results')}
      </h2>
      <ol className="search-results" data-testid="search-results">
        {data.results.map((result) => (
          <Result key={`${result.threadId}-${result.postNumber}`} result={result} />
        ))}
      </ol>
      <Pager page={query.page ?? 1} hasMore={data.hasMore} />
    </section>
  );
}

/** `/search?q=…&category=…&author=…&kind=…&after=…&before=…&page=…` */
export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const query = queryFromParams(params);
  usePageTitle(query.q ? t('search.titleFor', { query: query.q }) : t('search.title'));
  return (
    <div className="search-page">
      <h1>{t('search.heading')}</h1>
      {/* A new address (Back, a header search) starts the form again from it. */}
      <SearchForm key={params.toString()} query={query} />
      <Results query={query} />
    </div>
  );
}

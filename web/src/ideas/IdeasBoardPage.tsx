import {
  type Category,
  type IdeaSort,
  type IdeaState,
  type IdeaStatus,
  type IdeaSummary,
  ideaStates,
  ideaStatuses,
} from '@fanlab/shared';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { SignInButton } from '../account/SignInButton';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { CategoryBadge } from '../forum/CategoryBadge';
import { categoriesById } from '../forum/categoryTree';
import { uniqueItems } from '../forum/flatten';
import { useCategories, useCategory } from '../forum/useCategories';
import { NotFoundPage } from '../shell/NotFoundPage';
import { IdeaListItem } from './IdeaListItem';
import { isTag } from './tags';
import { useIdeaList } from './useIdeas';

const ideaSorts: readonly IdeaSort[] = ['top', 'trending', 'hot', 'new', 'discussed'];
const DEFAULT_SORT: IdeaSort = 'top';

const isSort = (value: string | null): value is IdeaSort => (ideaSorts as readonly (string | null)[]).includes(value);
const isStatus = (value: string | null): value is IdeaStatus =>
  (ideaStatuses as readonly (string | null)[]).includes(value);
const isState = (value: string | null): value is IdeaState =>
  (ideaStates as readonly (string | null)[]).includes(value);

interface BoardFilters {
  sort: IdeaSort;
  status: IdeaStatus | undefined;
  /** Without a status: open work (undefined, the default), closed, or all. */
  state: Exclude<IdeaState, 'open'> | undefined;
  tag: string | undefined;
  /** Only the reader's votes. */
  voted: boolean;
}

/** The status select's value: one status, or a state (`state:closed`); '' is open work. */
const statusChoice = (filters: BoardFilters) => filters.status ?? (filters.state ? `state:${filters.state}` : '');

/** The board's address with some filters changed (defaults left out). */
function boardSearch(filters: BoardFilters, change: Partial<BoardFilters>): string {
  const next = { ...filters, ...change };
  const search = new URLSearchParams();
  if (next.sort !== DEFAULT_SORT) search.set('sort', next.sort);
  if (next.status) search.set('status', next.status);
  else if (next.state) search.set('state', next.state);
  if (next.tag) search.set('tag', next.tag);
  if (next.voted) search.set('mine', '1');
  const query = search.toString();
  return query ? `?${query}` : '';
}

/** May start an idea in this category: it takes ideas, and the server says the reader may start threads there. */
const canStartIn = (category: Category) => category.allowIdeas && category.canStartThread;

function SortTabs({ filters }: { filters: BoardFilters }) {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t('ideas.sortLabel')}>
      {ideaSorts.map((sort) => (
        <Link
          key={sort}
          to={{ search: boardSearch(filters, { sort }) }}
          className="tab"
          aria-current={sort === filters.sort ? 'page' : undefined}
          data-testid={`idea-sort-${sort}`}
          replace
        >
          {t(`ideas.sort.${sort}`)}
        </Link>
      ))}
    </nav>
  );
}

function Filters({ filters }: { filters: BoardFilters }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [, setSearchParams] = useSearchParams();
  return (
    <div className="idea-filters">
      <label className="idea-filter">
        <span>{t('ideas.statusFilter')}</span>
        <select
          data-testid="status-filter"
          value={statusChoice(filters)}
          onChange={(event) => {
            const value = event.target.value;
            const state = value.startsWith('state:') ? value.slice('state:'.length) : null;
            setSearchParams(
              boardSearch(filters, {
                status: isStatus(value) ? value : undefined,
                state: isState(state) && state !== 'open' ? state : undefined,
              }),
              { replace: true },
            );
          }}
        >
          <option value="">{t('ideas.openWork')}</option>
          <option value="state:closed">{t('ideas.closedIdeas')}</option>
          <option value="state:all">{t('ideas.anyStatus')}</option>
          <optgroup label={t('ideas.oneStatus')}>
            {ideaStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`ideas.status.${status}`)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      {me ? (
        <label className="idea-filter idea-filter-check">
          <input
            type="checkbox"
            data-testid="my-votes-filter"
            checked={filters.voted}
            onChange={(event) =>
              setSearchParams(boardSearch(filters, { voted: event.target.checked }), { replace: true })
            }
          />
          <span>{t('ideas.myVotes')}</span>
        </label>
      ) : null}
      {filters.tag ? (
        <span className="tag-filter" data-testid="tag-filter">
          {t('ideas.tagFilter', { tag: filters.tag })}
          <Link
            to={{ search: boardSearch(filters, { tag: undefined }) }}
            className="tag-filter-clear"
            data-testid="clear-tag"
            aria-label={t('ideas.clearTag')}
            title={t('ideas.clearTag')}
            replace
          >
            <Icon name="close" />
          </Link>
        </span>
      ) : null}
    </div>
  );
}

/** "New idea": straight to the composer in a category board, a choice of categories on the whole board. */
function NewIdea({ category, categories }: { category: Category | null; categories: Category[] }) {
  const { t } = useTranslation();
  const { data: me, isPending } = useMe();
  if (isPending) return null;
  if (!me) {
    return <SignInButton label={t('ideas.signInToPost')} testId="sign-in-to-post-idea" />;
  }
  const targets = categories.filter(canStartIn);
  if (!targets.length) return null;
  if (category) {
    return (
      <Link to={`/c/${category.slug}/new?kind=idea`} className="button" data-testid="new-idea-button">
        {t('ideas.newIdea')}
      </Link>
    );
  }
  return (
    <details className="new-idea-menu">
      <summary className="button" data-testid="new-idea-button">
        {t('ideas.newIdea')}
      </summary>
      <div className="new-idea-choices">
        <p className="small-heading">{t('ideas.newIdeaIn')}</p>
        <ul>
          {targets.map((target) => (
            <li key={target.id}>
              <Link to={`/c/${target.slug}/new?kind=idea`} data-testid="new-idea-in" data-category-slug={target.slug}>
                {target.name}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

interface BoardProps {
  /** The category of a category board (its sub-categories included), null for every idea. */
  category: Category | null;
  /** Categories that may take ideas here (the category and its sub-categories, or all). */
  categories: Category[];
  /** Categories whose ideas get a badge. */
  badges: ReadonlyMap<number, Category>;
  heading: string;
  header?: ReactNode;
}

function Board({ category, categories, badges, heading, header }: BoardProps) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const sortParam = params.get('sort');
  const statusParam = params.get('status');
  const stateParam = params.get('state');
  const tagParam = params.get('tag');
  const { data: me } = useMe();
  const filters: BoardFilters = {
    sort: isSort(sortParam) ? sortParam : DEFAULT_SORT,
    status: isStatus(statusParam) ? statusParam : undefined,
    state: isState(stateParam) && stateParam !== 'open' ? stateParam : undefined,
    tag: isTag(tagParam) ? tagParam : undefined,
    voted: params.get('mine') === '1' && Boolean(me),
  };
  const board = category ? `/c/${category.slug}/ideas` : '/ideas';
  const list = useIdeaList({
    category: category?.slug,
    sort: filters.sort,
    status: filters.status,
    state: filters.state, // a status, when given, wins on the server
    tag: filters.tag,
    voted: filters.voted || undefined,
  });
  const ideas: IdeaSummary[] = uniqueItems(list.data?.pages);
  const filtered = Boolean(filters.status || filters.state || filters.tag || filters.voted);
  const starter = category && categories.find(canStartIn);

  let content: ReactNode;
  if (list.isPending) content = <Loading />;
  else if (list.isError && !list.data) {
    content = <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  } else if (!ideas.length) {
    content = (
      <EmptyState>
        {filtered ? (
          <p>
            {t('ideas.emptyFiltered')}{' '}
            <Link
              to={{
                search: boardSearch(filters, { status: undefined, state: undefined, tag: undefined, voted: false }),
              }}
              data-testid="clear-filters"
            >
              {t('ideas.clearFilters')}
            </Link>
          </p>
        ) : (
          <p>
            {t('ideas.empty')}
            {starter ? (
              <>
                {' '}
                <Link to={`/c/${starter.slug}/new?kind=idea`}>{t('ideas.postFirst')}</Link>
              </>
            ) : null}
          </p>
        )}
      </EmptyState>
    );
  } else {
    content = (
      <>
        <ul className="idea-list" data-testid="idea-list">
          {ideas.map((idea) => (
            <IdeaListItem key={idea.id} idea={idea} category={badges.get(idea.categoryId)} board={board} />
          ))}
        </ul>
        {list.isFetchNextPageError ? <LoadError error={list.error} onRetry={() => void list.fetchNextPage()} /> : null}
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoad={() => void list.fetchNextPage()}
          testId="load-more-ideas"
        />
      </>
    );
  }

  return (
    <div
      className="ideas-page"
      style={category ? ({ '--category-color': category.color } as CSSProperties) : undefined}
      data-testid="ideas-board"
    >
      <header className={category ? 'category-header' : 'ideas-header'}>
        {header}
        <div className="category-title-row">
          <h1 className="category-title">{heading}</h1>
          <NewIdea category={category} categories={categories} />
        </div>
        <p className="lead">
          {t('ideas.intro')}{' '}
          <Link to="/roadmap" data-testid="roadmap-link">
            {t('ideas.roadmap.link')}
          </Link>
        </p>
      </header>
      <SortTabs filters={filters} />
      <Filters filters={filters} />
      {content}
    </div>
  );
}

/** `/ideas`: every idea of every category. */
function AllIdeasBoard() {
  const { t } = useTranslation();
  usePageTitle(t('ideas.title'));
  const categories = useCategories();
  return (
    <Board
      category={null}
      categories={categories.data ?? []}
      badges={categoriesById(categories.data)}
      heading={t('ideas.heading')}
    />
  );
}

/** `/c/:slug/ideas`: the ideas of a category and its sub-categories. */
function CategoryIdeasBoard({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useCategory(slug);
  usePageTitle(data ? t('ideas.headingIn', { category: data.category.name }) : undefined);
  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const { category, parent, children } = data;
  return (
    <Board
      category={category}
      categories={[category, ...children]}
      badges={categoriesById(children)}
      heading={t('ideas.headingIn', { category: category.name })}
      header={
        <p className="breadcrumb">
          {parent ? (
            <>
              <CategoryBadge category={parent} /> ›{' '}
            </>
          ) : null}
          <CategoryBadge category={category} />
        </p>
      }
    />
  );
}

export function IdeasBoardPage() {
  const { slug } = useParams();
  return slug === undefined ? <AllIdeasBoard /> : <CategoryIdeasBoard key={slug} slug={slug} />;
}

import type { IdeaStatus, IdeaSummary } from '@fanlab/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { categoriesById } from '../forum/categoryTree';
import { uniqueItems } from '../forum/flatten';
import { useCategories } from '../forum/useCategories';
import { IdeaListItem } from './IdeaListItem';
import { useIdeaList } from './useIdeas';

/** The roadmap's columns, left to right: what is coming, what is being built, what shipped. */
export const ROADMAP_COLUMNS = ['planned', 'in_progress', 'shipped'] as const satisfies readonly IdeaStatus[];
type RoadmapStatus = (typeof ROADMAP_COLUMNS)[number];

function Column({ status }: { status: RoadmapStatus }) {
  const { t } = useTranslation();
  const categories = useCategories();
  // most wanted first; shipped: the latest first
  const list = useIdeaList({ status, sort: status === 'shipped' ? 'new' : 'top' });
  const ideas: IdeaSummary[] = uniqueItems(list.data?.pages);
  let content: ReactNode;
  if (list.isPending) content = <Loading />;
  else if (list.isError && !list.data) content = <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  else if (!ideas.length) content = <EmptyState>{t(`ideas.roadmap.empty.${status}`)}</EmptyState>;
  else {
    const badges = categoriesById(categories.data);
    content = (
      <>
        <ul className="idea-list">
          {ideas.map((idea) => (
            <IdeaListItem key={idea.id} idea={idea} category={badges.get(idea.categoryId)} board="/ideas" />
          ))}
        </ul>
        <LoadMore
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoad={() => void list.fetchNextPage()}
          testId={`roadmap-more-${status}`}
        />
      </>
    );
  }
  return (
    <section className="roadmap-column" data-testid={`roadmap-${status}`} aria-labelledby={`roadmap-${status}-heading`}>
      <h2 id={`roadmap-${status}-heading`} className={`roadmap-heading idea-status-${status}`}>
        {t(`ideas.status.${status}`)}
      </h2>
      {content}
    </section>
  );
}

/** `/roadmap`, public: the ideas planned, in progress and shipped, in three columns (stacked on a phone). */
export function RoadmapPage() {
  const { t } = useTranslation();
  usePageTitle(t('ideas.roadmap.title'));
  return (
    <div className="roadmap-page" data-testid="roadmap">
      <header className="ideas-header">
        <h1>{t('ideas.roadmap.title')}</h1>
        <p className="lead">
          {t('ideas.roadmap.intro')} <Link to="/ideas">{t('ideas.roadmap.allIdeas')}</Link>
        </p>
      </header>
      <div className="roadmap-columns">
        {ROADMAP_COLUMNS.map((status) => (
          <Column key={status} status={status} />
        ))}
      </div>
    </div>
  );
}

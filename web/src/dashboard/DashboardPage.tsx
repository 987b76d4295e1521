import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import type { DashboardFilterParams } from '../api/dashboard';
import { EmptyState } from '../components/EmptyState';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { DashboardError } from './DashboardError';
import { DashboardFilters } from './DashboardFilters';
import { ExportLinks } from './ExportLinks';
import { readFilters } from './filters';
import { SiteCharts } from './SiteCharts';
import { TopRequestsTable } from './TopRequestsTable';
import { useTopRequests } from './useDashboard';

function TopRequests({ filters }: { filters: DashboardFilterParams }) {
  const { t } = useTranslation();
  const query = useTopRequests(filters);
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="dashboard-top" aria-labelledby="dashboard-top-heading">
      <div className="section-head">
        <h2 id="dashboard-top-heading">{t('dashboard.topHeading')}</h2>
        <ExportLinks filters={filters} />
      </div>
      {query.isPending ? <Loading /> : null}
      {query.isError ? <DashboardError error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isSuccess && rows.length === 0 ? (
        <EmptyState>
          <p>{t('dashboard.empty')}</p>
          <p>
            <Link to="/dashboard" data-testid="dashboard-reset">
              {t('dashboard.reset')}
            </Link>
          </p>
        </EmptyState>
      ) : null}
      {rows.length > 0 ? <TopRequestsTable rows={rows} /> : null}
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoad={() => void query.fetchNextPage()}
        label={t('dashboard.loadMore')}
      />
    </section>
  );
}

/** /dashboard: product managers' top requests under filters kept in the URL, their exports and the site's weekly charts. */
export function DashboardPage() {
  const { t } = useTranslation();
  usePageTitle(t('dashboard.title'));
  const { data: me, isPending } = useMe();
  const [params] = useSearchParams();
  if (isPending) return <Loading />;
  if (!me) return <SignInPrompt message={t('dashboard.signIn')} />;
  if (!me.canSeeDashboard) {
    return (
      <section>
        <h1>{t('dashboard.title')}</h1>
        <p className="notice" data-testid="dashboard-forbidden">
          {t('dashboard.forbidden')}
        </p>
      </section>
    );
  }
  const filters = readFilters(params);
  return (
    <section className="dashboard-page">
      <h1>{t('dashboard.title')}</h1>
      <p className="muted">{t('dashboard.intro')}</p>
      <DashboardFilters filters={filters} />
      <TopRequests filters={filters} />
      <SiteCharts window={filters.window} />
    </section>
  );
}

import type { BetaProgramState, BetaProgramSummary } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { uniqueItems } from '../forum/flatten';
import { ApplicationStatusBadge, ProgramStateBadge } from './Badges';
import { useBetaProgramList } from './useBeta';

/** When the program opens or closes, whichever the reader needs to know now. */
function ProgramTimes({ program }: { program: BetaProgramSummary }) {
  const { t } = useTranslation();
  if (program.closedReason === 'not_open_yet' && program.opensAt) {
    return (
      <span data-testid="program-opens">
        {t('beta.opens')} <RelativeTime date={program.opensAt} />
      </span>
    );
  }
  if (program.accepting && program.closesAt) {
    return (
      <span data-testid="program-closes">
        {t('beta.closes')} <RelativeTime date={program.closesAt} />
      </span>
    );
  }
  if (program.accepting) return <span>{t('beta.noClosingTime')}</span>;
  if (program.closesAt && program.state !== 'draft') {
    return (
      <span>
        {t('beta.closed')} <RelativeTime date={program.closesAt} />
      </span>
    );
  }
  return null;
}

function ProgramCard({ program }: { program: BetaProgramSummary }) {
  const { t } = useTranslation();
  const { seats } = program;
  return (
    <li className="beta-card card" data-testid="program-card" data-slug={program.slug} data-state={program.state}>
      <div className="beta-card-head">
        <h3 className="beta-card-title">
          <Link to={`/beta/${program.slug}`} data-testid="program-link">
            {program.name}
          </Link>
        </h3>
        <ProgramStateBadge state={program.state} />
        {program.myStatus ? <ApplicationStatusBadge status={program.myStatus} /> : null}
      </div>
      <p className="beta-card-meta muted">
        {program.category.name} · {t(`beta.mode.${program.mode}`)}
      </p>
      <p className="beta-card-seats">
        <strong data-testid="program-seats-left">
          {seats.seatsLeft > 0
            ? t('beta.seatsLeftOf', { count: seats.seatsLeft, seats: seats.seats })
            : t('beta.full', { seats: seats.seats })}
        </strong>
        {seats.waitlistLength > 0 ? <> · {t('beta.waitlistLength', { count: seats.waitlistLength })}</> : null}
      </p>
      <p className="beta-card-times muted">
        <ProgramTimes program={program} />
      </p>
    </li>
  );
}

interface SectionProps {
  state: BetaProgramState;
  heading: string;
  /** Shown when the section has nothing (null: the section is left out). */
  empty: string | null;
  enabled?: boolean;
}

/** One state's programs, newest first, page by page. */
function ProgramSection({ state, heading, empty, enabled = true }: SectionProps) {
  const { t } = useTranslation();
  const list = useBetaProgramList({ state }, enabled);
  const programs = uniqueItems(list.data?.pages);
  // open ones that take applications now first, then those opening later
  const shown = state === 'open' ? [...programs].sort((a, b) => Number(b.accepting) - Number(a.accepting)) : programs;
  if (!enabled) return null;
  if (list.isSuccess && shown.length === 0 && empty === null) return null;
  return (
    <section className="beta-section" aria-labelledby={`beta-${state}-heading`} data-testid={`programs-${state}`}>
      <h2 id={`beta-${state}-heading`}>{heading}</h2>
      {list.isPending ? <Loading /> : null}
      {list.isError && !list.data ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && shown.length === 0 && empty ? (
        <EmptyState>
          <p>{empty}</p>
        </EmptyState>
      ) : null}
      {shown.length > 0 ? (
        <ul className="beta-cards">
          {shown.map((program) => (
            <ProgramCard key={program.id} program={program} />
          ))}
        </ul>
      ) : null}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        label={t('beta.loadMore')}
        testId={`load-more-${state}`}
      />
    </section>
  );
}

/** /beta: open programs first, then (for managers) drafts, then closed and archived ones. */
export function ProgramsPage() {
  const { t } = useTranslation();
  usePageTitle(t('beta.title'));
  const open = useBetaProgramList({ state: 'open' });
  const canCreate = open.data?.pages[0]?.canCreate ?? false;
  return (
    <div className="beta-page" data-testid="programs-page">
      <header className="beta-header">
        <div className="category-title-row">
          <h1 className="category-title">{t('beta.heading')}</h1>
          {canCreate ? (
            <Link to="/beta/new" className="button" data-testid="new-program">
              {t('beta.newProgram')}
            </Link>
          ) : null}
        </div>
        <p className="lead">{t('beta.intro')}</p>
      </header>
      <ProgramSection state="open" heading={t('beta.openHeading')} empty={t('beta.emptyOpen')} />
      <ProgramSection state="draft" heading={t('beta.draftHeading')} empty={null} enabled={canCreate} />
      <ProgramSection state="closed" heading={t('beta.closedHeading')} empty={null} />
      <ProgramSection state="archived" heading={t('beta.archivedHeading')} empty={null} />
    </div>
  );
}

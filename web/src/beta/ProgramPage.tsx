import type { BetaApplyResponse, BetaProgram } from '@fanlab/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { Cooked } from '../components/Cooked';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { NotFoundPage } from '../shell/NotFoundPage';
import { ApplyForm } from './ApplyForm';
import { ProgramStateBadge } from './Badges';
import { MyApplicationPanel } from './MyApplicationPanel';
import { ProgramRequirements } from './ProgramRequirements';
import { SeatsPanel } from './SeatsPanel';
import { useBetaNotificationsLive, useBetaProgram } from './useBeta';

/** Why the reader cannot apply: signed out, the program not taking applications, or silenced. */
function CannotApply({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (program.closedReason) {
    return (
      <p className="notice card" data-testid="cannot-apply" data-reason={program.closedReason}>
        {t(`beta.closedReason.${program.closedReason}`)}
      </p>
    );
  }
  if (!me) return <SignInPrompt message={t('beta.signInToApply')} />;
  return (
    <p className="notice card" data-testid="cannot-apply" data-reason={me.silencedUntil ? 'silenced' : 'other'}>
      {me.silencedUntil ? t('beta.cannotApplySilenced') : t('beta.cannotApply')}
    </p>
  );
}

function Program({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  usePageTitle(program.name);
  useBetaNotificationsLive();
  const [outcome, setOutcome] = useState<BetaApplyResponse | null>(null);
  const application = program.myApplication;
  return (
    <div className="beta-program" data-testid="program-page" data-program-id={program.id}>
      <header className="beta-program-header">
        <p className="breadcrumb">
          <Link to="/beta">{t('beta.heading')}</Link> ›{' '}
          <Link to={`/c/${program.category.slug}`} className="category-badge">
            {program.category.name}
          </Link>
        </p>
        <div className="category-title-row">
          <h1 className="category-title" data-testid="program-name">
            {program.name}
          </h1>
          {program.canManage ? (
            <Link to={`/beta/${program.slug}/manage`} className="button button-secondary" data-testid="manage-program">
              {t('beta.manage')}
            </Link>
          ) : null}
        </div>
        <p className="beta-program-badges">
          <ProgramStateBadge state={program.state} />{' '}
          <span className="badge badge-kind">{t(`beta.mode.${program.mode}`)}</span>
        </p>
      </header>
      <div className="beta-program-grid">
        <div className="beta-program-main">
          {program.descriptionCooked ? (
            <Cooked html={program.descriptionCooked} className="cooked beta-description" testId="program-description" />
          ) : null}
          <ProgramRequirements program={program} />
        </div>
        <aside className="beta-program-side">
          <SeatsPanel program={program} />
          {application ? (
            <MyApplicationPanel program={program} application={application} outcome={outcome} />
          ) : program.canApply ? (
            <ApplyForm program={program} onApplied={setOutcome} />
          ) : (
            <CannotApply program={program} />
          )}
        </aside>
      </div>
    </div>
  );
}

/** /beta/:slug: a program, its seats live, and applying to it. */
export function ProgramPage() {
  const { slug = '' } = useParams();
  const program = useBetaProgram(slug);
  if (program.isPending) return <Loading />;
  if (program.error instanceof ApiError && program.error.status === 404) return <NotFoundPage />;
  if (program.isError) return <LoadError error={program.error} onRetry={() => void program.refetch()} />;
  return <Program key={program.data.id} program={program.data} />;
}

import type { BetaApplyResponse, BetaProgram, MyBetaApplication } from '@fanlab/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../i18n/errorMessage';
import { ApplicationStatusBadge } from './Badges';
import { useWithdraw } from './mutations';

/** The one line that says where an application stands: tester number, waitlist position… */
export function ApplicationStanding({ application }: { application: MyBetaApplication }) {
  const { t } = useTranslation();
  switch (application.status) {
    case 'accepted':
      return (
        <span>
          {t('beta.mine.accepted')}{' '}
          <strong className="beta-tester-number" data-testid="tester-number">
            #{application.testerNumber}
          </strong>
        </span>
      );
    case 'waitlisted':
      return (
        <span>
          {t('beta.mine.waitlisted')}{' '}
          <strong data-testid="waitlist-position">
            {t('beta.mine.position', { position: application.waitlistPosition })}
          </strong>
        </span>
      );
    case 'pending':
      return <span>{t('beta.mine.pending')}</span>;
    case 'rejected':
      return <span>{t('beta.mine.rejected')}</span>;
    case 'withdrawn':
      return <span>{t('beta.mine.withdrawn')}</span>;
    case 'removed':
      return <span>{t('beta.mine.removed')}</span>;
  }
}

/** The outcome of applying, said at once and plainly. */
function Outcome({ outcome }: { outcome: BetaApplyResponse }) {
  const { t } = useTranslation();
  const { application } = outcome;
  return (
    <p
      className={`beta-outcome beta-outcome-${outcome.outcome}`}
      role="status"
      data-testid="apply-outcome"
      data-outcome={outcome.outcome}
    >
      {outcome.outcome === 'accepted'
        ? t('beta.outcome.accepted', { number: application.testerNumber })
        : outcome.outcome === 'waitlisted'
          ? t('beta.outcome.waitlisted', { position: application.waitlistPosition })
          : t('beta.outcome.pending')}
    </p>
  );
}

/** The reader's application to this program, with a way to withdraw it. */
export function MyApplicationPanel({
  program,
  application,
  outcome,
}: {
  program: BetaProgram;
  application: MyBetaApplication;
  outcome: BetaApplyResponse | null;
}) {
  const { t } = useTranslation();
  const withdraw = useWithdraw(program);
  const [confirming, setConfirming] = useState(false);
  return (
    <section
      className="beta-mine card"
      aria-labelledby="beta-mine-heading"
      data-testid="my-application"
      data-status={application.status}
    >
      <h2 id="beta-mine-heading">{t('beta.mine.heading')}</h2>
      {outcome && outcome.application.id === application.id && outcome.application.status === application.status ? (
        <Outcome outcome={outcome} />
      ) : null}
      <p className="beta-mine-standing">
        <ApplicationStatusBadge status={application.status} /> <ApplicationStanding application={application} />
      </p>
      <p className="muted">
        {t('beta.mine.applied', { device: application.deviceModel, region: application.region })} ·{' '}
        <RelativeTime date={application.appliedAt} />
        {application.quizScore !== null ? <> · {t('beta.mine.score', { score: application.quizScore })}</> : null}
      </p>
      {application.reason ? (
        <p className="notice" data-testid="application-reason">
          {t('beta.mine.reason', { reason: application.reason })}
        </p>
      ) : null}
      <FormError message={withdraw.error ? errorMessage(t, withdraw.error) : null} />
      {application.canWithdraw ? (
        confirming ? (
          <div className="beta-confirm" data-testid="withdraw-confirm">
            <p>{application.status === 'accepted' ? t('beta.mine.withdrawSeat') : t('beta.mine.withdrawPlace')}</p>
            <p className="actions">
              <button
                type="button"
                className="button button-small button-danger"
                data-testid="withdraw-yes"
                disabled={withdraw.isPending}
                onClick={() => withdraw.mutate(undefined, { onSuccess: () => setConfirming(false) })}
              >
                {t('beta.mine.withdrawYes')}
              </button>
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => setConfirming(false)}
              >
                {t('beta.mine.withdrawNo')}
              </button>
            </p>
          </div>
        ) : (
          <p className="actions">
            <button
              type="button"
              className="button button-small button-danger-outline"
              data-testid="withdraw"
              onClick={() => setConfirming(true)}
            >
              {t('beta.mine.withdraw')}
            </button>
          </p>
        )
      ) : null}
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../i18n/errorMessage';
import { ApplicationStatusBadge } from './Badges';
import { ApplicationStanding } from './MyApplicationPanel';
import { useBetaNotificationsLive, useMyBetaApplications } from './useBeta';

/**
 * On the account page: the reader's beta applications, where each stands (tester number,
 * waitlist position). A decision or a promotion from the waitlist shows without a reload.
 */
export function MyApplicationsCard() {
  const { t } = useTranslation();
  useBetaNotificationsLive();
  const mine = useMyBetaApplications(true);
  const items = mine.data ?? [];
  return (
    <section
      id="beta-applications"
      aria-labelledby="beta-applications-heading"
      className="card"
      data-testid="my-applications"
    >
      <h2 id="beta-applications-heading">{t('beta.mine.cardHeading')}</h2>
      <FormError message={mine.error ? errorMessage(t, mine.error) : null} />
      {mine.isSuccess && items.length === 0 ? (
        <p className="notice" data-testid="my-applications-empty">
          {t('beta.mine.empty')} <Link to="/beta">{t('beta.mine.browse')}</Link>
        </p>
      ) : null}
      {items.length ? (
        <ul className="beta-mine-list">
          {items.map((application) => (
            <li
              key={application.id}
              className="beta-mine-item"
              data-testid="my-application-item"
              data-program={application.program.slug}
              data-status={application.status}
            >
              <p className="beta-mine-program">
                <Link to={`/beta/${application.program.slug}`}>{application.program.name}</Link>{' '}
                <ApplicationStatusBadge status={application.status} />
              </p>
              <p className="beta-mine-standing">
                <ApplicationStanding application={application} />
              </p>
              <p className="muted beta-mine-meta">
                {t('beta.mine.applied', { device: application.deviceModel, region: application.region })} ·{' '}
                <RelativeTime date={application.appliedAt} />
              </p>
              {application.reason ? (
                <p className="notice">{t('beta.mine.reason', { reason: application.reason })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { MyApplicationsCard } from '../beta/MyApplicationsCard';
import { FormError } from '../components/FormError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';
import { NotificationLevelsCard } from '../notifications/NotificationLevelsCard';
import { TrustProgressCard } from '../trust/TrustProgressCard';
import { ApiTokensCard } from './ApiTokensCard';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useUpdateShowLastSeen } from './mutations';
import { withNext } from './nextPath';
import { QueuedPostsCard } from './QueuedPostsCard';
import { SignOutEverywhere } from './SignOutEverywhere';
import { useMe } from './useMe';

export function AccountPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('account.title'));
  const location = useLocation();
  const { data: me, isPending, error } = useMe();

  if (isPending) return <Loading />;
  if (me === undefined) {
    return (
      <section>
        <h1>{t('account.heading')}</h1>
        <p>{t('account.loadFailed')}</p>
        <FormError message={errorMessage(t, error)} />
      </section>
    );
  }
  if (me === null) return <Navigate to={withNext('/sign-in', `${location.pathname}${location.search}`)} replace />;

  const memberSince = new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'long' }).format(
    new Date(me.createdAt),
  );

  return (
    <div className="account">
      <h1>{t('account.heading')}</h1>
      <section aria-labelledby="details-heading" className="card">
        <h2 id="details-heading">{t('account.details')}</h2>
        <dl className="details">
          <dt>{t('account.username')}</dt>
          <dd data-testid="account-username">{me.username}</dd>
          <dt>{t('account.email')}</dt>
          <dd data-testid="account-email">{me.email}</dd>
          <dt>{t('account.role')}</dt>
          <dd data-testid="account-role">{t(`roles.${me.role}`)}</dd>
          <dt>{t('account.memberSince')}</dt>
          <dd>
            <time dateTime={me.createdAt}>{memberSince}</time>
          </dd>
        </dl>
      </section>
      <TrustProgressCard userId={me.id} />
      <QueuedPostsCard />
      <MyApplicationsCard />
      <NotificationLevelsCard />
      <PrivacySettings showLastSeen={me.showLastSeen} />
      {me.canUseApiTokens ? <ApiTokensCard /> : null}
      <ChangePasswordForm username={me.username} />
      <SignOutEverywhere />
    </div>
  );
}

function PrivacySettings({ showLastSeen }: { showLastSeen: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateShowLastSeen();
  return (
    <section aria-labelledby="privacy-heading" className="card">
      <h2 id="privacy-heading">{t('account.privacyHeading')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          name="showLastSeen"
          checked={update.isPending ? (update.variables ?? showLastSeen) : showLastSeen}
          disabled={update.isPending}
          onChange={(event) => update.mutate(event.target.checked)}
        />
        {t('account.showLastSeen')}
      </label>
      <p className="field-hint">{t('account.showLastSeenHelp')}</p>
      {update.error && <FormError message={errorMessage(t, update.error)} />}
    </section>
  );
}

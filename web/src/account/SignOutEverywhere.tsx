import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { useSignOutEverywhere } from './mutations';

/** "Log out everywhere", with a confirmation step. */
export function SignOutEverywhere() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOutEverywhere = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  return (
    <section aria-labelledby="sessions-heading" className="card">
      <h2 id="sessions-heading">{t('account.sessionsHeading')}</h2>
      <p>{t('account.sessionsIntro')}</p>
      <FormError message={signOutEverywhere.error ? errorMessage(t, signOutEverywhere.error) : null} />
      {confirming ? (
        <div className="confirm">
          <p id="confirm-sign-out-everywhere-text">{t('account.confirmSignOutEverywhere')}</p>
          <p className="actions">
            <button
              ref={confirmButton}
              type="button"
              className="button button-danger"
              data-testid="confirm-sign-out-everywhere"
              aria-describedby="confirm-sign-out-everywhere-text"
              disabled={signOutEverywhere.isPending}
              onClick={() => signOutEverywhere.mutate(undefined, { onSuccess: () => navigate('/') })}
            >
              {signOutEverywhere.isPending
                ? t('account.signingOutEverywhere')
                : t('account.confirmSignOutEverywhereButton')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={signOutEverywhere.isPending}
              onClick={() => {
                setConfirming(false);
                signOutEverywhere.reset();
              }}
            >
              {t('account.cancel')}
            </button>
          </p>
        </div>
      ) : (
        <button
          type="button"
          className="button button-danger-outline"
          data-testid="sign-out-everywhere"
          onClick={() => setConfirming(true)}
        >
          {t('account.signOutEverywhere')}
        </button>
      )}
    </section>
  );
}

import { ErrorCodes } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { FormError } from '../components/FormError';
import { usePageTitle } from '../components/usePageTitle';
import { type ClientErrorKey, clientErrorMessage, errorMessage } from '../i18n/errorMessage';
import { useConfirmSignUp } from './mutations';
import { safeNextPath } from './nextPath';
import { UsernameField } from './UsernameField';
import { checkUsername } from './validation';

/** The token from the mailed link `/sign-up/confirm#token=…` (in the fragment: never sent in a request or a Referer). */
function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{1,200}$/.test(token) ? token : null;
}

/**
 * Where the confirmation mail's link lands. It asks for a click rather than confirming on load,
 * so that a mail scanner opening the link creates nothing.
 */
export function ConfirmSignUpPage() {
  const { t } = useTranslation();
  usePageTitle(t('signUp.confirmTitle'));
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => tokenFromHash(location.hash));
  const confirm = useConfirmSignUp();
  const [username, setUsername] = useState('');
  const [clientError, setClientError] = useState<ClientErrorKey | null>(null);
  const [askUsername, setAskUsername] = useState(false);

  if (!token) {
    return (
      <section className="auth-page">
        <h1>{t('signUp.confirmHeading')}</h1>
        <div className="card">
          <p>{t('signUp.noToken')}</p>
          <Link className="button" to="/sign-up">
            {t('signUp.signUpAgain')}
          </Link>
        </div>
      </section>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = username.trim();
    const problem = askUsername ? checkUsername(chosen) : null;
    setClientError(problem);
    if (problem) return;
    confirm.mutate(askUsername ? { token, username: chosen } : { token }, {
      onSuccess: ({ next }) => navigate(safeNextPath(next), { replace: true }),
      onError: (err) => {
        if (err instanceof ApiError && err.code === ErrorCodes.usernameTaken) setAskUsername(true);
      },
    });
  };

  const code = confirm.error instanceof ApiError ? confirm.error.code : null;
  const expired = code === ErrorCodes.linkExpired;
  // The first "username taken" is explained by the username field it brings up.
  const firstTaken = code === ErrorCodes.usernameTaken && confirm.variables?.username === undefined;
  const error = clientError
    ? clientErrorMessage(t, clientError)
    : confirm.error && !firstTaken
      ? errorMessage(t, confirm.error)
      : null;

  return (
    <section className="auth-page">
      <h1>{t('signUp.confirmHeading')}</h1>
      <p>{t('signUp.confirmIntro')}</p>
      <form className="form card" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        {askUsername ? (
          <UsernameField
            label={t('signUp.confirmTaken')}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        ) : null}
        {expired ? (
          <Link className="button" to="/sign-up">
            {t('signUp.signUpAgain')}
          </Link>
        ) : (
          <button type="submit" className="button" disabled={confirm.isPending}>
            {confirm.isPending ? t('signUp.confirmPending') : t('signUp.confirmSubmit')}
          </button>
        )}
      </form>
    </section>
  );
}

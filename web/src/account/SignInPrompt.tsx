import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { withNext } from './nextPath';

/** Asks a visitor to sign in (or sign up) to do something, and comes back here afterwards. */
export function SignInPrompt({ message }: { message: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  return (
    <div className="sign-in-prompt card" data-testid="sign-in-prompt">
      <p>{message}</p>
      <p className="actions">
        <Link to={withNext('/sign-in', here)} className="button button-small">
          {t('nav.signIn')}
        </Link>
        <Link to={withNext('/sign-up', here)} className="button button-small button-secondary">
          {t('nav.signUp')}
        </Link>
      </p>
    </div>
  );
}

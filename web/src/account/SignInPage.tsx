import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { FormError } from '../components/FormError';
import { TextField } from '../components/TextField';
import { usePageTitle } from '../components/usePageTitle';
import { type ClientErrorKey, clientErrorMessage, errorMessage } from '../i18n/errorMessage';
import { useSignIn } from './mutations';
import { safeNextPath, withNext } from './nextPath';
import { useMe } from './useMe';
import { checkSignIn } from './validation';

export function SignInPage() {
  const { t } = useTranslation();
  usePageTitle(t('signIn.title'));
  const [params] = useSearchParams();
  const rawNext = params.get('next');
  const next = safeNextPath(rawNext);
  const navigate = useNavigate();
  const { data: me } = useMe();
  const signIn = useSignIn();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [clientError, setClientError] = useState<ClientErrorKey | null>(null);

  if (me && signIn.isIdle) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { login: login.trim(), password };
    const problem = checkSignIn(body);
    setClientError(problem);
    if (problem) return;
    signIn.mutate(body, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = clientError ? clientErrorMessage(t, clientError) : signIn.error ? errorMessage(t, signIn.error) : null;

  return (
    <section className="auth-page">
      <h1>{t('signIn.heading')}</h1>
      {rawNext && next !== '/' ? <p className="notice">{t('signIn.continueNotice')}</p> : null}
      <form className="form card" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        <TextField
          label={t('fields.login')}
          name="login"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={login}
          onChange={(event) => setLogin(event.target.value)}
        />
        <TextField
          label={t('fields.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="button" disabled={signIn.isPending}>
          {signIn.isPending ? t('signIn.pending') : t('signIn.submit')}
        </button>
      </form>
      <p className="switch-auth">
        {t('signIn.noAccount')} <Link to={withNext('/sign-up', rawNext)}>{t('signIn.signUpLink')}</Link>
      </p>
    </section>
  );
}

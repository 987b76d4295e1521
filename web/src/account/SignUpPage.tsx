import { PASSWORD_MIN } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { FormError } from '../components/FormError';
import { TextField } from '../components/TextField';
import { usePageTitle } from '../components/usePageTitle';
import { type ClientErrorKey, clientErrorMessage, errorMessage } from '../i18n/errorMessage';
import { useSignUp } from './mutations';
import { safeNextPath, withNext } from './nextPath';
import { UsernameField } from './UsernameField';
import { useMe } from './useMe';
import { checkSignUp } from './validation';

export function SignUpPage() {
  const { t } = useTranslation();
  usePageTitle(t('signUp.title'));
  const [params] = useSearchParams();
  const rawNext = params.get('next');
  const next = safeNextPath(rawNext);
  const { data: me } = useMe();
  const signUp = useSignUp();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientError, setClientError] = useState<ClientErrorKey | null>(null);

  if (me && signUp.isIdle) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { username: username.trim(), email: email.trim(), password };
    const problem = checkSignUp(body);
    setClientError(problem);
    if (problem) return;
    signUp.mutate(rawNext ? { ...body, next } : body);
  };

  if (signUp.isSuccess) {
    return (
      <section className="auth-page">
        <h1>{t('signUp.checkHeading')}</h1>
        <div className="card" data-testid="sign-up-sent">
          <p>{t('signUp.checkBody', { email: signUp.variables.email })}</p>
          <p className="notice">{t('signUp.checkHint')}</p>
          <button type="button" className="button button-secondary" onClick={() => signUp.reset()}>
            {t('signUp.again')}
          </button>
        </div>
      </section>
    );
  }

  const error = clientError ? clientErrorMessage(t, clientError) : signUp.error ? errorMessage(t, signUp.error) : null;

  return (
    <section className="auth-page">
      <h1>{t('signUp.heading')}</h1>
      <p>{t('signUp.intro')}</p>
      <form className="form card" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        <UsernameField value={username} onChange={(event) => setUsername(event.target.value)} />
        <TextField
          label={t('fields.email')}
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label={t('fields.password')}
          hint={t('fields.passwordHint', { min: PASSWORD_MIN })}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="button" disabled={signUp.isPending}>
          {signUp.isPending ? t('signUp.pending') : t('signUp.submit')}
        </button>
      </form>
      <p className="switch-auth">
        {t('signUp.haveAccount')} <Link to={withNext('/sign-in', rawNext)}>{t('signUp.signInLink')}</Link>
      </p>
    </section>
  );
}

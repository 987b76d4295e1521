import { PASSWORD_MIN } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { TextField } from '../components/TextField';
import { type ClientErrorKey, clientErrorMessage, errorMessage } from '../i18n/errorMessage';
import { useChangePassword } from './mutations';
import { checkPasswordChange } from './validation';

export function ChangePasswordForm({ username }: { username: string }) {
  const { t } = useTranslation();
  const changePassword = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [clientError, setClientError] = useState<ClientErrorKey | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { currentPassword, newPassword };
    const problem = checkPasswordChange(body);
    setClientError(problem);
    if (problem) {
      changePassword.reset();
      return;
    }
    changePassword.mutate(body, {
      onSuccess: () => {
        setCurrentPassword('');
        setNewPassword('');
      },
    });
  };

  const error = clientError
    ? clientErrorMessage(t, clientError)
    : changePassword.error
      ? errorMessage(t, changePassword.error)
      : null;

  return (
    <section aria-labelledby="password-heading" className="card">
      <h2 id="password-heading">{t('account.passwordHeading')}</h2>
      <p>{t('account.passwordIntro')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        {changePassword.isSuccess ? (
          <p className="form-success" role="status" data-testid="password-changed">
            {t('account.passwordChanged')}
          </p>
        ) : null}
        {/* Lets password managers know which account the new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          label={t('fields.currentPassword')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
        />
        <TextField
          label={t('fields.newPassword')}
          hint={t('fields.passwordHint', { min: PASSWORD_MIN })}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
        />
        <button type="submit" className="button" disabled={changePassword.isPending}>
          {changePassword.isPending ? t('account.passwordPending') : t('account.passwordSubmit')}
        </button>
      </form>
    </section>
  );
}

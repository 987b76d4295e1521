import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../components/TextField';

/** The username input of sign-up and of confirming one, with the server's rules as its hint. */
export function UsernameField({
  label,
  value,
  onChange,
}: {
  label?: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation();
  return (
    <TextField
      label={label ?? t('fields.username')}
      hint={t('fields.usernameHint')}
      name="username"
      type="text"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      required
      minLength={3}
      maxLength={20}
      value={value}
      onChange={onChange}
    />
  );
}

import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from '@fanlab/shared';
import type { ClientErrorKey } from '../i18n/errorMessage';

const usernamePattern = new RegExp(USERNAME_PATTERN);
// The server's rule: one @, something on both sides, a dot in the domain, no spaces.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Passwords are counted in characters (code points), like the server does. */
const length = (password: string) => [...password.normalize('NFC')].length;

function checkNewPassword(password: string): ClientErrorKey | null {
  if (length(password) < PASSWORD_MIN) return 'passwordTooShort';
  if (length(password) > PASSWORD_MAX) return 'passwordTooLong';
  return null;
}

export function checkUsername(username: string): ClientErrorKey | null {
  return usernamePattern.test(username) ? null : 'usernameInvalid';
}

export function checkSignUp(input: { username: string; email: string; password: string }): ClientErrorKey | null {
  if (!usernamePattern.test(input.username)) return 'usernameInvalid';
  if (!emailPattern.test(input.email) || input.email.length > 254) return 'emailInvalid';
  return checkNewPassword(input.password);
}

export function checkSignIn(input: { login: string; password: string }): ClientErrorKey | null {
  if (!input.login) return 'loginRequired';
  if (!input.password) return 'passwordRequired';
  return null;
}

export function checkPasswordChange(input: { currentPassword: string; newPassword: string }): ClientErrorKey | null {
  if (!input.currentPassword) return 'passwordRequired';
  if (input.currentPassword.normalize('NFC') === input.newPassword.normalize('NFC')) return 'passwordSame';
  return checkNewPassword(input.newPassword);
}

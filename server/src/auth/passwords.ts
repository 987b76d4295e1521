import { ErrorCodes, PASSWORD_MIN } from '@fanlab/shared';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../http/errors';

// ~49k most common passwords (zxcvbn's list): a well-kept list beats one we would curate.
const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Passwords are compared after Unicode NFC normalisation, so the same text typed anywhere matches. */
const normalise = (password: string) => password.normalize('NFC');

export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 hashes with argon2id by default (m=19 MiB, t=2, p=1: OWASP's baseline).
  return hash(normalise(password));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

// A real argon2id hash so that a sign-in for an unknown account costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('fanlab-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

/** Throws `weak_password` unless the password is acceptable for this account. */
export function assertStrongPassword(password: string, account: { username: string; email: string }) {
  const lower = normalise(password).toLowerCase();
  const weak = (message: string) => new AppError(400, ErrorCodes.weakPassword, message);
  if ([...normalise(password)].length < PASSWORD_MIN) {
    throw weak(`The password must have at least ${PASSWORD_MIN} characters.`);
  }
  if (common.has(lower)) throw weak('This password is one of the most common ones; choose another.');
  if (lower.includes(account.username.toLowerCase()) || lower === account.email.toLowerCase()) {
    throw weak('The password must not contain your username or email.');
  }
  if (new Set(lower).size < 4) throw weak('The password repeats too few different characters.');
}

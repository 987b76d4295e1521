import { createHash, randomBytes } from 'node:crypto';
import { ErrorCodes, SignUpBody } from '@fanlab/shared';
import { sql } from 'kysely';
import { Compile } from 'typebox/compile';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { AppError } from '../http/errors';
import { queueMail } from '../mail/outbox';
import { accountExistsMail, confirmSignUpMail } from '../mail/templates';
import { assertStrongPassword, hashPassword } from './passwords';

// Sign-up in two steps, so that it never tells anyone which addresses have accounts:
// 1. requestSignUp answers the same whatever the address. A new address gets a confirmation
//    link (the sign-up waits in pending_signups); an address with an account gets a mail saying
//    so. Only the owner of the address learns which.
// 2. confirmSignUp, with the link's token, creates the account (the address is proven).

/** A confirmation link works this long. */
export const SIGN_UP_LINK_HOURS = 24;

const UNIQUE_VIOLATION = '23505';
const checkSignUp = Compile(SignUpBody);

export interface SignUpDraft {
  username: string;
  email: string;
  passwordHash: string;
  next: string | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A path inside this site (what the client's safeNextPath accepts), else nothing. */
function localPath(next: string | undefined): string | null {
  if (!next || !/^\/(?![/\\])[^\s\\]*$/.test(next)) return null;
  return next;
}

const usernameTaken = () => new AppError(409, ErrorCodes.usernameTaken, 'This username is taken.');

/**
 * Checks a sign-up and hashes its password (argon2: the slow part, before any transaction).
 * A taken username is said at once: usernames are public, addresses are not.
 */
export async function draftSignUp(db: Db, input: SignUpBody): Promise<SignUpDraft> {
  if (!checkSignUp.Check(input)) {
    throw new AppError(
      400,
      ErrorCodes.validationFailed,
      'Username (3–20 of a-z, 0-9, _), email or password is malformed.',
    );
  }
  assertStrongPassword(input.password, input);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(username)`, '=', input.username.toLowerCase())
    .executeTakeFirst();
  if (taken) throw usernameTaken();
  return {
    username: input.username,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    next: localPath(input.next),
  };
}

/**
 * Step 1: queues the confirmation mail, or the "you already have an account" mail. Returns
 * nothing the caller could tell the two apart by.
 */
export async function requestSignUp(tx: Tx, draft: SignUpDraft, publicUrl: string): Promise<void> {
  const existing = await tx
    .selectFrom('users')
    .select('username')
    .where(sql<string>`lower(email)`, '=', draft.email.toLowerCase())
    .executeTakeFirst();
  if (existing) {
    await queueMail(
      tx,
      draft.email,
      accountExistsMail({ username: existing.username, signInLink: `${publicUrl}/sign-in` }),
    );
    return;
  }
  const token = randomBytes(32).toString('base64url');
  // One pending sign-up per address: a newer one replaces it, and the older link stops working.
  await tx
    .insertInto('pending_signups')
    .values({
      username: draft.username,
      email: draft.email,
      password_hash: draft.passwordHash,
      token_hash: hashToken(token),
      next_path: draft.next,
      expires_at: sql<Date>`now() + ${SIGN_UP_LINK_HOURS} * interval '1 hour'`,
    })
    .onConflict((oc) =>
      oc.expression(sql`lower(email)`).doUpdateSet((eb) => ({
        username: eb.ref('excluded.username'),
        email: eb.ref('excluded.email'),
        password_hash: eb.ref('excluded.password_hash'),
        token_hash: eb.ref('excluded.token_hash'),
        next_path: eb.ref('excluded.next_path'),
        created_at: sql<Date>`now()`,
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute();
  await queueMail(
    tx,
    draft.email,
    confirmSignUpMail({
      username: draft.username,
      link: `${publicUrl}/sign-up/confirm#token=${token}`,
      hours: SIGN_UP_LINK_HOURS,
    }),
  );
}

/**
 * Step 2: the link's token creates the account, verified. `username` replaces the one signed up
 * with (taken by someone else since: 409 `username_taken`, and the link keeps working).
 */
export async function confirmSignUp(
  tx: Tx,
  token: string,
  username?: string,
): Promise<{ user: UserRow; next: string | null }> {
  const pending = await tx
    .deleteFrom('pending_signups')
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
  if (!pending) {
    throw new AppError(
      400,
      ErrorCodes.linkExpired,
      'This link has expired, was used already, or a newer sign-up with the address replaced it. Sign up again.',
    );
  }
  try {
    const user = await tx
      .insertInto('users')
      .values({ username: username ?? pending.username, email: pending.email, password_hash: pending.password_hash })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { user, next: pending.next_path };
  } catch (err) {
    const pgErr = err as { code?: string; constraint?: string };
    // Thrown, the transaction rolls back: the pending sign-up (and its link) stays for a retry.
    if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === 'users_username_lower_key') throw usernameTaken();
    if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === 'users_email_lower_key') {
      throw new AppError(409, ErrorCodes.emailTaken, 'An account with this address exists already: sign in.');
    }
    throw err;
  }
}

/** Forgets sign-ups whose link expired (maintenance). */
export async function deleteExpiredSignUps(db: Db): Promise<void> {
  await db.deleteFrom('pending_signups').where('expires_at', '<=', sql<Date>`now()`).execute();
}

import { ErrorCodes, type Locale, type Role, SignUpBody, UserChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { Compile } from 'typebox/compile';
import { writeAudit } from '../audit/log';
import { publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { AppError, notFound } from '../http/errors';
import { revokeAllTokens } from '../tokens/actions';
import { assertStrongPassword, burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import { isSuspended } from './policy';
import { findUserByLogin } from './queries';
import { sessionKey } from './sessions';

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
  role?: Role;
}

const UNIQUE_VIOLATION = '23505';
const checkSignUp = Compile(SignUpBody);

/** Creates an account. Uniqueness (ignoring case) is the database's job, so racing sign-ups cannot both win. */
export async function createUser(db: Db, input: SignUpInput): Promise<UserRow> {
  const { role: _, ...account } = input;
  if (!checkSignUp.Check(account)) {
    // The HTTP schema rejects these earlier; this guards every other caller (the CLI).
    throw new AppError(
      400,
      ErrorCodes.validationFailed,
      'Username (3–20 of a-z, 0-9, _), email or password is malformed.',
    );
  }
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db
      .insertInto('users')
      .values({
        username: input.username,
        email: input.email,
        password_hash: passwordHash,
        role: input.role ?? 'member',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    const pgErr = err as { code?: string; constraint?: string };
    if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === 'users_username_lower_key') {
      throw new AppError(409, ErrorCodes.usernameTaken, 'This username is taken.');
    }
    if (pgErr.code === UNIQUE_VIOLATION && pgErr.constraint === 'users_email_lower_key') {
      throw new AppError(409, ErrorCodes.emailTaken, 'An account with this email exists already.');
    }
    throw err;
  }
}

/** Returns the account for a username-or-email and password, or throws `invalid_credentials`. */
export async function authenticate(db: Db, login: string, password: string): Promise<UserRow> {
  const user = await findUserByLogin(db, login);
  if (!user) {
    await burnPasswordCheck(password); // same cost as a wrong password: no account probing by timing
  } else if (await verifyPassword(user.password_hash, password)) {
    if (isSuspended(user)) {
      throw new AppError(
        403,
        ErrorCodes.suspended,
        `This account is suspended until ${user.suspended_until?.toISOString()}${user.suspend_reason ? `: ${user.suspend_reason}` : '.'}`,
        { until: user.suspended_until?.toISOString(), reason: user.suspend_reason },
      );
    }
    return user;
  }
  throw new AppError(401, ErrorCodes.invalidCredentials, 'Wrong username, email or password.');
}

/** A session that ends but whose device continues under a new session id (see endAllSessions). */
export interface SessionHandover {
  /** sessionKey() of the ending session. */
  from: string;
  /** sessionKey() of the session that replaces it. */
  to: string;
}

/**
 * Checks a password change (the current password, the new one's strength) and hashes the new
 * one: the slow part (argon2), done before any transaction. Returns the hash for setPassword.
 */
export async function hashNewPassword(db: Db, userId: number, current: string, next: string): Promise<string> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('The account');
  if (!(await verifyPassword(user.password_hash, current))) {
    throw new AppError(400, ErrorCodes.wrongPassword, 'The current password is wrong.');
  }
  if (current.normalize('NFC') === next.normalize('NFC')) {
    throw new AppError(400, ErrorCodes.weakPassword, 'The new password must differ from the current one.');
  }
  assertStrongPassword(next, user);
  return hashPassword(next);
}

/**
 * Stores a new password hash (from hashNewPassword). Every session of the account ends; the
 * caller opens the `handover.to` session for the device that asked.
 */
export async function setPassword(
  tx: Tx,
  userId: number,
  passwordHash: string,
  handover?: SessionHandover,
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .execute();
  await endAllSessions(tx, userId, handover);
}

/**
 * What a `sessions_revoked` message tells every server process: which sockets of the user close.
 * `sessions` (sessionKey()s) closes only the sockets opened with those sessions; without it every
 * socket of the user closes, except those of the `handover` session.
 */
export interface SessionsRevoked {
  sessions?: string[];
  handover?: SessionHandover;
}

const announceRevoked = (tx: Tx, userId: number, data: SessionsRevoked) =>
  publish(tx, { channel: `user:${userId}`, event: UserChannelEvents.sessionsRevoked, cursor: null, data });

/**
 * Ends every session of an account, revokes its API tokens, and tells its open sockets (on
 * every server process) to close. Sockets of the `handover` session stay open: their device continues as `handover.to`.
 */
export async function endAllSessions(tx: Tx, userId: number, handover?: SessionHandover): Promise<void> {
  await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await revokeAllTokens(tx, userId);
  await announceRevoked(tx, userId, handover ? { handover } : {});
}

/**
 * Ends one session (sign-out, or a sign-in over it) and closes the sockets opened with it on
 * every server process; the account's other sessions go on.
 */
export async function endSession(tx: Tx, userId: number, sessionId: string): Promise<void> {
  const key = sessionKey(sessionId);
  await tx.deleteFrom('sessions').where('id', '=', key).execute();
  await announceRevoked(tx, userId, { sessions: [key] });
}

/** Saves the account owner's preferences. */
export async function updatePreferences(
  tx: Tx,
  userId: number,
  patch: { locale?: Locale | null; showLastSeen?: boolean },
): Promise<UserRow> {
  return tx
    .updateTable('users')
    .set({
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.showLastSeen !== undefined ? { show_last_seen: patch.showLastSeen } : {}),
    })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records that the user was here now (the session hook calls it at most every few minutes). */
export async function recordLastSeen(tx: Tx, userId: number): Promise<void> {
  await tx.updateTable('users').set({ last_seen_at: sql<Date>`now()` }).where('id', '=', userId).execute();
}

/** Changes a user's role and records it in the audit log, in one transaction. */
export async function setRole(tx: Tx, actorId: number | null, userId: number, role: Role): Promise<UserRow> {
  const before = await tx.selectFrom('users').select('role').where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!before) throw notFound('The user');
  const user = await tx
    .updateTable('users')
    .set({ role })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (before.role !== role) {
    await writeAudit(tx, {
      actorId,
      action: 'user.role_changed',
      targetId: userId,
      data: { from: before.role, to: role },
    });
    // Open sockets were authorised with the old role: they close, and the client reconnects
    // (its session still valid) with the new one.
    await announceRevoked(tx, userId, {});
  }
  return user;
}

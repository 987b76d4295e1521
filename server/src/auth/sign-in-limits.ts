import type { Db } from '../db/connect';
import { consume, hit, type Limit, peek, rateLimited } from '../http/rate-limit';

/**
 * Sign-in throttling that an attacker cannot turn into a lock-out of someone else's account:
 * - attempts per client address (`perIp`);
 * - failed attempts per account *and* address (`failuresPerAccountIp`): guessing from one place
 *   is stopped there, while the owner signing in from elsewhere is not;
 * - failed attempts per account from everywhere only slow that account's sign-ins down
 *   (`slowdown`), never refuse them: a distributed guesser pays seconds per try, the owner gets
 *   in (a little slower while the attack lasts).
 */
export interface SignInLimits {
  perIp: Limit;
  failuresPerAccountIp: Limit;
  slowdown: {
    /** Failures (from every address) in the window before sign-ins of the account slow down. */
    afterFailures: number;
    windowSeconds: number;
    /** Added per failure past `afterFailures`, up to `maxDelayMs`. */
    stepMs: number;
    maxDelayMs: number;
  };
}

const account = (login: string) => login.normalize('NFC').toLowerCase();
const pairKey = (login: string, ip: string) => `sign-in:fail:${account(login)}:${ip}`;
const accountKey = (login: string) => `sign-in:fail:${account(login)}`;

/** How long a sign-in of an account with `failures` recent failures waits before it is checked. */
export function slowdownMs(failures: number, slowdown: SignInLimits['slowdown']): number {
  const over = failures - slowdown.afterFailures;
  return over <= 0 ? 0 : Math.min(slowdown.maxDelayMs, over * slowdown.stepMs);
}

/** Runs before the password is checked: may refuse (429) this address, or wait. */
export async function beforeSignIn(db: Db, limits: SignInLimits, ip: string, login: string): Promise<void> {
  await consume(db, `sign-in:ip:${ip}`, limits.perIp);
  const pair = await peek(db, pairKey(login, ip));
  if (pair.hits >= limits.failuresPerAccountIp.max) throw rateLimited(pair.retryAfter);
  const delay = slowdownMs((await peek(db, accountKey(login))).hits, limits.slowdown);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}

/** Records a wrong password (or unknown account) for this account and address. */
export async function signInFailed(db: Db, limits: SignInLimits, ip: string, login: string): Promise<void> {
  await hit(db, pairKey(login, ip), limits.failuresPerAccountIp);
  await hit(db, accountKey(login), {
    max: limits.slowdown.afterFailures,
    windowSeconds: limits.slowdown.windowSeconds,
  });
}

import type { Transaction } from 'kysely';
import type { Db } from './connect';
import type { Database } from './schema';

/**
 * A database transaction. Rules that write take one (`tx: Tx`) and never open their own, so they
 * compose: the caller (a route, the CLI, a bigger rule) owns the transaction, and everything done
 * with the same `tx` commits or rolls back together. Writers of the audit log, notifications and
 * live announcements take a `Tx`, so "in the same transaction as the change" is checked by the
 * compiler. (The vote batcher in ideas/votes.ts opens its own: it is the transaction owner of a
 * whole batch of requests.)
 */
export type Tx = Transaction<Database>;

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function withTx<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

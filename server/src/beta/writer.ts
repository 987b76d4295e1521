import type { BetaApplyBody } from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import { GroupCommit, type Waiter } from '../db/group-commit';
import { withTx } from '../db/tx';
import { AppError } from '../http/errors';
import { type ApplyResult, applyMany } from './actions/applications';
import { bumpSeats } from './actions/seats';

interface Pending extends Waiter<ApplyResult> {
  user: User;
  programId: number;
  body: BetaApplyBody;
}

const MAX_BATCH = 500;

/**
 * Group commit for applications. Every application to a program takes that program's row lock
 * and keeps it until its transaction commits (that is what makes seats, tester numbers and the
 * line exact), so one transaction per application would serialize a storm on commit flushes
 * (with durable commits, milliseconds each). Instead, applications that arrive while a batch is
 * being written wait for the next one, and each batch is one transaction: per program (in id
 * order, so batches lock programs in one order) the rule applyMany locks the program once, checks
 * and places each application in arrival order and writes them set-based. A refused one (4xx)
 * wrote nothing and is answered at once; the others after the batch committed. The batch holds
 * the lock until it commits, so line order is still commit order. Seats are announced once per
 * program and batch.
 */
export class ApplicationWriter {
  private readonly commits: GroupCommit<ApplyResult, Pending>;

  constructor(
    private readonly db: Db,
    log: FastifyBaseLogger,
  ) {
    this.commits = new GroupCommit((batch) => this.writeBatch(batch), log, {
      what: 'application',
      maxBatch: MAX_BATCH,
    });
  }

  submit(user: User, programId: number, body: BetaApplyBody): Promise<ApplyResult> {
    return this.commits.submit((resolve, reject) => ({ user, programId, body, resolve, reject }));
  }

  /** Waits for queued applications to be written (graceful shutdown). */
  close(): Promise<void> {
    return this.commits.close();
  }

  private async writeBatch(batch: Pending[]) {
    const byProgram = new Map<number, Pending[]>();
    for (const p of batch) {
      const group = byProgram.get(p.programId);
      if (group) group.push(p);
      else byProgram.set(p.programId, [p]);
    }
    const done: { p: Pending; result: ApplyResult }[] = [];
    await withTx(this.db, async (tx) => {
      // programs in id order: two processes' batches lock them in the same order
      for (const programId of [...byProgram.keys()].sort((a, b) => a - b)) {
        const group = byProgram.get(programId) as Pending[];
        let results: (ApplyResult | AppError)[];
        try {
          results = await applyMany(tx, programId, group, false);
        } catch (err) {
          // the program itself is refused (gone) before anything is written: the whole group
          if (!(err instanceof AppError)) throw err;
          results = group.map(() => err);
        }
        for (const [i, p] of group.entries()) {
          const result = results[i] as ApplyResult | AppError;
          if (result instanceof AppError) {
            // it wrote nothing: answered now
            p.reject(result);
          } else done.push({ p, result });
        }
        if (results.some((r) => !(r instanceof AppError) && r.outcome !== 'pending')) await bumpSeats(tx, programId);
      }
    });
    for (const { p, result } of done) p.resolve(result);
  }
}

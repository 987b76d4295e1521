import { type BetaApplyBody, ErrorCodes } from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from '../http/errors';
import { type ApplyResult, applyMany, bumpSeats } from './actions';

interface Pending {
  user: User;
  programId: number;
  body: BetaApplyBody;
  resolve(result: ApplyResult): void;
  reject(err: unknown): void;
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
  private queue: Pending[] = [];
  private writing = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  submit(user: User, programId: number, body: BetaApplyBody): Promise<ApplyResult> {
    if (this.closed) return Promise.reject(new AppError(503, ErrorCodes.unavailable, 'The server is shutting down.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ user, programId, body, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Waits for queued applications to be written (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain() {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.writeBatch(batch);
      } catch (err) {
        // Nothing of the batch is acknowledged: every application still waiting gets the error
        // (503 when the database is unreachable or the batch met a conflict).
        if (isDatabaseUnavailable(err)) {
          this.log.warn({ err: { message: (err as Error).message }, size: batch.length }, 'application batch failed');
        } else {
          this.log.error({ err, size: batch.length }, 'application batch failed');
        }
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = false;
  }

  private async writeBatch(batch: Pending[]) {
    const byProgram = new Map<number, Pending[]>();
    for (const p of batch) byProgram.set(p.programId, [...(byProgram.get(p.programId) ?? []), p]);
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
            batch.splice(batch.indexOf(p), 1);
            p.reject(result);
          } else done.push({ p, result });
        }
        if (results.some((r) => !(r instanceof AppError) && r.outcome !== 'pending')) await bumpSeats(tx, programId);
      }
    });
    for (const { p, result } of done) p.resolve(result);
  }
}

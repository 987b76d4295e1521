import { ErrorCodes } from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../http/errors';
import { isDatabaseUnavailable } from './unavailable';

/** A request waiting in a group commit: answered once its batch committed (or failed). */
export interface Waiter<R> {
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests that arrive while a batch is being written wait for the next one, and
 * each batch is written by `writeBatch` in one transaction of its own, so a storm costs one
 * commit (one flush, one hot-lock hold) per batch instead of one per request. `writeBatch`
 * answers each request itself: refusals at once (they wrote nothing), the rest after its
 * transaction committed, so every acknowledged request is durable. Should the batch fail (the
 * connection broke, a deadlock), nothing of it is acknowledged: every request still waiting
 * gets the error (503 when the database is unreachable) and the next batch tries again.
 *
 * The vote writer (ideas/votes.ts) and the beta application writer (beta/writer.ts) are the two
 * writers: they are the only owners of their transactions besides `withTx` (docs/architecture.md).
 * Signed-in readers' marks (forum/reader-marks.ts) use the same queue for one read statement per
 * batch, without a transaction.
 */
export class GroupCommit<R, P extends Waiter<R>> {
  private queue: P[] = [];
  private writing = false;
  private closed = false;

  constructor(
    private readonly writeBatch: (batch: P[]) => Promise<void>,
    private readonly log: FastifyBaseLogger,
    private readonly options: { what: string; maxBatch: number },
  ) {}

  /** Queues a request built around its promise's resolve and reject. */
  submit(make: (resolve: (result: R) => void, reject: (err: unknown) => void) => P): Promise<R> {
    if (this.closed) return Promise.reject(new AppError(503, ErrorCodes.unavailable, 'The server is shutting down.'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push(make(resolve, reject));
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Waits for queued requests to be written (graceful shutdown); later ones get a 503. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain() {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      try {
        await this.writeBatch(batch);
      } catch (err) {
        if (isDatabaseUnavailable(err)) {
          this.log.warn(
            { err: { message: (err as Error).message }, size: batch.length },
            `${this.options.what} batch failed: database unavailable`,
          );
        } else {
          this.log.error({ err, size: batch.length }, `${this.options.what} batch failed`);
        }
        // a request answered already (a refusal) ignores a second answer
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = false;
  }
}

import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import { type MailTransport, senderDomain } from './transport';

export interface MailWorkerOptions {
  /** How often an idle worker looks for due mail. */
  pollMs: number;
  /** Mails sent at once by one process (each holds one database connection while it is sent). */
  concurrency: number;
  /** Attempts before a mail is given up (failed_at set, kept for the operator to see). */
  maxAttempts: number;
  /** Wait before the first retry; doubles with every further attempt, up to an hour. */
  retryBaseMs: number;
  /** Sent mails' records are kept this long (their bodies are cleared at once). */
  keepSentDays: number;
}

export const defaultMailWorker: MailWorkerOptions = {
  pollMs: 1_000,
  concurrency: 4,
  maxAttempts: 10,
  retryBaseMs: 30_000,
  keepSentDays: 30,
};

const MAX_RETRY_MS = 3_600_000;

/**
 * Sends what `queueMail` put in the outbox. Every server process runs one. A mail is taken with
 * FOR UPDATE SKIP LOCKED inside a transaction that stays open while it is sent, so no two
 * processes (or loops) send it at once; it is marked sent in that transaction. A process that
 * dies mid-send rolls back, and the mail is sent again later under the same Message-ID (delivery
 * is at least once; the one duplicate possible is a death between the server's "accepted" and our
 * commit).
 */
export class MailWorker {
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private loops: Promise<void>[] = [];
  private readonly domain: string;

  constructor(
    private readonly db: Db,
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly log: FastifyBaseLogger,
    private readonly options: MailWorkerOptions = defaultMailWorker,
  ) {
    this.domain = senderDomain(from);
  }

  start(): void {
    this.log.info(`mail goes to ${this.transport.description}`);
    this.schedule(0);
  }

  private schedule(delayMs: number) {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      void this.drain()
        .catch((err) => this.log.warn({ err }, 'mail worker: could not read the outbox'))
        .finally(() => this.schedule(this.options.pollMs));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Sends every due mail (with `concurrency` loops once there is one: an idle poll costs one
   * short transaction, not one per loop); resolves when none is left. Returns how many were tried.
   */
  async drain(): Promise<number> {
    if (this.stopping) return 0;
    const first = this.sendOne();
    // stop() waits for it; its error (if any) reaches drain's caller through `await first`
    this.loops = [
      first.then(
        () => undefined,
        () => undefined,
      ),
    ];
    if (!(await first)) return 0;
    let tried = 1;
    const loop = async () => {
      while (!this.stopping && (await this.sendOne())) tried += 1;
    };
    this.loops = Array.from({ length: this.options.concurrency }, loop);
    await Promise.all(this.loops);
    return tried;
  }

  /** Takes one due mail and tries to send it; false when none is due. */
  async sendOne(): Promise<boolean> {
    return withTx(this.db, async (tx) => {
      const mail = await tx
        .selectFrom('mail_outbox')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!mail) return false;
      let where: string;
      try {
        where = await this.transport.send({
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text_body ?? '',
          html: mail.html_body ?? '',
          messageId: `<${mail.message_id}@${this.domain}>`,
        });
      } catch (err) {
        const attempts = mail.attempts + 1;
        const giveUp = attempts >= this.options.maxAttempts;
        const retryMs = Math.min(MAX_RETRY_MS, this.options.retryBaseMs * 2 ** (attempts - 1));
        await tx
          .updateTable('mail_outbox')
          .set({
            attempts,
            last_error: String((err as Error).message ?? err).slice(0, 1000),
            ...(giveUp
              ? { failed_at: sql<Date>`now()`, text_body: null, html_body: null }
              : { next_attempt_at: sql<Date>`now() + ${retryMs} * interval '1 millisecond'` }),
          })
          .where('id', '=', mail.id)
          .execute();
        this.log.warn(
          { err, mailId: mail.id, attempts },
          giveUp
            ? 'mail given up after its last attempt'
            : `mail not sent; retrying in ${Math.round(retryMs / 1000)} s`,
        );
        return true;
      }
      await tx
        .updateTable('mail_outbox')
        .set({ sent_at: sql<Date>`now()`, attempts: mail.attempts + 1, text_body: null, html_body: null })
        .where('id', '=', mail.id)
        .execute();
      this.log.info({ mailId: mail.id, template: mail.template }, `mail sent: ${where}`);
      return true;
    });
  }

  /** Forgets sent and given-up mails older than keepSentDays (maintenance). */
  async deleteOld(): Promise<void> {
    await this.db
      .deleteFrom('mail_outbox')
      .where((eb) => eb.or([eb('sent_at', 'is not', null), eb('failed_at', 'is not', null)]))
      .where('created_at', '<', sql<Date>`now() - ${this.options.keepSentDays} * interval '1 day'`)
      .execute();
  }

  /** Stops taking mail and waits for the ones being sent. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await Promise.allSettled(this.loops);
    this.transport.close();
  }
}

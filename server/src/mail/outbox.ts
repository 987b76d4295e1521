import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/tx';
import type { RenderedMail } from './templates';

/**
 * Queues a mail in the caller's transaction: it is sent (by a MailWorker, in any server process)
 * only if the change that caused it commits, and never while the change holds its locks.
 */
export async function queueMail(tx: Tx, to: string, mail: RenderedMail): Promise<void> {
  await tx
    .insertInto('mail_outbox')
    .values({
      to_address: to,
      template: mail.template,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      // the left part of the Message-ID; the worker adds MAIL_FROM's domain
      message_id: `${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}`,
    })
    .execute();
}

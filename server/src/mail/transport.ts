import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** One message, ready to go. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Full Message-ID header value, `<left@domain>`. */
  messageId: string;
}

/** Where mail goes: an SMTP server, or (no SMTP_URL) `.eml` files in a folder. */
export interface MailTransport {
  readonly description: string;
  /** Resolves once the message is accepted (by the SMTP server, or written) with where it went; rejects otherwise. */
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

export interface MailSettings {
  /** smtp:// or smtps:// URL (user, password and options in it); unset: write files to `dir`. */
  smtpUrl: string | undefined;
  from: string;
  dir: string;
  /** Longest an SMTP exchange may take before it counts as failed (and is retried). */
  timeoutMs?: number;
  /** SMTP connections kept open (one per mail the worker sends at once). */
  maxConnections?: number;
}

/** The domain of MAIL_FROM, for Message-IDs. */
export function senderDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'localhost';
}

export function createMailTransport(settings: MailSettings): MailTransport {
  const timeout = settings.timeoutMs ?? 30_000;
  if (settings.smtpUrl) {
    const smtp = nodemailer.createTransport({
      url: settings.smtpUrl,
      // keep connections open between mails (a digest is thousands of them)
      pool: true,
      maxConnections: settings.maxConnections ?? 4,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    const url = new URL(settings.smtpUrl);
    return {
      description: `SMTP ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
      async send(mail) {
        const info = await smtp.sendMail({ ...mail, from: settings.from });
        return `${url.hostname}: ${info.response}`;
      },
      close: () => smtp.close(),
    };
  }
  // No SMTP server: the exact message an SMTP server would get, as a file a newcomer can open.
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = settings.dir;
  return {
    description: `files in ${dir}`,
    async send(mail) {
      const info = await files.sendMail({ ...mail, from: settings.from });
      await mkdir(dir, { recursive: true, mode: 0o700 }); // mails hold sign-in links: readable by us only
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
      const temp = path.join(dir, `.${name}.tmp`);
      await writeFile(temp, info.message as Buffer, { mode: 0o600 });
      await rename(temp, path.join(dir, name)); // a reader never sees half a message
      return path.join(dir, name);
    },
    close: () => files.close(),
  };
}

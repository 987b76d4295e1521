import type { Db } from '../src/db/connect';

export interface QueuedMail {
  id: number;
  to: string;
  template: string;
  subject: string;
  text: string;
  html: string;
}

/** Every mail queued for `to` (any case), oldest first, as the outbox holds it before sending. */
export async function mailsTo(db: Db, to: string): Promise<QueuedMail[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'template', 'subject', 'text_body', 'html_body'])
    .where((eb) => eb(eb.fn('lower', ['to_address']), '=', to.toLowerCase()))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    template: r.template,
    subject: r.subject,
    text: r.text_body ?? '',
    html: r.html_body ?? '',
  }));
}

/** The newest mail queued for `to`; throws if there is none. */
export async function lastMailTo(db: Db, to: string): Promise<QueuedMail> {
  const mail = (await mailsTo(db, to)).at(-1);
  if (!mail) throw new Error(`no mail queued for ${to}`);
  return mail;
}

/** The token of the sign-up confirmation link in a mail's text. */
export function confirmationToken(text: string): string {
  const token = /\/sign-up\/confirm#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no confirmation link in: ${text}`);
  return token;
}

/** A raw message (.eml, or what an SMTP server received) with quoted-printable soft breaks and escapes undone. */
export function decodeMail(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

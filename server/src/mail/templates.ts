/**
 * The mails Fanlab sends, each with a plain-text and an HTML part. HTML is written with the
 * `html` tag below: every interpolated value is escaped unless it is itself `html` output, so
 * nothing a member wrote (a username, a thread title) can become markup in a mail.
 */

/** HTML that is safe to insert as is (made only by the `html` tag). */
class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

type HtmlValue = string | number | SafeHtml | readonly SafeHtml[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    if (value instanceof SafeHtml) out += value.value;
    else if (Array.isArray(value)) out += value.map((v) => v.value).join('');
    else out += escapeHtml(String(value));
    out += strings[i + 1] ?? '';
  });
  return new SafeHtml(out);
}

export interface RenderedMail {
  template: MailTemplate;
  subject: string;
  text: string;
  html: string;
}

export type MailTemplate = 'confirm_sign_up' | 'account_exists';

const SITE = 'Fanlab';

/** The common frame of every HTML mail: one column, readable without images or styles. */
function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font:16px/1.5 system-ui,sans-serif;color:#1d2330">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
${body}
</div></body></html>
`.value;
}

const button = (href: string, label: string) =>
  html`<p><a href="${href}" style="display:inline-block;background:#2b59c3;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${label}</a></p>
<p style="font-size:13px;color:#5b6373">Or paste this link into your browser: ${href}</p>`;

export function confirmSignUpMail(input: { username: string; link: string; hours: number }): RenderedMail {
  const subject = `Confirm your ${SITE} account`;
  return {
    template: 'confirm_sign_up',
    subject,
    text: [
      `Someone, hopefully you, signed up at ${SITE} as "${input.username}" with this address.`,
      '',
      'Open this link to confirm the address and finish creating the account:',
      input.link,
      '',
      `The link works once, for ${input.hours} hours. If you did not sign up, ignore this mail: no account is created.`,
    ].join('\n'),
    html: layout(
      subject,
      html`<p>Someone, hopefully you, signed up at ${SITE} as <strong>${input.username}</strong> with this address.</p>
<p>Confirm the address to finish creating the account:</p>
${button(input.link, 'Confirm and sign in')}
<p style="font-size:13px;color:#5b6373">The link works once, for ${input.hours} hours. If you did not sign up, ignore this mail: no account is created.</p>`,
    ),
  };
}

export function accountExistsMail(input: { username: string; signInLink: string }): RenderedMail {
  const subject = `You already have a ${SITE} account`;
  return {
    template: 'account_exists',
    subject,
    text: [
      `Someone, maybe you, tried to sign up at ${SITE} with this address. It already has an account:`,
      `your username is "${input.username}". No new account was created.`,
      '',
      'Sign in here:',
      input.signInLink,
      '',
      'If it was not you, nothing changed and you can ignore this mail.',
    ].join('\n'),
    html: layout(
      subject,
      html`<p>Someone, maybe you, tried to sign up at ${SITE} with this address. It already has an account: your username is <strong>${input.username}</strong>. No new account was created.</p>
${button(input.signInLink, 'Sign in')}
<p style="font-size:13px;color:#5b6373">If it was not you, nothing changed and you can ignore this mail.</p>`,
    ),
  };
}

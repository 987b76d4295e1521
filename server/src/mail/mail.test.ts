import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { confirmationToken, decodeMail } from '../../test/mail';
import { startTestSmtp, type TestSmtp } from '../../test/smtp';
import { connect, type Db } from '../db/connect';
import { withTx } from '../db/tx';
import { queueMail } from './outbox';
import { accountExistsMail, confirmSignUpMail, escapeHtml, html } from './templates';
import { createMailTransport } from './transport';
import { defaultMailWorker, MailWorker, type MailWorkerOptions } from './worker';

const FROM = 'Fanlab <fanlab@fans.example>';
const quiet = pino({ level: 'silent' });

let t: TestApp;
let smtp: TestSmtp;
const pools: Db[] = [];
const workers: MailWorker[] = [];
beforeAll(async () => {
  t = await startTestApp();
  smtp = await startTestSmtp();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await t.db.deleteFrom('mail_outbox').execute();
  smtp.received.length = 0;
  smtp.refuseNext(0);
  smtp.release();
});
afterAll(async () => {
  for (const pool of pools) await pool.destroy();
  await smtp.close();
  await t.close();
});

/** A worker over its own connection pool, as another server process would have. */
function worker(
  options: Partial<MailWorkerOptions> = {},
  transport = createMailTransport({ smtpUrl: smtp.url, from: FROM, dir: '' }),
) {
  const pool = connect(t.database.url, { max: 6 });
  pools.push(pool);
  const w = new MailWorker(pool, transport, FROM, quiet, { ...defaultMailWorker, ...options });
  workers.push(w);
  return w;
}

const queue = (to: string, n = 1) =>
  withTx(t.db, async (tx) => {
    for (let i = 0; i < n; i++) {
      await queueMail(
        tx,
        to.replace('@', `+${i}@`),
        confirmSignUpMail({ username: `fan${i}`, link: `http://x/${i}`, hours: 24 }),
      );
    }
  });

const outbox = () => t.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();

describe('templates', () => {
  it('escapes every value put into HTML, and only HTML made by the tag passes through', () => {
    const payload = '<script>alert(1)</script>"\'&';
    expect(html`<p>${payload}</p>`.value).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</p>');
    expect(html`<div>${html`<b>${payload}</b>`}</div>`.value).toBe(`<div><b>${escapeHtml(payload)}</b></div>`);
    const mail = accountExistsMail({ username: payload, signInLink: 'http://x/"><img src=x onerror=alert(1)>' });
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain(payload); // the plain-text part is text: nothing to escape
  });
});

describe('the mail worker', () => {
  it('sends queued mail over SMTP once, with its Message-ID, and clears the bodies', async () => {
    await withTx(t.db, (tx) =>
      queueMail(
        tx,
        'ana@example.com',
        confirmSignUpMail({ username: 'ana', link: 'http://fans.example/sign-up/confirm#token=abc', hours: 24 }),
      ),
    );
    expect(await worker().drain()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0];
    expect(got?.to).toEqual(['ana@example.com']);
    expect(got?.from).toBe('fanlab@fans.example');
    expect(got?.header('subject')).toBe('Confirm your Fanlab account');
    const [row] = await outbox();
    expect(got?.header('message-id')).toBe(`<${row?.message_id}@fans.example>`);
    expect(decodeMail(got?.raw ?? '')).toContain('http://fans.example/sign-up/confirm#token=abc');
    expect(got?.raw).toMatch(/Content-Type: text\/plain/i);
    expect(got?.raw).toMatch(/Content-Type: text\/html/i);
    expect(row).toMatchObject({ attempts: 1, text_body: null, html_body: null, failed_at: null });
    expect(row?.sent_at).toBeInstanceOf(Date);
  });

  it('costs one short transaction per idle poll, whatever its concurrency', async () => {
    const idle = new MailWorker(t.db, createMailTransport({ smtpUrl: smtp.url, from: FROM, dir: '' }), FROM, quiet, {
      ...defaultMailWorker,
      concurrency: 4,
    });
    workers.push(idle);
    const before = t.database.stats.queries;
    expect(await idle.drain()).toBe(0);
    expect(t.database.stats.queries - before).toBeLessThanOrEqual(3); // begin, the select, commit
  });

  it('never sends a mail whose transaction rolled back', async () => {
    await expect(
      withTx(t.db, async (tx) => {
        await queueMail(tx, 'ghost@example.com', accountExistsMail({ username: 'ghost', signInLink: 'http://x' }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await worker().drain()).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends each of 300 mails exactly once with two processes draining the outbox at once', async () => {
    await queue('crowd@example.com', 300);
    const [a, b] = [worker({ concurrency: 4 }), worker({ concurrency: 4 })];
    const [byA, byB] = await Promise.all([a.drain(), b.drain()]);
    expect(byA + byB).toBe(300);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    const ids = smtp.received.map((m) => m.header('message-id'));
    expect(new Set(ids).size).toBe(300);
    expect(smtp.received).toHaveLength(300);
    const rows = await outbox();
    expect(rows.every((r) => r.sent_at !== null && r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => `<${r.message_id}@fans.example>`))).toEqual(new Set(ids));
  });

  it('retries a refused mail with back-off, and gives up after the last attempt', async () => {
    await queue('retry@example.com');
    smtp.refuseNext(1);
    const w = worker({ retryBaseMs: 60_000, maxAttempts: 3 });
    await w.drain();
    let [row] = await outbox();
    expect(row).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
    expect(row?.last_error).toMatch(/451/);
    const wait = (row?.next_attempt_at.getTime() ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(55_000);
    expect(await w.drain()).toBe(0); // not due yet
    await t.db.updateTable('mail_outbox').set({ next_attempt_at: sql<Date>`now()` }).execute();
    await w.drain();
    [row] = await outbox();
    expect(row).toMatchObject({ attempts: 2, failed_at: null });
    expect(row?.sent_at).toBeInstanceOf(Date);
    expect(smtp.received).toHaveLength(1);

    await queue('doomed@example.com');
    smtp.refuseNext(10);
    for (let i = 0; i < 3; i++) {
      await t.db
        .updateTable('mail_outbox')
        .set({ next_attempt_at: sql<Date>`now()` })
        .where('sent_at', 'is', null)
        .execute();
      await w.drain();
    }
    const doomed = (await outbox()).at(-1);
    expect(doomed).toMatchObject({ attempts: 3, sent_at: null, text_body: null, html_body: null });
    expect(doomed?.failed_at).toBeInstanceOf(Date);
  });

  it('leaves a mail to another process while one is sending it, and sends it again if the sender dies', async () => {
    await queue('slow@example.com');
    smtp.hold();
    const first = worker({ concurrency: 1 });
    const sending = first.drain().then(
      () => 'recorded',
      () => 'died',
    );
    await expect.poll(() => smtp.heldCount()).toBe(1);
    // while the first holds it, another process skips it instead of waiting or sending it too
    const second = worker({ concurrency: 1 });
    expect(await second.drain()).toBe(0);
    // the first process "dies" before it could record the send: its database session ends
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
               where datname = current_database() and state = 'idle in transaction'`.execute(t.db);
    smtp.release();
    expect(await sending).toBe('died');
    expect((await outbox())[0]?.sent_at).toBeNull(); // its transaction rolled back: the mail is not lost
    expect(await second.drain()).toBe(1);
    const [row] = await outbox();
    expect(row?.sent_at).toBeInstanceOf(Date);
    // the server had accepted the first copy: the repeat carries the same Message-ID, so mail
    // clients show one message
    expect(smtp.received).toHaveLength(2);
    expect(new Set(smtp.received.map((m) => m.header('message-id'))).size).toBe(1);
  });

  it('writes each mail as an .eml file readable only by us when no SMTP server is set', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'fanlab-eml-')), 'mail');
    try {
      const files = worker({}, createMailTransport({ smtpUrl: undefined, from: FROM, dir }));
      await queue('file@example.com', 2);
      expect(await files.drain()).toBe(2);
      const names = readdirSync(dir);
      expect(names.filter((n) => n.endsWith('.eml'))).toHaveLength(2);
      expect(names.filter((n) => n.endsWith('.tmp'))).toHaveLength(0);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const file = path.join(dir, names[0] as string);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const raw = readFileSync(file, 'utf8');
      expect(raw).toMatch(/^To: file\+[01]@example\.com$/m);
      expect(raw).toMatch(/^Subject: Confirm your Fanlab account$/m);
    } finally {
      await rm(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('sign-up mail end to end', () => {
  it('delivers the confirmation link over SMTP, and the link creates the account', async () => {
    const c = new Client(t.app);
    expect(
      (await c.post('/api/auth/sign-up', { username: 'smtp_fan', email: 'smtp.fan@example.com', password: PASSWORD }))
        .status,
    ).toBe(202);
    await worker().drain();
    const mail = smtp.received.find((m) => m.to.includes('smtp.fan@example.com'));
    expect(mail).toBeDefined();
    const token = confirmationToken(decodeMail(mail?.raw ?? ''));
    const done = await c.post('/api/auth/sign-up/confirm', { token });
    expect(done.status).toBe(201);
    expect(done.body.user.username).toBe('smtp_fan');
  });
});

// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp, type TestApp } from '../../test/app';
import { confirmationToken, lastMailTo, mailsTo } from '../../test/mail';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const userCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function expectError(res: { status: number; body: any }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  if (code) expect(res.body.error.code).toBe(code);
}

const pendingCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('pending_signups')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Opens the confirmation link of the newest mail to `email` on `c`. */
async function confirm(c: Client, email: string, extra: Record<string, unknown> = {}) {
  const token = confirmationToken((await lastMailTo(c.app.db, email)).text);
  return c.post('/api/auth/sign-up/confirm', { token, ...extra });
}

describe('sign-up', () => {
  it('mails a link, and opening it creates the account, signs in and sets a safe session cookie', async () => {
    const c = new Client(t.app);
    const before = await userCount();
    const res = await c.post('/api/auth/sign-up', {
      username: 'Maria_99',
      email: 'Maria@Example.com',
      password: PASSWORD,
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'confirmation_sent' });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await userCount()).toBe(before); // nothing exists before the address is proven
    expect((await c.get('/api/me')).body.user).toBeNull();

    const mail = await lastMailTo(t.db, 'Maria@Example.com');
    expect(mail).toMatchObject({ template: 'confirm_sign_up', subject: 'Confirm your Fanlab account' });
    expect(mail.text).toContain('"Maria_99"');
    expect(mail.text).toMatch(/^http:\/\/127\.0\.0\.1:3000\/sign-up\/confirm#token=[A-Za-z0-9_-]{43}$/m);
    // the token is stored hashed: the database alone cannot confirm anything
    const token = confirmationToken(mail.text);
    const pending = await t.db
      .selectFrom('pending_signups')
      .selectAll()
      .where('email', '=', 'Maria@Example.com')
      .executeTakeFirstOrThrow();
    expect(pending.token_hash).not.toContain(token);
    expect(pending.password_hash).toMatch(/^\$argon2id\$/);

    const done = await c.post('/api/auth/sign-up/confirm', { token });
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({ username: 'Maria_99', email: 'Maria@Example.com', role: 'member' });
    expect(done.body.next).toBeNull();
    expect(done.body.user).not.toHaveProperty('password_hash');
    const cookie = String(done.headers['set-cookie']);
    expect(cookie).toMatch(/^fanlab_session=[a-z0-9]{20,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // development: plain http on 127.0.0.1
    const me = await c.get('/api/me');
    expect(me.body.user.username).toBe('Maria_99');
    // the password is stored as an argon2id hash only
    const row = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'Maria_99')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await pendingCount()).toBe(0);
    // the password chosen at sign-up signs in
    expect((await new Client(t.app).post('/api/auth/sign-in', { login: 'maria_99', password: PASSWORD })).status).toBe(
      200,
    );
  });

  it('marks the cookie Secure in production', async () => {
    const prod = await startTestApp({ production: true });
    try {
      const c = new Client(prod.app);
      const res = await c.post('/api/auth/sign-up', {
        username: 'secure_fan',
        email: 'secure@example.com',
        password: PASSWORD,
      });
      expect(res.status).toBe(202);
      const done = await confirm(c, 'secure@example.com');
      expect(done.status).toBe(201);
      expect(String(done.headers['set-cookie'])).toContain('Secure');
    } finally {
      await prod.close();
    }
  });

  it('answers a sign-up with a registered address exactly like one with a new address (no enumeration)', async () => {
    await signUp(new Client(t.app), 'Known_Fan');
    const users = await userCount();
    const ask = (username: string, email: string) =>
      new Client(t.app, { ip: '10.20.0.1' }).post('/api/auth/sign-up', { username, email, password: PASSWORD });
    const shape = (res: Awaited<ReturnType<typeof ask>>) => {
      const { date: _d, 'x-request-id': _r, ...headers } = res.headers;
      return { status: res.status, body: res.body, headers };
    };
    const registered = await ask('someone_new', 'KNOWN_FAN@example.com');
    const fresh = await ask('someone_newer', 'nobody.here@example.com');
    expect(shape(registered)).toEqual(shape(fresh));
    expect(registered.status).toBe(202);
    expect(await userCount()).toBe(users);
    // only the address's owner learns that it has an account, and which
    const told = await lastMailTo(t.db, 'known_fan@example.com');
    expect(told.template).toBe('account_exists');
    expect(told.text).toContain('your username is "Known_Fan"');
    expect(told.text).not.toMatch(/confirm#token/);
    expect((await lastMailTo(t.db, 'nobody.here@example.com')).template).toBe('confirm_sign_up');
    // and nobody can take the registered address over: no pending sign-up was made for it
    expect(
      await t.db.selectFrom('pending_signups').select('id').where('email', 'ilike', 'known_fan@example.com').execute(),
    ).toHaveLength(0);
  });

  it('keeps usernames unique ignoring case, and says a username is taken at once', async () => {
    const c = new Client(t.app);
    await signUp(c, 'CaseFan');
    const before = await userCount();
    expectError(
      await c.post('/api/auth/sign-up', { username: 'casefan', email: 'other1@example.com', password: PASSWORD }),
      409,
      'username_taken',
    );
    expect(await userCount()).toBe(before);
    expect(await mailsTo(t.db, 'other1@example.com')).toHaveLength(0);
  });

  it('lets exactly one of many simultaneous confirmations of the same name (different case) win', async () => {
    const names = ['RaceFan', 'racefan', 'RACEFAN', 'rAcEfAn', 'raceFan', 'Racefan', 'racEFAN', 'RACEfan'];
    for (const [i, username] of names.entries()) {
      const res = await new Client(t.app).post('/api/auth/sign-up', {
        username,
        email: `race${i}@example.com`,
        password: PASSWORD,
      });
      expect(res.status).toBe(202);
    }
    const results = await Promise.all(names.map((_, i) => confirm(new Client(t.app), `race${i}@example.com`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(names.length - 1);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('username_taken');
    const rows = await t.db
      .selectFrom('users')
      .select('username')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', 'racefan'))
      .execute();
    expect(rows).toHaveLength(1);
    // a loser's link still works with another name
    const loser = names.findIndex((_, i) => results[i]?.status === 409);
    const retry = await confirm(new Client(t.app), `race${loser}@example.com`, { username: 'race_fan_two' });
    expect(retry.status).toBe(201);
    expect(retry.body.user.username).toBe('race_fan_two');
  });

  it('creates one account from one link however many times it is opened at once', async () => {
    const c = new Client(t.app);
    expect(
      (await c.post('/api/auth/sign-up', { username: 'clicker', email: 'clicker@example.com', password: PASSWORD }))
        .status,
    ).toBe(202);
    const token = confirmationToken((await lastMailTo(t.db, 'clicker@example.com')).text);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => new Client(t.app).post('/api/auth/sign-up/confirm', { token })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 400, 'link_expired');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'clicker').execute()).toHaveLength(1);
  });

  it('refuses a used, expired, replaced or made-up link', async () => {
    const c = new Client(t.app);
    const ask = (username: string) =>
      c.post('/api/auth/sign-up', { username, email: 'links@example.com', password: PASSWORD, next: '/t/1?x=1#p3' });
    expect((await ask('links_one')).status).toBe(202);
    const first = confirmationToken((await lastMailTo(t.db, 'links@example.com')).text);
    expect((await ask('links_two')).status).toBe(202); // the newer sign-up replaces the first
    const second = confirmationToken((await lastMailTo(t.db, 'links@example.com')).text);
    expectError(await c.post('/api/auth/sign-up/confirm', { token: first }), 400, 'link_expired');
    expectError(await c.post('/api/auth/sign-up/confirm', { token: 'made-up' }), 400, 'link_expired');
    await t.db.updateTable('pending_signups').set({ expires_at: sql<Date>`now() - interval '1 second'` }).execute();
    expectError(await c.post('/api/auth/sign-up/confirm', { token: second }), 400, 'link_expired');
    await t.db.updateTable('pending_signups').set({ expires_at: sql<Date>`now() + interval '1 hour'` }).execute();
    const done = await c.post('/api/auth/sign-up/confirm', { token: second });
    expect(done.status).toBe(201);
    expect(done.body.user.username).toBe('links_two');
    expect(done.body.next).toBe('/t/1?x=1#p3');
    expectError(await c.post('/api/auth/sign-up/confirm', { token: second }), 400, 'link_expired');
    for (const bad of [{}, { token: '' }, { token: second, username: 'bad name' }, { token: 'x'.repeat(201) }]) {
      expectError(await c.post('/api/auth/sign-up/confirm', bad), 400);
    }
  });

  it.each([['//evil.example'], ['/\\evil.example'], ['https://evil.example/'], ['/ spaced']])(
    'keeps only a local path to open after confirming (%s is dropped)',
    async (next) => {
      const email = `next${Math.random().toString(36).slice(2)}@example.com`;
      const c = new Client(t.app);
      const username = `n_${Math.random().toString(36).slice(2, 12)}`;
      expect((await c.post('/api/auth/sign-up', { username, email, password: PASSWORD, next })).status).toBe(202);
      expect((await confirm(c, email)).body.next).toBeNull();
    },
  );

  it('limits sign-ups (so mails) per address', async () => {
    const limited = await startTestApp({ limits: { signUpPerAddress: { max: 2, windowSeconds: 3600 } } });
    try {
      const ask = (ip: string, email: string) =>
        new Client(limited.app, { ip }).post('/api/auth/sign-up', { username: 'flooder', email, password: PASSWORD });
      expect((await ask('10.1.0.1', 'victim@example.com')).status).toBe(202);
      expect((await ask('10.1.0.2', 'Victim@Example.com')).status).toBe(202);
      expectError(await ask('10.1.0.3', 'VICTIM@example.com'), 429, 'rate_limited');
      expect(await mailsTo(limited.db, 'victim@example.com')).toHaveLength(2);
      expect((await ask('10.1.0.3', 'someone.else@example.com')).status).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it.each([
    ['too short', 'short1'],
    ['common', 'qwertyuiop'],
    ['common with digits', 'password123'],
    ['contains the username', 'xx_weakling_xx'],
    ['too few different characters', 'aaaaaaaaaaaa'],
  ])('rejects a weak password (%s)', async (_, password) => {
    const before = await userCount();
    const pendingBefore = await pendingCount();
    const res = await new Client(t.app).post('/api/auth/sign-up', {
      username: 'weakling',
      email: 'weakling@example.com',
      password,
    });
    expectError(res, 400);
    expect(['weak_password', 'validation_failed']).toContain(res.body.error.code);
    expect(await userCount()).toBe(before);
    expect(await pendingCount()).toBe(pendingBefore);
  });

  const good = { username: 'gooduser', email: 'good@example.com', password: PASSWORD };
  it.each<[string, unknown]>([
    ['no body', undefined],
    ['empty object', {}],
    ['missing password', { username: 'gooduser', email: 'good@example.com' }],
    ['missing email', { username: 'gooduser', password: PASSWORD }],
    ['number as username', { ...good, username: 12345 }],
    ['array as email', { ...good, email: ['good@example.com'] }],
    ['object as password', { ...good, password: { length: 20 } }],
    ['null username', { ...good, username: null }],
    ['boolean password', { ...good, password: true }],
    ['username too short', { ...good, username: 'ab' }],
    ['username too long', { ...good, username: 'a'.repeat(21) }],
    ['oversize username', { ...good, username: 'a'.repeat(100_000) }],
    ['oversize email', { ...good, email: `${'a'.repeat(300)}@example.com` }],
    ['oversize password', { ...good, password: 'Zq9!'.repeat(100) }],
    ['username with space', { ...good, username: 'good user' }],
    ['username with a dash', { ...good, username: 'good-user' }],
    ['Cyrillic look-alike username', { ...good, username: 'gооduser' }],
    ['accented username', { ...good, username: 'josé_fan' }],
    ['emoji username', { ...good, username: 'fan🎉fan' }],
    ['zero-width joiner username', { ...good, username: 'good\u200Duser' }],
    ['right-to-left override username', { ...good, username: '\u202Egooduser' }],
    ['NUL byte in username', { ...good, username: 'good\u0000user' }],
    ['NUL byte in email', { ...good, email: 'good\u0000@example.com' }],
    ['SQL in username', { ...good, username: "x'; drop table users; --" }],
    ['SQL in email', { ...good, email: "' or 1=1 --@example.com" }],
    ['email without @', { ...good, email: 'good.example.com' }],
    ['email with spaces', { ...good, email: 'good user@example.com' }],
    ['unknown field', { ...good, role: 'admin' }],
    ['number as next', { ...good, next: 5 }],
    ['oversize next', { ...good, next: `/${'a'.repeat(2000)}` }],
  ])('rejects bad input: %s', async (_, body) => {
    const before = await userCount();
    const pendingBefore = await pendingCount();
    const res = await new Client(t.app).post('/api/auth/sign-up', body);
    expectError(res, 400);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect(await pendingCount()).toBe(pendingBefore);
  });

  it('answers malformed JSON, a wrong content type and an oversize body with 4xx errors', async () => {
    const c = new Client(t.app);
    expectError(await c.request('POST', '/api/auth/sign-up', '{"username":'), 400, 'invalid_json');
    expectError(
      await c.request('POST', '/api/auth/sign-up', 'username=x', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      415,
      'unsupported_media_type',
    );
    expectError(
      await c.request('POST', '/api/auth/sign-up', JSON.stringify({ ...good, username: 'x'.repeat(600_000) })),
      413,
      'payload_too_large',
    );
  });

  it('takes SQL metacharacters in a valid password literally', async () => {
    const c = new Client(t.app);
    const password = "'); delete from users; -- ok";
    const res = await c.post('/api/auth/sign-up', { username: 'sql_pw', email: 'sql.pw@example.com', password });
    expect(res.status).toBe(202);
    expect((await confirm(c, 'sql.pw@example.com')).status).toBe(201);
    const again = new Client(t.app);
    expect((await again.post('/api/auth/sign-in', { login: 'sql_pw', password })).status).toBe(200);
  });
});

describe('sign-in and sessions', () => {
  it('ends a session at its absolute lifetime however much it is used, and never extends it past that', async () => {
    const c = new Client(t.app);
    const user = await signUp(c);
    const age = (days: number, expiresInDays: number) =>
      t.db
        .updateTable('sessions')
        .set({
          created_at: sql<Date>`now() - make_interval(days => ${days})`,
          expires_at: sql<Date>`now() + make_interval(days => ${expiresInDays})`,
        })
        .where('user_id', '=', user.id)
        .execute();
    // 89 days old and due for extension (less than half of 30 days left): extended only to day 90
    await age(89, 5);
    expect((await c.get('/api/me')).body.user?.id).toBe(user.id);
    const row = await t.db
      .selectFrom('sessions')
      .select(sql<number>`extract(epoch from expires_at - created_at)::float8 / 86400`.as('lifetime'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.lifetime).toBeLessThanOrEqual(90.0001);
    expect(row.lifetime).toBeGreaterThan(89.9);
    // 91 days old, however recently used: signed out, cookie cleared
    await age(91, 20);
    const after = await c.get('/api/me');
    expect(after.body.user).toBeNull();
    expect(String(after.headers['set-cookie'])).toMatch(/fanlab_session=;/);
    // and the maintenance sweep deletes it
    await t.app.auth.deleteExpiredSessions();
    expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('signs in by username or email in any case, with a new session id each time', async () => {
    const first = new Client(t.app);
    const user = await signUp(first, 'LoginFan');
    const byName = new Client(t.app);
    expect((await byName.post('/api/auth/sign-in', { login: 'loginfan', password: PASSWORD })).status).toBe(200);
    const byEmail = new Client(t.app);
    const res = await byEmail.post('/api/auth/sign-in', { login: 'LOGINFAN@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    expect(new Set([first.cookie, byName.cookie, byEmail.cookie]).size).toBe(3);

    // signing in again on the same client replaces its session: the old id stops working
    const oldCookie = byName.cookie;
    await byName.post('/api/auth/sign-in', { login: 'loginfan', password: PASSWORD });
    expect(byName.cookie).not.toBe(oldCookie);
    const stale = new Client(t.app);
    stale.cookie = oldCookie;
    expect((await stale.get('/api/me')).body.user).toBeNull();
  });

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const c = new Client(t.app);
    await signUp(c, 'WrongPw');
    const wrong = await new Client(t.app).post('/api/auth/sign-in', { login: 'wrongpw', password: 'not-the-password' });
    const unknown = await new Client(t.app).post('/api/auth/sign-in', {
      login: 'nobody_here',
      password: 'whatever-123',
    });
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const c = new Client(t.app);
    await signUp(c);
    const cookie = c.cookie;
    const res = await c.post('/api/auth/sign-out');
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^fanlab_session=;/);
    const replay = new Client(t.app);
    replay.cookie = cookie;
    expect((await replay.get('/api/me')).body.user).toBeNull();
  });

  it('ends every session on "log out everywhere"', async () => {
    const a = new Client(t.app);
    const user = await signUp(a);
    const b = new Client(t.app);
    await b.post('/api/auth/sign-in', { login: user.username, password: PASSWORD });
    expect((await a.post('/api/auth/sign-out-everywhere')).status).toBe(204);
    expect((await b.get('/api/me')).body.user).toBeNull();
    const rows = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('requires a session for account actions', async () => {
    const c = new Client(t.app);
    expect((await c.get('/api/me')).body).toEqual({ user: null });
    expectError(await c.post('/api/auth/sign-out-everywhere'), 401, 'unauthenticated');
    expectError(await c.post('/api/auth/password', { currentPassword: 'x', newPassword: PASSWORD }), 401);
    expectError(await c.patch('/api/me', { locale: 'es' }), 401);
  });

  it('stores a language preference', async () => {
    const c = new Client(t.app);
    await signUp(c);
    expect((await c.patch('/api/me', { locale: 'es' })).body.user.locale).toBe('es');
    expect((await c.get('/api/me')).body.user.locale).toBe('es');
    expectError(await c.patch('/api/me', { locale: 'xx' }), 400, 'validation_failed');
  });
});

describe('change password', () => {
  it('checks the current password, ends other sessions and keeps this one signed in', async () => {
    const a = new Client(t.app);
    const user = await signUp(a);
    const b = new Client(t.app);
    await b.post('/api/auth/sign-in', { login: user.username, password: PASSWORD });

    expectError(
      await a.post('/api/auth/password', { currentPassword: 'wrong-password', newPassword: 'brand-new-secret-42' }),
      400,
      'wrong_password',
    );
    expectError(await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'qwertyuiop' }), 400);
    expect((await b.get('/api/me')).body.user).not.toBeNull(); // failed attempts changed nothing

    const before = a.cookie;
    const res = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'brand-new-secret-42' });
    expect(res.status).toBe(204);
    expect(a.cookie).not.toBe(before);
    expect((await a.get('/api/me')).body.user.id).toBe(user.id);
    expect((await b.get('/api/me')).body.user).toBeNull();

    expectError(await new Client(t.app).post('/api/auth/sign-in', { login: user.username, password: PASSWORD }), 401);
    const fresh = new Client(t.app);
    expect(
      (await fresh.post('/api/auth/sign-in', { login: user.username, password: 'brand-new-secret-42' })).status,
    ).toBe(200);
  });
});

describe('CSRF: same-origin writes only', () => {
  it('refuses a cookie-authenticated write without Origin or from another origin, changing nothing', async () => {
    const a = new Client(t.app);
    const user = await signUp(a);
    for (const origin of [null, 'https://evil.example', 'http://fanlab.test.evil.example', 'null']) {
      const forged = new Client(t.app, { origin });
      forged.cookie = a.cookie;
      expectError(await forged.post('/api/auth/sign-out-everywhere'), 403, 'bad_origin');
      expectError(await forged.patch('/api/me', { locale: 'es' }), 403, 'bad_origin');
    }
    const me = await a.get('/api/me');
    expect(me.body.user).toMatchObject({ id: user.id, locale: null });
  });

  it('lets reads through without Origin', async () => {
    const a = new Client(t.app);
    await signUp(a);
    const reader = new Client(t.app, { origin: null });
    reader.cookie = a.cookie;
    expect((await reader.get('/api/me')).body.user).not.toBeNull();
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts per IP, and failures per account from one address, with 429 and Retry-After', async () => {
    const limited = await startTestApp({
      limits: {
        signIn: {
          perIp: { max: 3, windowSeconds: 60 },
          failuresPerAccountIp: { max: 2, windowSeconds: 120 },
          slowdown: { afterFailures: 1000, windowSeconds: 600, stepMs: 250, maxDelayMs: 5_000 },
        },
      },
    });
    try {
      await signUp(new Client(limited.app, { ip: '10.0.0.1' }), 'limited_fan');
      const fromOneIp = new Client(limited.app, { ip: '10.0.0.2' });
      for (let i = 0; i < 3; i++) {
        expect(
          (await fromOneIp.post('/api/auth/sign-in', { login: 'limited_fan', password: 'wrong-wrong' })).status,
        ).toBe(i < 2 ? 401 : 429); // the third: two failures for this account from this address
      }
      const blocked = await fromOneIp.post('/api/auth/sign-in', { login: 'limited_fan', password: PASSWORD });
      expectError(blocked, 429, 'rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(120);

      // per IP: attempts for any accounts add up
      const busy = new Client(limited.app, { ip: '10.0.0.3' });
      const statuses = [];
      for (const login of ['a_one', 'a_two', 'a_three', 'a_four']) {
        statuses.push((await busy.post('/api/auth/sign-in', { login, password: 'wrong-wrong' })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);

      // the owner, from another address, still gets in
      const owner = new Client(limited.app, { ip: '10.0.9.9' });
      expect((await owner.post('/api/auth/sign-in', { login: 'LIMITED_FAN', password: PASSWORD })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('cannot be turned into a lock-out: failures from many addresses only slow the account down', async () => {
    const limited = await startTestApp({
      limits: {
        signIn: {
          perIp: { max: 1000, windowSeconds: 600 },
          failuresPerAccountIp: { max: 10, windowSeconds: 600 },
          slowdown: { afterFailures: 5, windowSeconds: 600, stepMs: 100, maxDelayMs: 400 },
        },
      },
    });
    try {
      await signUp(new Client(limited.app, { ip: '10.1.0.1' }), 'target_fan');
      // the attack of the finding: ten wrong passwords from ten addresses, then more from others
      for (let i = 0; i < 30; i++) {
        const res = await new Client(limited.app, { ip: `198.51.100.${i}` }).post('/api/auth/sign-in', {
          login: 'target_fan',
          password: 'wrong-wrong',
        });
        expect(res.status).toBe(401);
      }
      const started = Date.now();
      const owner = new Client(limited.app, { ip: '203.0.113.7' });
      const res = await owner.post('/api/auth/sign-in', { login: 'target_fan', password: PASSWORD });
      expect(res.status).toBe(200); // used to be 429 for ~10 minutes, renewable forever
      expect(Date.now() - started).toBeGreaterThanOrEqual(390); // slowed down, capped
    } finally {
      await limited.close();
    }
  });

  describe('behind a reverse proxy', () => {
    const wrongAttempt = { login: 'proxied_fan', password: 'wrong-wrong' };
    const wrongSignIn = async (client: Client, forwardedFor: string) =>
      (await client.request('POST', '/api/auth/sign-in', wrongAttempt, { 'x-forwarded-for': forwardedFor })).status;
    const ipKeys = async (app: TestApp) =>
      (
        await app.db
          .selectFrom('rate_limits')
          .select('key')
          .where('key', 'like', 'sign-in:ip:%')
          .orderBy('key')
          .execute()
      ).map((r) => r.key);

    async function proxiedApp(trustProxy: string) {
      const app = await startTestApp({
        env: { TRUST_PROXY: trustProxy },
        limits: {
          signIn: {
            perIp: { max: 3, windowSeconds: 60 },
            failuresPerAccountIp: { max: 1_000, windowSeconds: 60 },
            slowdown: { afterFailures: 1_000, windowSeconds: 60, stepMs: 250, maxDelayMs: 5_000 },
          },
        },
      });
      await signUp(new Client(app.app, { ip: '10.200.0.1' }), 'proxied_fan');
      return app;
    }

    it('TRUST_PROXY=1: spoofed left-most X-Forwarded-For entries do not change the client address', async () => {
      const proxied = await proxiedApp('1');
      try {
        // the proxy (the TCP peer) appends the address it saw; the client wrote everything before it
        const proxy = new Client(proxied.app, { ip: '10.0.0.5' });
        const statuses = [];
        for (let i = 1; i <= 6; i++) statuses.push(await wrongSignIn(proxy, `198.51.100.${i}, 203.0.113.7`));
        expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
        // another client behind the same proxy has a budget of its own
        expect(await wrongSignIn(proxy, '198.51.100.1, 203.0.113.8')).toBe(401);
        expect(await ipKeys(proxied)).toEqual(['sign-in:ip:203.0.113.7', 'sign-in:ip:203.0.113.8']);
      } finally {
        await proxied.close();
      }
    });

    it('TRUST_PROXY=<addresses>: only listed proxies are believed, and the client is the right-most other address', async () => {
      const proxied = await proxiedApp('10.0.0.0/8,127.0.0.1');
      try {
        // two proxies in 10.0.0.0/8: the TCP peer and the inner one it recorded
        const proxy = new Client(proxied.app, { ip: '10.1.2.3' });
        const statuses = [];
        for (let i = 1; i <= 5; i++) {
          statuses.push(await wrongSignIn(proxy, `198.51.100.${i}, 203.0.113.7, 10.9.9.9`));
        }
        expect(statuses).toEqual([401, 401, 401, 429, 429]);
        expect(await wrongSignIn(proxy, '203.0.113.8, 10.9.9.9')).toBe(401);
        // a peer outside the list is the client itself, whatever X-Forwarded-For says
        const direct = new Client(proxied.app, { ip: '192.0.2.50' });
        const directStatuses = [];
        for (let i = 1; i <= 4; i++) directStatuses.push(await wrongSignIn(direct, `198.51.100.${i}`));
        expect(directStatuses).toEqual([401, 401, 401, 429]);
        expect(await ipKeys(proxied)).toEqual([
          'sign-in:ip:192.0.2.50',
          'sign-in:ip:203.0.113.7',
          'sign-in:ip:203.0.113.8',
        ]);
      } finally {
        await proxied.close();
      }
    });
  });

  it('limits sign-ups per IP', async () => {
    const limited = await startTestApp({ settings: { signUpsPerIp: { max: 2, windowSeconds: 3600 } } });
    try {
      const c = new Client(limited.app, { ip: '10.9.9.9' });
      await signUp(c);
      await signUp(c);
      const res = await c.post('/api/auth/sign-up', {
        username: 'third_one',
        email: 'third@example.com',
        password: PASSWORD,
      });
      expectError(res, 429, 'rate_limited');
      expect(res.headers['retry-after']).toBeDefined();
      expect(
        await limited.db.selectFrom('users').select('id').where('username', '=', 'third_one').execute(),
      ).toHaveLength(0);
      // another address is not affected
      await signUp(new Client(limited.app, { ip: '10.9.9.10' }));
    } finally {
      await limited.close();
    }
  });
});

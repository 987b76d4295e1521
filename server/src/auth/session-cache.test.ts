// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import type { Session, User } from 'lucia';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { SessionCache } from './session-cache';

const session = (id: string, userId: number, expiresInMs = 60_000): Session => ({
  id,
  userId,
  expiresAt: new Date(Date.now() + expiresInMs),
  fresh: false,
});
const user = (id: number) => ({ id }) as unknown as User;

describe('SessionCache (the structure)', () => {
  const fresh = () => {
    const cache = new SessionCache({ maxEntries: 3, maxAgeMs: 60_000 });
    cache.resume();
    return cache;
  };

  it('never stores a lookup that began before a drop', () => {
    const cache = fresh();
    const read = cache.begin();
    cache.dropUser(99); // anyone: the lookup's member is not known before it ends
    cache.store(read, session('a', 1), user(1));
    expect(cache.lookup('a')).toBeUndefined();
    cache.store(cache.begin(), session('a', 1), user(1));
    expect(cache.lookup('a')?.user.id).toBe(1);
  });

  it('drops a member on the tables’ announcement, on a sessions_revoked message, and all on "all"', () => {
    const cache = fresh();
    cache.store(cache.begin(), session('a', 1), user(1));
    cache.store(cache.begin(), session('b', 2), user(2));
    cache.heard({ channel: 'cache', event: 'users', cursor: null, data: { ids: [1] } });
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.lookup('b')).toBeDefined();
    cache.heard({ channel: 'user:2', event: 'sessions_revoked', cursor: null, data: {} });
    expect(cache.lookup('b')).toBeUndefined();
    cache.store(cache.begin(), session('c', 3), user(3));
    cache.heard({ channel: 'cache', event: 'users', cursor: null, data: {} });
    expect(cache.lookup('c')).toBeUndefined();
  });

  it('forgets expired sessions, keeps at most maxEntries, serves nothing while the listener is away', () => {
    const cache = fresh();
    cache.store(cache.begin(), session('old', 1, -1), user(1));
    expect(cache.lookup('old')).toBeUndefined();
    for (const id of ['a', 'b', 'c', 'd']) cache.store(cache.begin(), session(id, 1), user(1));
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.lookup('d')).toBeDefined();
    cache.suspend();
    expect(cache.lookup('d')).toBeUndefined();
  });
});

describe('cached sessions across processes', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Who /api/me says is signed in (null: nobody). */
  const me = async (client: Client) => {
    const res = await client.get('/api/me');
    expect(res.status).toBe(200);
    return res.body.user as { id: number; role: string } | null;
  };
  /** The same browser (cookie) talking to the other process. */
  const onB = (client: Client) => {
    const other = new Client(b.app);
    other.cookie = client.cookie;
    return other;
  };

  it('signs out on every process within the live delay, and at once on its own', async () => {
    const { client } = await makeUser(a);
    const there = onB(client);
    expect(await me(there)).not.toBeNull();
    const hits = b.app.sessions.stats.hits;
    expect(await me(there)).not.toBeNull();
    expect(b.app.sessions.stats.hits).toBe(hits + 1); // from memory now
    const copy = new Client(a.app);
    copy.cookie = client.cookie;
    expect((await client.post('/api/auth/sign-out')).status).toBe(204);
    expect(await me(copy)).toBeNull(); // the same process: at once
    await b.app.heardAll();
    expect(await me(there)).toBeNull();
  });

  it('ends a session deleted by hand, and shows a role changed by hand', async () => {
    const { client, user: member } = await makeUser(a);
    const there = onB(client);
    expect((await me(there))?.role).toBe('member');
    await a.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', member.id).execute();
    await b.app.heardAll();
    expect((await me(there))?.role).toBe('moderator');
    await a.db.deleteFrom('sessions').where('user_id', '=', member.id).execute();
    await b.app.heardAll();
    expect(await me(there)).toBeNull();
  });

  it('a suspension on one process locks the member out on the other', async () => {
    const { client: admin } = await makeUser(a, { role: 'admin' });
    const { client, user: member } = await makeUser(a);
    const there = onB(client);
    expect(await me(there)).not.toBeNull();
    const res = await admin.put(`/api/moderation/users/${member.id}/sanction`, {
      kind: 'suspend',
      days: 3,
      reason: 'Spam',
    });
    expect(res.status).toBe(204);
    await b.app.heardAll();
    expect(await me(there)).toBeNull();
  });

  it('an API token kept on one process stops there once revoked on the other, expired or its owner demoted', async () => {
    const pm = await makeUser(a, { role: 'product_manager' });
    const token = async () => {
      const res = await pm.client.post('/api/me/tokens', { name: 't', scopes: ['read:ideas'], expiresInDays: 1 });
      expect(res.status).toBe(201);
      return res.body as { token: { id: number }; secret: string };
    };
    const onBWith = (secret: string) =>
      new Client(b.app).request('GET', '/api/ideas', undefined, {
        authorization: `Bearer ${secret}`,
      });
    const revoked = await token();
    expect((await onBWith(revoked.secret)).status).toBe(200);
    // that first request records the owner's visit in the background, which drops what B keeps
    // of them: wait until it is written and heard, then let B keep the token again
    await expect
      .poll(
        async () =>
          (await a.db.selectFrom('users').select('last_seen_at').where('id', '=', pm.user.id).executeTakeFirst())
            ?.last_seen_at,
      )
      .not.toBeNull();
    await b.app.heardAll();
    expect((await onBWith(revoked.secret)).status).toBe(200);
    const hits = b.app.sessions.stats.hits;
    expect((await onBWith(revoked.secret)).status).toBe(200);
    expect(b.app.sessions.stats.hits).toBe(hits + 1); // from memory now
    // recording its use (once a minute) does not drop it
    await a.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', revoked.token.id).execute();
    await b.app.heardAll();
    expect((await onBWith(revoked.secret)).status).toBe(200);
    expect(b.app.sessions.stats.hits).toBe(hits + 2);
    expect((await pm.client.request('DELETE', `/api/me/tokens/${revoked.token.id}`)).status).toBe(204);
    await b.app.heardAll();
    expect((await onBWith(revoked.secret)).status).toBe(401);

    const expired = await token();
    expect((await onBWith(expired.secret)).status).toBe(200);
    await a.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1_000), created_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', expired.token.id)
      .execute();
    await b.app.heardAll();
    expect((await onBWith(expired.secret)).status).toBe(401);

    const demoted = await token();
    expect((await onBWith(demoted.secret)).status).toBe(200);
    await a.db.updateTable('users').set({ role: 'member' }).where('id', '=', pm.user.id).execute();
    await b.app.heardAll();
    expect((await onBWith(demoted.secret)).status).toBe(403);
  });

  it('a password change ends the other devices’ sessions everywhere', async () => {
    const { client, user: member } = await makeUser(a);
    const laptop = new Client(a.app);
    await laptop.post('/api/auth/sign-in', { login: member.username, password: PASSWORD });
    const laptopOnB = onB(laptop);
    expect(await me(laptopOnB)).not.toBeNull();
    const changed = await client.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'another-violet-tractor-dawn',
    });
    expect(changed.status).toBe(204);
    await b.app.heardAll();
    expect(await me(laptopOnB)).toBeNull();
    expect((await me(client))?.id).toBe(member.id); // the device that changed it goes on
  });
});

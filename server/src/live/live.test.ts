import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { TestSocket } from '../../test/socket';
import { setRole } from '../auth/actions';
import { type LiveMessage, publish } from '../db/bus';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await startTestApp({ listen: true });
  b = await startTestApp({ listen: true, database: a.database });
});
afterAll(async () => {
  await b.close();
  await a.close();
});

async function member(app: TestApp) {
  const { client, user } = await makeUser(app);
  return { client, user, cookie: client.cookie ?? '' };
}

/** Announces outside any other work (its own transaction). */
const publishNow = (db: Db, message: LiveMessage) => withTx(db, (tx) => publish(tx, message));

const waitFor = async (check: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('live channel across server instances', () => {
  it('relays a notification raised through one instance to a socket on the other', async () => {
    const { user, cookie } = await member(a);
    const socket = await TestSocket.open(b.baseUrl, { cookie });
    try {
      await socket.subscribe(`user:${user.id}`);
      await a.db
        .transaction()
        .execute((tx) =>
          publish(tx, { channel: `user:${user.id}`, event: 'hello', cursor: 7, data: { from: 'instance A' } }),
        );
      const event = await socket.next((m) => m.type === 'event' && m.event === 'hello');
      expect(event).toMatchObject({ channel: `user:${user.id}`, cursor: 7, data: { from: 'instance A' } });
    } finally {
      socket.close();
    }
  });

  it('delivers nothing from a rolled-back transaction', async () => {
    const { user, cookie } = await member(a);
    const socket = await TestSocket.open(b.baseUrl, { cookie });
    try {
      await socket.subscribe(`user:${user.id}`);
      await a.db
        .transaction()
        .execute(async (tx) => {
          await publish(tx, { channel: `user:${user.id}`, event: 'ghost', cursor: null, data: {} });
          throw new Error('roll back');
        })
        .catch(() => {});
      await publishNow(a.db, { channel: `user:${user.id}`, event: 'real', cursor: null, data: {} });
      await socket.next((m) => m.type === 'event' && m.event === 'real');
      expect(socket.messages.some((m) => m.type === 'event' && m.event === 'ghost')).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('closes the sockets of every session on "log out everywhere", on every instance', async () => {
    const { user, client, cookie } = await member(a);
    const onB = await TestSocket.open(b.baseUrl, { cookie });
    const onA = await TestSocket.open(a.baseUrl, { cookie });
    await onB.subscribe(`user:${user.id}`);
    expect((await client.post('/api/auth/sign-out-everywhere')).status).toBe(204);
    await onB.next((m) => m.type === 'event' && m.event === 'sessions_revoked');
    expect(await onB.closed()).toBe(4001);
    expect(await onA.closed()).toBe(4001);
  });

  it('keeps the sockets of the device that changed its password, closing every other session', async () => {
    const { user, client, cookie } = await member(a);
    const phone = new Client(a.app);
    await phone.post('/api/auth/sign-in', { login: user.username, password: 'violet-tractor-sunrise' });
    const mine = await TestSocket.open(b.baseUrl, { cookie });
    const theirs = await TestSocket.open(b.baseUrl, { cookie: phone.cookie });
    for (const s of [mine, theirs]) {
      await s.subscribe(`user:${user.id}`);
    }
    const res = await client.post('/api/auth/password', {
      currentPassword: 'violet-tractor-sunrise',
      newPassword: 'saffron-bicycle-orbit',
    });
    expect(res.status).toBe(204);
    expect(await theirs.closed()).toBe(4001);
    // the handed-over socket stays open and keeps receiving
    await publishNow(a.db, { channel: `user:${user.id}`, event: 'still-here', cursor: null, data: {} });
    await mine.next((m) => m.type === 'event' && m.event === 'still-here');
    expect(mine.closeCode).toBeUndefined();
    expect(mine.messages.some((m) => m.type === 'event' && m.event === 'sessions_revoked')).toBe(false);
    // a second revocation (log out everywhere) reaches it under its new session
    expect((await client.post('/api/auth/sign-out-everywhere')).status).toBe(204);
    expect(await mine.closed()).toBe(4001);
  });

  it('lets a user read only their own channel and answers bad messages with errors', async () => {
    const { user, cookie } = await member(a);
    const other = await member(a);
    const socket = await TestSocket.open(a.baseUrl, { cookie });
    const anonymous = await TestSocket.open(a.baseUrl);
    try {
      socket.send({ type: 'subscribe', channel: `user:${other.user.id}` });
      expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' });
      anonymous.send({ type: 'subscribe', channel: `user:${user.id}` });
      expect(await anonymous.next((m) => m.type === 'error')).toMatchObject({ code: 'unauthenticated' });

      const cases: Array<[string, string]> = [
        ['not json', 'invalid_message'],
        [JSON.stringify({ type: 'subscribe' }), 'invalid_message'],
        [JSON.stringify({ type: 'subscribe', channel: 'user:1', extra: true }), 'invalid_message'],
        [JSON.stringify({ type: 'subscribe', channel: "user:1'; drop table users" }), 'invalid_message'],
        [JSON.stringify({ type: 'subscribe', channel: 'nosuch:1' }), 'unknown_channel'],
        [JSON.stringify({ type: 'launch' }), 'invalid_message'],
      ];
      for (const [raw, code] of cases) {
        const before = socket.messages.length;
        socket.ws.send(raw);
        await socket.next((m) => socket.messages.indexOf(m) >= before && m.type === 'error');
        expect(socket.messages.slice(before).find((m) => m.type === 'error')).toMatchObject({ code });
      }
      socket.send({ type: 'ping' });
      await socket.next((m) => m.type === 'pong');

      // a forbidden channel delivers nothing
      await publishNow(a.db, { channel: `user:${other.user.id}`, event: 'private', cursor: null, data: {} });
      socket.send({ type: 'ping' });
      await new Promise((r) => setTimeout(r, 200));
      expect(socket.messages.some((m) => m.type === 'event')).toBe(false);
    } finally {
      socket.close();
      anonymous.close();
    }
  });

  it('refuses an upgrade from another origin', async () => {
    const { cookie } = await member(a);
    await expect(TestSocket.open(a.baseUrl, { cookie, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(TestSocket.open(a.baseUrl, { cookie, origin: null })).rejects.toThrow(/403/);
  });

  it('tells clients to resync when the database listener had to reconnect', async () => {
    const { user, cookie } = await member(a);
    const socket = await TestSocket.open(a.baseUrl, { cookie });
    try {
      await socket.subscribe(`user:${user.id}`);
      const dbName = new URL(a.database.url).pathname.slice(1);
      // kill every LISTEN connection on this database (both instances' listeners)
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = ${dbName} and query ilike 'listen%'`.execute(a.db);
      await socket.next((m) => m.type === 'resync', 10_000);
      await publishNow(a.db, { channel: `user:${user.id}`, event: 'after', cursor: null, data: {} });
      await socket.next((m) => m.type === 'event' && m.event === 'after');
    } finally {
      socket.close();
    }
  });
});

describe('ended sessions end their live rights', () => {
  it('closes the sockets of a signed-out session on another instance, and only those', async () => {
    const { user, client, cookie } = await member(a);
    const phone = new Client(a.app);
    await phone.post('/api/auth/sign-in', { login: user.username, password: 'violet-tractor-sunrise' });
    const laptopSocket = await TestSocket.open(b.baseUrl, { cookie });
    const phoneSocket = await TestSocket.open(b.baseUrl, { cookie: phone.cookie });
    for (const s of [laptopSocket, phoneSocket]) await s.subscribe(`user:${user.id}`);

    expect((await client.post('/api/auth/sign-out')).status).toBe(204);
    expect(await laptopSocket.closed()).toBe(4001);
    // the phone's session goes on, its socket too
    await publishNow(a.db, { channel: `user:${user.id}`, event: 'for-the-phone', cursor: 1, data: {} });
    await phoneSocket.next((m) => m.type === 'event' && m.event === 'for-the-phone');
    expect(phoneSocket.closeCode).toBeUndefined();

    // a socket opened again with the ended session's cookie is anonymous: no replay of the channel
    const again = await TestSocket.open(b.baseUrl, { cookie });
    again.send({ type: 'subscribe', channel: `user:${user.id}`, cursor: 0 });
    expect(await again.next((m) => m.type === 'error')).toMatchObject({ code: 'unauthenticated' });
    again.close();
    phoneSocket.close();
  });

  it('closes the sockets of the session a sign-in replaces', async () => {
    const { user, client, cookie } = await member(a);
    const socket = await TestSocket.open(b.baseUrl, { cookie });
    await socket.subscribe(`user:${user.id}`);
    const other = await member(a);
    expect(
      (await client.post('/api/auth/sign-in', { login: other.user.username, password: 'violet-tractor-sunrise' }))
        .status,
    ).toBe(200);
    expect(await socket.closed()).toBe(4001);
  });

  it('closes the sockets of a user whose role changed, on every instance', async () => {
    const { user, cookie } = await member(a);
    await withTx(a.db, (tx) => setRole(tx, null, user.id, 'moderator'));
    const socket = await TestSocket.open(b.baseUrl, { cookie });
    await socket.subscribe(`user:${user.id}`);
    await withTx(a.db, (tx) => setRole(tx, null, user.id, 'member'));
    expect(await socket.closed()).toBe(4001);
    // the session itself is fine: a new socket is authorised with the new role
    const fresh = await TestSocket.open(b.baseUrl, { cookie });
    await fresh.subscribe(`user:${user.id}`);
    fresh.close();
  });

  it('closes sockets whose session expired or whose user was suspended, without any message', async () => {
    const checking = await startTestApp({ listen: true, database: a.database, live: { sessionCheckIntervalMs: 100 } });
    try {
      const expiring = await member(a);
      const suspended = await member(a);
      const fine = await member(a);
      const sockets = await Promise.all(
        [expiring, suspended, fine].map(async (m) => {
          const socket = await TestSocket.open(checking.baseUrl, { cookie: m.cookie });
          await socket.subscribe(`user:${m.user.id}`);
          return socket;
        }),
      );
      const [expiringSocket, suspendedSocket, fineSocket] = sockets as [TestSocket, TestSocket, TestSocket];
      await a.db
        .updateTable('sessions')
        .set({ expires_at: sql<Date>`now() - interval '1 second'` })
        .where('user_id', '=', expiring.user.id)
        .execute();
      await a.db
        .updateTable('users')
        .set({ suspended_until: sql<Date>`now() + interval '1 day'` })
        .where('id', '=', suspended.user.id)
        .execute();
      expect(await expiringSocket.closed()).toBe(4001);
      expect(await suspendedSocket.closed()).toBe(4001);
      await new Promise((r) => setTimeout(r, 300));
      expect(fineSocket.closeCode).toBeUndefined();
      fineSocket.close();
    } finally {
      await checking.close();
    }
  });
});

describe('bounded live resources', () => {
  it('drops a socket that does not read instead of buffering for it', async () => {
    const small = await startTestApp({ listen: true, live: { maxBufferedBytes: 64 * 1024 } });
    try {
      const { user, cookie } = await member(small);
      const socket = await TestSocket.open(small.baseUrl, { cookie });
      await socket.subscribe(`user:${user.id}`);
      expect(small.app.live.clientCount).toBe(1);
      // stop reading: the kernel buffers fill, then the server-side send buffer grows
      (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const filler = 'x'.repeat(7_000);
      for (let i = 0; i < 3_000 && small.app.live.clientCount > 0; i++) {
        await publishNow(small.db, { channel: `user:${user.id}`, event: 'bulk', cursor: i, data: filler });
      }
      await waitFor(() => small.app.live.clientCount === 0, 10_000);
      socket.close();
    } finally {
      await small.close();
    }
  });

  it('drops a socket that stops answering pings', async () => {
    const fast = await startTestApp({ listen: true, live: { pingIntervalMs: 100 } });
    try {
      const silent = await TestSocket.open(fast.baseUrl, { autoPong: false });
      const healthy = await TestSocket.open(fast.baseUrl);
      await waitFor(() => fast.app.live.clientCount === 1, 3_000);
      await silent.closed();
      expect(healthy.closeCode).toBeUndefined();
      healthy.close();
    } finally {
      await fast.close();
    }
  });

  /** `count` readable threads (copies of one made through the API), for channel floods. */
  async function manyThreads(app: TestApp, count: number) {
    const { member, category } = await forumFixture(app);
    const first = await startThread(member, category.id, 'Flood thread', 'x');
    const { rows } = await sql<{ id: number }>`
      insert into threads (category_id, kind, title, author_id, last_poster_id)
      select category_id, kind, title || ' ' || g, author_id, last_poster_id
      from threads, generate_series(1, ${count - 1}) g where id = ${first.id}
      returning id`.execute(app.db);
    return [first.id, ...rows.map((r) => r.id)];
  }

  it('holds at most the channel limit when thousands of subscribes arrive at once', async () => {
    const app = await startTestApp({
      listen: true,
      live: { maxChannelsPerSocket: 50, messageBurst: 100_000, messagesPerSecond: 100_000 },
    });
    try {
      const ids = await manyThreads(app, 400);
      const socket = await TestSocket.open(app.baseUrl);
      const frames = ids.flatMap((id) =>
        Array.from({ length: 12 }, () => JSON.stringify({ type: 'subscribe', channel: `thread:${id}` })),
      );
      for (const frame of frames) socket.ws.send(frame); // 4,800 without waiting for any answer
      await waitFor(
        () => socket.messages.filter((m) => m.type === 'subscribed' || m.type === 'error').length >= ids.length,
        20_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      const subscribed = new Set(
        socket.messages.filter((m) => m.type === 'subscribed').map((m) => (m as { channel: string }).channel),
      );
      expect(subscribed.size).toBe(50);
      expect(
        socket.messages.filter((m) => m.type === 'error' && m.code === 'too_many_channels').length,
      ).toBeGreaterThan(0);
      socket.close();
    } finally {
      await app.close();
    }
  });

  it('accepts only canonical channel names, so one thread has one name', async () => {
    const socket = await TestSocket.open(a.baseUrl);
    try {
      for (const channel of [
        'thread:01',
        'thread:1e0',
        'thread:0x1',
        'thread:+1',
        'thread:1.0',
        'thread:0',
        'thread:99999999999999999',
      ]) {
        const before = socket.messages.length;
        socket.send({ type: 'subscribe', channel });
        await socket.next((m) => socket.messages.indexOf(m) >= before && m.type === 'error');
        expect(socket.messages.slice(before).find((m) => m.type === 'error')).toMatchObject({
          code: 'invalid_message',
        });
      }
    } finally {
      socket.close();
    }
  });

  it('closes a socket that floods messages before the flood reaches the database', async () => {
    const app = await startTestApp({ listen: true, live: { messageBurst: 100, messagesPerSecond: 10 } });
    try {
      const ids = await manyThreads(app, 5);
      const socket = await TestSocket.open(app.baseUrl);
      const queriesBefore = app.database.stats.queries;
      for (let i = 0; i < 20_000; i++) {
        if (socket.closeCode !== undefined) break;
        socket.ws.send(JSON.stringify({ type: 'subscribe', channel: `thread:${ids[i % ids.length]}`, cursor: 0 }));
      }
      expect(await socket.closed()).toBe(4008);
      await new Promise((r) => setTimeout(r, 200));
      // at most the burst got through: 5 channels authorised once each, catch-ups for the rest
      expect(app.database.stats.queries - queriesBefore).toBeLessThanOrEqual(105);
      expect(socket.messages.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
      // a channel already held is not authorised again: re-subscribing without a cursor costs nothing
      const polite = await TestSocket.open(app.baseUrl);
      await polite.subscribe(`thread:${ids[0]}`);
      const held = app.database.stats.queries;
      for (let i = 0; i < 50; i++) await polite.subscribe(`thread:${ids[0]}`);
      expect(app.database.stats.queries - held).toBe(0);
      polite.close();
    } finally {
      await app.close();
    }
  });

  it('caps open sockets per address and per account', async () => {
    const app = await startTestApp({ listen: true, live: { maxSocketsPerIp: 4, maxSocketsPerUser: 2 } });
    try {
      const { cookie } = await member(app);
      const mine = [await TestSocket.open(app.baseUrl, { cookie }), await TestSocket.open(app.baseUrl, { cookie })];
      await expect(TestSocket.open(app.baseUrl, { cookie })).rejects.toThrow(/429/);
      const anonymous = [await TestSocket.open(app.baseUrl), await TestSocket.open(app.baseUrl)];
      await expect(TestSocket.open(app.baseUrl)).rejects.toThrow(/429/); // 4 from 127.0.0.1
      // closing one frees its place
      mine[0]?.close();
      await waitFor(() => app.app.live.clientCount === 3);
      const again = await TestSocket.open(app.baseUrl, { cookie });
      for (const s of [...mine, ...anonymous, again]) s.close();
    } finally {
      await app.close();
    }
  });
});

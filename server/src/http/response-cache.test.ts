// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { cacheLanguage, ResponseCache } from './response-cache';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ResponseCache (the structure)', () => {
  const fresh = (maxBytes = 1 << 20, maxAgeMs = 60_000) => {
    const cache = new ResponseCache({ maxBytes, maxAgeMs });
    cache.resume();
    return cache;
  };
  const fill = (cache: ResponseCache, key: string, body: string, tags: ('lists' | `thread:${number}`)[] = ['lists']) =>
    cache.storeBody(cache.begin(key, tags), Buffer.from(body));

  it('keeps an answer under its key with a weak ETag of its bytes', () => {
    const cache = fresh();
    const entry = fill(cache, 'en /a', '{"a":1}');
    expect(entry?.value.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(cache.lookup('en /a')?.value.body.toString()).toBe('{"a":1}');
    expect(cache.lookup('es /a')).toBeUndefined();
    expect(fill(cache, 'en /b', '{"a":1}')?.value.etag).toBe(entry?.value.etag);
  });

  it('never stores a read that began before a drop of what it shows, or before a clear', () => {
    const cache = fresh();
    const thread = cache.begin('en /t/1', ['thread:1']);
    cache.drop('thread:1');
    expect(cache.storeBody(thread, Buffer.from('old'))).toBeUndefined();
    const other = cache.begin('en /t/2', ['thread:2']);
    cache.drop('thread:1'); // not what it shows
    expect(cache.storeBody(other, Buffer.from('ok'))).toBeDefined();
    const list = cache.begin('en /l', ['lists']);
    cache.clear();
    expect(cache.storeBody(list, Buffer.from('old'))).toBeUndefined();
    expect(cache.lookup('en /l')).toBeUndefined();
  });

  it('drops by tag: a thread event drops that thread and every list, nothing else', () => {
    const cache = fresh();
    fill(cache, 'en /t/1', 'one', ['thread:1']);
    fill(cache, 'en /t/2', 'two', ['thread:2']);
    fill(cache, 'en /l', 'list', ['lists']);
    cache.heard({ channel: 'cache', event: 'threads', cursor: null, data: { ids: [1] } });
    expect(cache.lookup('en /t/1')).toBeUndefined();
    expect(cache.lookup('en /l')).toBeUndefined();
    expect(cache.lookup('en /t/2')?.value.body.toString()).toBe('two');
    cache.heard({ channel: 'thread:2', event: 'post', cursor: 3, data: {} }); // not the cache's channel
    expect(cache.lookup('en /t/2')).toBeDefined();
    cache.heard({ channel: 'cache', event: 'all', cursor: null, data: {} });
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('remembers a bounded number of dropped tags: past it, it starts over, and reads under way stay stale', () => {
    const cache = fresh();
    fill(cache, 'en /kept', 'kept', ['thread:1']);
    const reading = cache.begin('en /t/2', ['thread:2']);
    for (let id = 10; id <= 100_010; id++) cache.drop(`thread:${id}`);
    expect(cache.lookup('en /kept')).toBeUndefined();
    expect(cache.storeBody(reading, Buffer.from('old'))).toBeUndefined();
    expect(fill(cache, 'en /t/3', 'new', ['thread:3'])).toBeDefined();
  });

  it('is bounded by bytes, least recently used first', () => {
    const cache = fresh(8 * 1024);
    const body = 'x'.repeat(700);
    for (let i = 0; i < 8; i++) fill(cache, `en /${i}`, body);
    expect(cache.lookup('en /0')).toBeDefined(); // now the most recently used
    for (let i = 8; i < 12; i++) fill(cache, `en /${i}`, body);
    expect(cache.size.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(cache.lookup('en /0')).toBeDefined();
    expect(cache.lookup('en /1')).toBeUndefined();
    expect(cache.lookup('en /11')).toBeDefined();
    // one answer bigger than an eighth of the cache is not kept
    expect(fill(cache, 'en /big', 'y'.repeat(1100))).toBeUndefined();
  });

  it('serves nothing while the listener is away, and starts empty when it is back', () => {
    const cache = fresh();
    fill(cache, 'en /a', 'a');
    cache.suspend();
    expect(cache.enabled).toBe(false);
    expect(fill(cache, 'en /b', 'b')).toBeUndefined();
    cache.resume();
    expect(cache.lookup('en /a')).toBeUndefined();
    expect(new ResponseCache({ maxBytes: 0, maxAgeMs: 1 }).enabled).toBe(false);
  });

  it('lets an entry live at most maxAgeMs', async () => {
    const cache = fresh(1 << 20, 30);
    fill(cache, 'en /a', 'a');
    await sleep(50);
    expect(cache.lookup('en /a')).toBeUndefined();
  });

  it('keys by the first language of Accept-Language that Fanlab speaks', () => {
    expect(cacheLanguage(undefined)).toBe('en');
    expect(cacheLanguage('es-ES,es;q=0.9,en;q=0.8')).toBe('es');
    expect(cacheLanguage('de-DE, es;q=0.5')).toBe('es');
    expect(cacheLanguage('fr')).toBe('en');
  });
});

describe('anonymous answers from the cache', () => {
  let t: TestApp;
  let other: TestApp;
  let uncached: TestApp;
  let f: Awaited<ReturnType<typeof forumFixture>>;
  let threadId: number;
  const anonymous = () => new Client(t.app);
  /** An anonymous GET straight to the app, without the test client's wait for the bus. */
  const raw = (app: TestApp, url: string, headers: Record<string, string> = {}) =>
    app.app.inject({ method: 'GET', url, headers: { host: 'fanlab.test', ...headers } });

  beforeAll(async () => {
    t = await startTestApp();
    other = await startTestApp({ database: t.database });
    uncached = await startTestApp({ database: t.database, env: { RESPONSE_CACHE_MB: '0' } });
    f = await forumFixture(t);
    threadId = (await startThread(f.member, f.category.id, 'Cached thread', 'The first post')).id;
    for (let i = 0; i < 3; i++) await f.admin.post(`/api/threads/${threadId}/posts`, { body: `Reply ${i}` });
  });
  afterAll(async () => {
    await uncached?.close();
    await other?.close();
    await t?.close();
  });

  it('serves the second read from memory, with an ETag that answers 304', async () => {
    const url = `/api/threads/${threadId}`;
    const first = await anonymous().get(url);
    expect(first.status).toBe(200);
    const hits = t.app.responses.stats.hits;
    const second = await anonymous().get(url);
    expect(t.app.responses.stats.hits).toBe(hits + 1);
    expect(second.body).toEqual(first.body);
    const etag = String(second.headers.etag);
    expect(etag).toMatch(/^W\//);
    expect(second.headers['cache-control']).toBe('no-cache');
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.headers['content-security-policy']).toBeDefined(); // the same headers as any answer
    const notModified = await raw(t, url, { 'if-none-match': etag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect((await raw(t, url, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
  });

  it('holds no byte built for a member: signed-in reads neither fill nor read it', async () => {
    const urls = [
      `/api/threads/${threadId}`,
      `/api/threads?category=${f.category.slug}`,
      '/api/categories',
      '/api/ideas',
    ];
    const { client: reader } = await makeUser(t);
    for (const url of urls) {
      t.app.responses.clear();
      const stored = t.app.responses.stats.stored;
      const signedIn = await reader.get(url);
      expect(signedIn.status).toBe(200);
      expect(t.app.responses.stats.stored).toBe(stored); // a member's answer is never kept
      const fromCache = await anonymous().get(url);
      const built = await new Client(uncached.app).get(url);
      expect(fromCache.body).toEqual(built.body);
    }
    // a member who reads after signing out gets the anonymous answer, from the cache
    await reader.get(`/api/threads/${threadId}`);
    const mine = (await reader.get(`/api/threads/${threadId}`)).body;
    expect(mine.canReply).toBe(true);
    await reader.post('/api/auth/sign-out');
    expect(reader.cookie).toBeUndefined();
    await anonymous().get(`/api/threads/${threadId}`);
    const hits = t.app.responses.stats.hits;
    const after = await reader.get(`/api/threads/${threadId}`);
    expect(t.app.responses.stats.hits).toBe(hits + 1);
    expect(after.body.canReply).toBe(false);
    expect(after.body).toEqual((await new Client(uncached.app).get(`/api/threads/${threadId}`)).body);
  });

  it('drops a page when its thread changes, whatever wrote: a route, or SQL by hand', async () => {
    const url = `/api/threads/${threadId}`;
    await anonymous().get(url);
    await f.member.post(`/api/threads/${threadId}/posts`, { body: 'A new reply everyone must see' });
    expect((await anonymous().get(url)).body.posts.map((p: any) => p.cooked).join()).toContain('everyone must see');
    await t.db.updateTable('threads').set({ title: 'Renamed by hand' }).where('id', '=', threadId).execute();
    expect((await anonymous().get(url)).body.title).toBe('Renamed by hand');
    // the lists it is in, too
    const list = `/api/threads?category=${f.category.slug}`;
    await anonymous().get(list);
    await t.db.updateTable('threads').set({ title: 'Renamed again' }).where('id', '=', threadId).execute();
    expect((await anonymous().get(list)).body.items[0].title).toBe('Renamed again');
  });

  it('drops everything when a category, a setting or a member name changes', async () => {
    const url = `/api/threads/${threadId}`;
    await anonymous().get(url);
    await t.db.updateTable('users').set({ username: 'renamed_author' }).where('id', '=', f.memberUser.id).execute();
    expect((await anonymous().get(url)).body.author.username ?? (await anonymous().get(url)).body.authorUsername).toBe(
      'renamed_author',
    );
    await anonymous().get('/api/categories');
    await t.db.updateTable('categories').set({ name: 'Renamed category' }).where('id', '=', f.category.id).execute();
    const tree = (await anonymous().get('/api/categories')).body.categories;
    expect(tree.find((c: any) => c.id === f.category.id).name).toBe('Renamed category');
    // a member's last-seen time is not something pages show: it drops nothing
    await anonymous().get(url);
    const dropped = t.app.responses.stats.dropped;
    await t.db.updateTable('users').set({ last_seen_at: new Date() }).where('id', '=', f.memberUser.id).execute();
    await t.app.heardAll();
    expect(t.app.responses.stats.dropped).toBe(dropped);
  });

  it('is coherent across processes within the live update delay', async () => {
    const url = `/api/threads/${threadId}`;
    await raw(t, url);
    await raw(other, url);
    const before = JSON.parse((await raw(other, url)).body).posts.length;
    const started = Date.now();
    await f.member.post(`/api/threads/${threadId}/posts`, { body: 'Written through the first process' });
    // the other process shows it as soon as it heard, without any wait of ours
    let seen = 0;
    while (Date.now() - started < 1_000) {
      seen = JSON.parse((await raw(other, url)).body).posts.length;
      if (seen > before) break;
      await sleep(5);
    }
    expect(seen).toBe(before + 1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is neither read nor filled by API token requests', async () => {
    const { client: pm } = await makeUser(t, { role: 'product_manager' });
    const token = (await pm.post('/api/me/tokens', { name: 'cache', scopes: ['read:ideas'], expiresInDays: 7 })).body
      .secret as string;
    await anonymous().get('/api/ideas');
    const { hits, stored } = t.app.responses.stats;
    const res = await raw(t, '/api/ideas', { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBeUndefined();
    expect(t.app.responses.stats).toMatchObject({ hits, stored });
  });

  it('answers concurrent misses of one page with one read', async () => {
    const url = `/api/threads/${threadId}?limit=5`;
    t.app.responses.clear();
    const { stored, misses } = t.app.responses.stats;
    const answers = await Promise.all(Array.from({ length: 20 }, () => raw(t, url)));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(t.app.responses.stats.stored).toBe(stored + 1);
    expect(t.app.responses.stats.misses).toBe(misses + 1);
  });
});

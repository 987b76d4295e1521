// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Response, startTestApp, type TestApp } from '../../test/app';
import { makeCategory } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { TestSocket } from '../../test/socket';

/** Each case here was a 500 (or a non-JSON error) found by fuzzing the API: issue 7, item 2. */

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let thread: Awaited<ReturnType<typeof startThread>>;
let idea: number;
let category: { id: number; slug: string };

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  f = await forumFixture(t);
  const ideas = await makeCategory(t, { slug: 'bad-input-ideas', name: 'Ideas', allowIdeas: true });
  category = await makeCategory(t, { slug: 'bad-input-spare', name: 'Spare' });
  thread = await startThread(f.member, f.category.id);
  const newIdea = async (title: string) =>
    (await f.member.post('/api/threads', { categoryId: ideas.id, kind: 'idea', title, body: 'Please.' })).body
      .id as number;
  idea = await newIdea('Dark mode for everything');
  await newIdea('Offline reading of threads');
  await f.admin.put(`/api/ideas/${idea}/vote`);
});
afterAll(() => t.close());

/** A 400 validation_failed that names `field`. */
function expectRefused(res: Response, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(res.body.error.message).toContain(field);
}

/** A raw JSON body (so that it can hold numbers JavaScript cannot write, like 9999999999999999999). */
const raw = (client: Client, method: string, url: string, body: string) =>
  client.request(method, url, body, { 'content-type': 'application/json' });

describe('NUL characters never reach PostgreSQL', () => {
  it('in path parameters', async () => {
    expectRefused(await f.member.get('/api/categories/a%00b'), 'params.slug');
    expectRefused(await f.member.get('/api/users/a%00b'), 'params.username');
    expectRefused(await f.member.get('/api/users/a%00b/activity?type=threads'), 'params.username');
  });

  it('in query strings', async () => {
    expectRefused(await f.member.get('/api/threads?category=a%00b'), 'querystring.category');
    expectRefused(await f.member.get('/api/ideas?category=a%00b'), 'querystring.category');
    expectRefused(await f.member.get('/api/ideas/similar?q=dark%00mode'), 'querystring.q');
    expectRefused(await f.member.get('/api/search?q=phones%00'), 'querystring.q');
    expectRefused(await f.member.get('/api/search?q=phones&category=a%00b'), 'querystring.category');
    expectRefused(await f.member.get('/api/search?q=phones&author=a%00b'), 'querystring.author');
    expectRefused(await f.admin.get('/api/admin/users?q=a%00'), 'querystring.q');
  });

  it('in JSON bodies', async () => {
    const anonymous = new Client(t.app);
    expectRefused(
      await anonymous.post('/api/auth/sign-in', { login: 'a\u0000b', password: 'whatever-it-is' }),
      'body.login',
    );
    expectRefused(await f.admin.post('/api/admin/categories', { slug: 'nul', name: 'a\u0000b' }), 'body.name');
    expectRefused(
      await f.admin.post('/api/admin/categories', { slug: 'nul', name: 'Nul', description: '\u0000' }),
      'body.description',
    );
    expectRefused(
      await f.admin.put(`/api/ideas/${idea}/status`, { status: 'planned', response: 'a\u0000' }),
      'body.response',
    );
    expectRefused(
      await f.member.post(`/api/threads/${thread.id}/posts`, { body: 'x', zz: { deep: ['\u0000'] } }),
      'body.zz.deep.0',
    );
  });
});

describe('unpaired surrogates never reach a jsonb column', () => {
  it('in an idea status response (notification data)', async () => {
    expectRefused(
      await f.admin.put(`/api/ideas/${idea}/status`, { status: 'planned', response: '\ud800' }),
      'body.response',
    );
    expectRefused(
      await f.admin.post('/api/ideas/status', { ids: [idea], status: 'planned', response: 'x\udc00' }),
      'body.response',
    );
  });

  it('in a category name (audit data)', async () => {
    expectRefused(await f.admin.patch(`/api/admin/categories/${category.id}`, { name: 'a\ud800b' }), 'body.name');
  });

  it('while surrogate pairs (emoji) are welcome', async () => {
    const res = await f.admin.put(`/api/ideas/${idea}/status`, { status: 'planned', response: 'Soon 😀' });
    expect(res.status).toBe(200);
    const renamed = await f.admin.patch(`/api/admin/categories/${category.id}`, { name: 'Spare 😀' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Spare 😀');
  });
});

describe('integers stay within the columns they are compared with', () => {
  it('in path parameters', async () => {
    for (const id of ['9999999999999999999', '1e309', 'Infinity', '1e308', '9007199254740992']) {
      expectRefused(await f.member.get(`/api/ideas/${id}`), 'params.id');
      expectRefused(await f.member.get(`/api/threads/${id}`), 'params.id');
    }
    expect((await f.member.get('/api/threads/9007199254740991')).status).toBe(404);
  });

  it('in body fields', async () => {
    const huge = '9999999999999999999';
    expectRefused(await raw(f.member, 'POST', '/api/notifications/read', `{"ids":[${huge}]}`), 'body.ids.0');
    expectRefused(await raw(f.admin, 'POST', '/api/ideas/status', `{"ids":[${huge}],"status":"open"}`), 'body.ids.0');
    expectRefused(
      await raw(f.member, 'PUT', `/api/threads/${thread.id}/read`, '{"postNumber":2147483648}'),
      'body.postNumber',
    );
    expectRefused(
      await raw(f.member, 'POST', '/api/threads', `{"categoryId":${huge},"title":"A long enough title","body":"x"}`),
      'body.categoryId',
    );
    expectRefused(await raw(f.admin, 'POST', `/api/ideas/${idea}/merge`, `{"intoId":${huge}}`), 'body.intoId');
    expectRefused(
      await raw(f.member, 'POST', `/api/threads/${thread.id}/posts`, '{"body":"x","replyToPostNumber":2147483648}'),
      'body.replyToPostNumber',
    );
    expectRefused(
      await raw(f.admin, 'PATCH', `/api/admin/categories/${category.id}`, `{"parentId":${huge}}`),
      'body.parentId',
    );
    expectRefused(
      await raw(f.member, 'PUT', `/api/threads/${thread.id}/read`, '{"postNumber":1e309}'),
      'body.postNumber',
    );
  });

  it('in query parameters', async () => {
    expectRefused(await f.member.get(`/api/threads/${thread.id}?after=2147483648`), 'querystring.after');
    expectRefused(await f.member.get(`/api/threads/${thread.id}?after=Infinity`), 'querystring.after');
    expect((await f.member.get(`/api/threads/${thread.id}?after=2147483647`)).status).toBe(200);
  });

  it('and the largest values allowed still work', async () => {
    const read = await f.member.put(`/api/threads/${thread.id}/read`, { postNumber: 2147483647 });
    expect(read.status).toBe(200);
    expect(read.body.lastReadPostNumber).toBe(1);
    expect((await f.member.post('/api/notifications/read', { ids: [Number.MAX_SAFE_INTEGER] })).status).toBe(200);
  });
});

describe('an empty category patch', () => {
  it('is a 400, not `update … set where`', async () => {
    expectRefused(await f.admin.patch(`/api/admin/categories/${category.id}`, {}), 'body');
  });
});

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('keyset cursors that decode to values SQL cannot take', () => {
  it('are an invalid_cursor 400 on every list', async () => {
    const cases: [Client, string][] = [
      [f.admin, `/api/admin/users?cursor=${cursor([1e300])}`],
      [f.admin, `/api/admin/users?cursor=${cursor([1.5])}`],
      [f.admin, `/api/admin/audit-log?cursor=${cursor([-1e300])}`],
      [f.member, `/api/notifications?cursor=${cursor([1.5])}`],
      [f.member, `/api/users/${f.memberUser.username}/activity?type=threads&cursor=${cursor([1e300])}`],
      [f.member, `/api/threads?cursor=${cursor([0, '1', 1])}`],
      [f.member, `/api/threads?cursor=${cursor([0, '2024-02-30 00:00:00+00', 1])}`],
      [f.member, `/api/threads?cursor=${cursor([0, '2024-01-01 00:00:00+00', 1.5])}`],
      [f.member, `/api/threads?sort=replies&cursor=${cursor([0, '1.5', 1])}`],
      [f.member, `/api/threads?sort=likes&cursor=${cursor([0, '99999999999', 1])}`],
      [f.member, `/api/ideas?cursor=${cursor([1, 1e300])}`],
      [f.member, `/api/ideas?cursor=${cursor([1, 1.5])}`],
      [f.admin, `/api/ideas/${idea}/voters?cursor=${cursor(['1', 1])}`],
      [f.admin, `/api/ideas/${idea}/voters?cursor=${cursor(['2024-01-01\u0000', 1])}`],
      [f.admin, `/api/ideas/${idea}/voters?cursor=${cursor(['2024-01-01 00:00:00+00', 1e300])}`],
    ];
    for (const [client, url] of cases) {
      const res = await client.get(url);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
  });

  it('while the cursors the lists hand out still work', async () => {
    for (const url of ['/api/threads?limit=1', '/api/threads?limit=1&sort=replies', '/api/ideas?limit=1']) {
      const first = await f.member.get(url);
      expect(first.body.nextCursor, url).toEqual(expect.any(String));
      const next = await f.member.get(`${url}&cursor=${first.body.nextCursor}`);
      expect(next.status, `${url}: ${Buffer.from(first.body.nextCursor, 'base64url')}`).toBe(200);
    }
    await f.member.put(`/api/ideas/${idea}/vote`);
    const voters = await f.admin.get(`/api/ideas/${idea}/voters?limit=1`);
    expect(voters.body.nextCursor).toEqual(expect.any(String));
    const next = await f.admin.get(`/api/ideas/${idea}/voters?limit=1&cursor=${voters.body.nextCursor}`);
    expect(next.status, Buffer.from(voters.body.nextCursor, 'base64url').toString()).toBe(200);
  });
});

describe('search dates', () => {
  it('must be real calendar dates', async () => {
    expectRefused(await f.member.get('/api/search?q=phones&after=2024-13-45'), 'querystring.after');
    expectRefused(await f.member.get('/api/search?q=phones&before=2024-01-00'), 'querystring.before');
    expect((await f.member.get('/api/search?q=phones&after=2024-02-29&before=2024-12-31')).status).toBe(200);
  });
});

describe('paths the router cannot read', () => {
  it('answer JSON errors', async () => {
    const bad = await f.member.get('/api/threads/%ED%A0%80');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_url', message: expect.any(String) });
    // Over maxParamLength: a 414, unless the built client's static wildcard route takes the path (404).
    const long = await f.member.get(`/api/users/${'x'.repeat(201)}`);
    expect([404, 414]).toContain(long.status);
    expect(long.body.error).toMatchObject({
      code: long.status === 414 ? 'uri_too_long' : 'not_found',
      message: expect.any(String),
    });
  });
});

describe('live cursors', () => {
  it('past the integer range catch up with nothing, and past safe integers are refused', async () => {
    const socket = await TestSocket.open(t.baseUrl, { cookie: f.member.cookie });
    try {
      const subscribed = await socket.subscribe(`thread:${thread.id}`, 2 ** 40);
      expect(subscribed).toMatchObject({ type: 'subscribed', cursor: 2 ** 40 });
      socket.send({ type: 'subscribe', channel: `thread:${thread.id}`, cursor: 1e20 });
      const error = await socket.next((m) => m.type === 'error');
      expect(error).toMatchObject({ code: 'invalid_message' });
      expect(socket.messages.some((m) => m.type === 'error' && m.code === 'internal_error')).toBe(false);
    } finally {
      socket.ws.close();
    }
  });
});

// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { BODY_MAX, DRAFTS_PER_USER, TITLE_MAX } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeUser } from '../../test/factories';

let t: TestApp;
let ann: Member;
let ben: Member;
beforeAll(async () => {
  t = await startTestApp();
  ann = await makeUser(t);
  ben = await makeUser(t, { role: 'admin' });
});
afterAll(() => t.close());

const rows = (userId: number) =>
  t.db.selectFrom('drafts').select(['key', 'title', 'body']).where('user_id', '=', userId).orderBy('key').execute();

describe('drafts', () => {
  it('keep a place’s unsent text for its author, return it, replace it, and forget it', async () => {
    expect((await ann.client.get('/api/me/drafts/thread:7')).body).toEqual({ draft: null });
    const saved = await ann.client.put('/api/me/drafts/thread:7', { title: 'Half a title', body: 'Some **text**' });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({ key: 'thread:7', title: 'Half a title', body: 'Some **text**' });
    expect(Date.parse(saved.body.draft.savedAt)).toBeGreaterThan(Date.now() - 60_000);

    const read = await ann.client.get('/api/me/drafts/thread:7');
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.body.draft).toEqual(saved.body.draft);

    await ann.client.put('/api/me/drafts/thread:7', { title: 'A whole title', body: 'More text' });
    expect(await rows(ann.user.id)).toEqual([{ key: 'thread:7', title: 'A whole title', body: 'More text' }]);

    // no text at all forgets it
    expect((await ann.client.put('/api/me/drafts/thread:7', { title: ' ', body: '\n' })).body).toEqual({ draft: null });
    expect(await rows(ann.user.id)).toEqual([]);

    await ann.client.put('/api/me/drafts/reply:3', { body: 'A reply' });
    expect((await ann.client.request('DELETE', '/api/me/drafts/reply:3')).status).toBe(204);
    expect((await ann.client.request('DELETE', '/api/me/drafts/reply:3')).status).toBe(204);
    expect(await rows(ann.user.id)).toEqual([]);
  });

  it('are their author’s alone: staff cannot read them, anonymous callers get 401', async () => {
    await ann.client.put('/api/me/drafts/edit:12', { body: 'My edit' });
    expect((await ben.client.get('/api/me/drafts/edit:12')).body).toEqual({ draft: null });
    await ben.client.request('DELETE', '/api/me/drafts/edit:12');
    expect((await ann.client.get('/api/me/drafts/edit:12')).body.draft.body).toBe('My edit');

    const anonymous = new Client(t.app);
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { body: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await anonymous.request(method, '/api/me/drafts/edit:12', body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBeTypeOf('string');
    }
    await ann.client.request('DELETE', '/api/me/drafts/edit:12');
  });

  it('refuse unknown places and oversized text with 400, writing nothing', async () => {
    for (const key of [
      'post:1',
      'thread:0',
      'thread:-1',
      'reply:abc',
      'reply:1:2',
      `edit:${'9'.repeat(17)}`,
      'edit:',
    ]) {
      const res = await ann.client.put(`/api/me/drafts/${encodeURIComponent(key)}`, { body: 'x' });
      expect(res.status, key).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    for (const body of [
      { body: 'x'.repeat(BODY_MAX + 1) },
      { title: 'x'.repeat(TITLE_MAX + 1), body: 'x' },
      { body: 'x', extra: 1 },
      { title: 'x' },
      { body: 12 },
    ]) {
      const res = await ann.client.put('/api/me/drafts/reply:5', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    expect(await rows(ann.user.id)).toEqual([]);
  });

  it(`keep at most ${DRAFTS_PER_USER} per member, forgetting the oldest, also when saved all at once`, async () => {
    const carl = await makeUser(t);
    for (let i = 1; i <= DRAFTS_PER_USER; i++)
      await carl.client.put(`/api/me/drafts/reply:${i}`, { body: `draft ${i}` });
    expect(await rows(carl.user.id)).toHaveLength(DRAFTS_PER_USER);
    await carl.client.put('/api/me/drafts/reply:1', { body: 'draft 1 again' }); // now the newest
    await carl.client.put('/api/me/drafts/thread:1', { body: 'one more' });
    const keys = (await rows(carl.user.id)).map((r) => r.key);
    expect(keys).toHaveLength(DRAFTS_PER_USER);
    expect(keys).toContain('reply:1');
    expect(keys).toContain('thread:1');
    expect(keys).not.toContain('reply:2'); // the oldest

    // 200 saves at once, of 200 places: still at most the limit, and the last saved are kept
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => carl.client.put(`/api/me/drafts/edit:${i + 1}`, { body: `e${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await rows(carl.user.id)).toHaveLength(DRAFTS_PER_USER);
  });
});

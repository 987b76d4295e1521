// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeIdea, makeUser } from '../../test/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the triage board', () => {
  it('lists ideas by status that have waited at least N days, and tells who may triage', async () => {
    const category = await makeCategory(t, { allowIdeas: true });
    const pm = await makeUser(t, { role: 'product_manager' });
    const member = await makeUser(t);
    const old = await makeIdea(t, member.user, { categoryId: category.id });
    const fresh = await makeIdea(t, member.user, { categoryId: category.id });
    await t.db
      .updateTable('threads')
      .set({ created_at: new Date(Date.now() - 8 * 86_400_000) })
      .where('id', '=', old.id)
      .execute();
    const list = async (q: string) =>
      (await pm.client.get(`/api/ideas?category=${category.slug}&status=open&${q}`)).body.items.map((i: any) => i.id);
    expect((await list('')).sort()).toEqual([old.id, fresh.id].sort());
    expect(await list('minAgeDays=7')).toEqual([old.id]);
    expect(await list('minAgeDays=30')).toEqual([]);
    expect((await pm.client.get('/api/ideas?minAgeDays=0')).status).toBe(400);
    expect((await pm.client.get('/api/me')).body.user).toMatchObject({ canTriage: true, canReview: false });
    expect((await member.client.get('/api/me')).body.user).toMatchObject({ canTriage: false, canReview: false });
  });
});

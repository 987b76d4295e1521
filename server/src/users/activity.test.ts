// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('a profile’s activity', () => {
  it('pages the posts a member liked, newest like first, past the first page', async () => {
    const f = await forumFixture(t);
    const thread = await startThread(f.member, f.category.id, 'Likes across pages', 'The first post');
    const { client: liker, user } = await makeUser(t);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await f.admin.post(`/api/threads/${thread.id}/posts`, { body: `Reply ${i}` })).body.id);
    }
    for (const id of ids) expect((await liker.put(`/api/posts/${id}/like`)).status).toBe(200);
    const url = `/api/users/${user.username}/activity?type=likes&limit=2`;
    const first = await liker.get(url);
    expect(first.body.items.map((i: any) => i.postNumber)).toEqual([4, 3]);
    // the second page failed with a 500 (a record compared with a row)
    const second = await liker.get(`${url}&cursor=${first.body.nextCursor}`);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.items.map((i: any) => i.postNumber)).toEqual([2]);
    expect(second.body.nextCursor).toBeNull();
  });
});

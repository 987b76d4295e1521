// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
});
afterAll(() => t?.close());

const postOf = (detail: any, number: number) => detail.posts.find((p: any) => p.postNumber === number);

describe('bookmarks', () => {
  it('keeps a post for its member alone, shown on the thread page and in their list, newest first', async () => {
    const thread = await startThread(f.member, f.category.id, 'A thread worth keeping', 'The first post');
    const replies: number[] = [];
    for (let i = 0; i < 3; i++) {
      replies.push((await f.admin.post(`/api/threads/${thread.id}/posts`, { body: `Reply ${i}` })).body.id);
    }
    const { client: reader } = await makeUser(t);
    const { client: other } = await makeUser(t);
    for (const id of [replies[0], replies[2], replies[1]]) {
      const res = await reader.put(`/api/posts/${id}/bookmark`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ bookmarked: true });
    }
    expect((await reader.put(`/api/posts/${replies[0]}/bookmark`)).body).toEqual({ bookmarked: true }); // idempotent

    const page = (await reader.get(`/api/threads/${thread.id}`)).body;
    expect(postOf(page, 2).bookmarkedByMe).toBe(true);
    expect(postOf(page, 1).bookmarkedByMe).toBe(false);
    expect(postOf((await other.get(`/api/threads/${thread.id}`)).body, 2).bookmarkedByMe).toBe(false);
    expect(postOf((await new Client(t.app).get(`/api/threads/${thread.id}`)).body, 2).bookmarkedByMe).toBe(false);

    // newest first, two to a page
    const first = await reader.get('/api/me/bookmarks?limit=2');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items.map((b: any) => b.postId)).toEqual([replies[1], replies[2]]);
    expect(first.body.items[0]).toMatchObject({
      threadId: thread.id,
      threadTitle: 'A thread worth keeping',
      postNumber: 3,
      excerpt: 'Reply 1',
    });
    const second = await reader.get(`/api/me/bookmarks?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.items.map((b: any) => b.postId)).toEqual([replies[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await other.get('/api/me/bookmarks')).body.items).toEqual([]);

    // taken back; a deleted post leaves the list (and comes back with the post)
    expect((await reader.request('DELETE', `/api/posts/${replies[2]}/bookmark`)).body).toEqual({ bookmarked: false });
    expect((await f.admin.request('DELETE', `/api/posts/${replies[1]}`)).status).toBe(204);
    expect((await reader.get('/api/me/bookmarks')).body.items.map((b: any) => b.postId)).toEqual([replies[0]]);
    expect((await f.admin.post(`/api/posts/${replies[1]}/restore`)).status).toBeLessThan(300);
    expect((await reader.get('/api/me/bookmarks')).body.items.map((b: any) => b.postId)).toEqual([
      replies[1],
      replies[0],
    ]);
  });

  it('refuses what is not there and what is not a list position', async () => {
    const { client: reader } = await makeUser(t);
    expect((await reader.put('/api/posts/999999999/bookmark')).status).toBe(404);
    expect((await reader.get('/api/me/bookmarks?cursor=zzz')).status).toBe(400);
    expect((await reader.get('/api/me/bookmarks?limit=0')).status).toBe(400);
    expect((await new Client(t.app).get('/api/me/bookmarks')).status).toBe(401);
  });
});

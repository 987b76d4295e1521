// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makePost, makeThread, makeUser } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import type { CategoryRow } from '../db/schema';

let t: TestApp;
let category: CategoryRow;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  category = await makeCategory(t);
});
afterAll(() => t?.close());

const fan = () => makeUser(t);
const kinds = async (client: Client) =>
  (await client.get('/api/notifications')).body.items.map(
    (n: any) => `${n.kind}:${n.actor?.username}:${n.postNumber}:${n.actorCount}`,
  );
const level = async (client: Client, threadId: number) =>
  (await client.get(`/api/threads/${threadId}`)).body.notificationLevel;
const setThread = (client: Client, threadId: number, value: string) =>
  client.put(`/api/threads/${threadId}/notification-level`, { level: value });
const setCategory = (client: Client, categoryId: number, value: string) =>
  client.put(`/api/categories/${categoryId}/notification-level`, { level: value });

describe('notification levels', () => {
  it('a watched thread tells of every new post, grouped while unread, and never twice for one post', async () => {
    const author = await fan();
    const watcher = await fan();
    const other = await fan();
    const thread = await makeThread(t, author.user, { categoryId: category.id });
    expect(await level(watcher.client, thread.id)).toBe('normal');
    expect((await setThread(watcher.client, thread.id, 'watching')).body).toEqual({ level: 'watching' });
    expect(await level(watcher.client, thread.id)).toBe('watching');

    const socket = await TestSocket.open(t.baseUrl, { cookie: watcher.client.cookie });
    await socket.subscribe(`user:${watcher.user.id}`);
    await makePost(t, other.user, thread.id, 'First news'); // post 2
    const live: any = await socket.next((m: any) => m.type === 'event' && m.data?.notification?.kind === 'posted');
    expect(live.data.notification).toMatchObject({ postNumber: 2, actorCount: 1, threadId: thread.id });
    expect(live.data.unreadCount).toBe(1);
    socket.close();

    await makePost(t, author.user, thread.id, 'More news'); // post 3
    await makePost(t, other.user, thread.id, `Hello @${watcher.user.username}`); // post 4: a mention instead
    await makePost(t, watcher.user, thread.id, 'My own words', 2); // post 5, to post 2: not to the watcher
    const o = other.user.username;
    // one unread `posted` for posts 2 and 3 (the first one linked, the last poster named), the mention apart
    expect(await kinds(watcher.client)).toEqual([`mention:${o}:4:1`, `posted:${author.user.username}:2:2`]);

    // once read, the next post starts a new one
    await watcher.client.post('/api/notifications/read', { all: true });
    await makePost(t, other.user, thread.id, 'Later news'); // post 6
    expect((await kinds(watcher.client))[0]).toBe(`posted:${o}:6:1`);

    // the author watches their own thread: a reply to someone else's post tells them too
    expect(await level(author.client, thread.id)).toBe('watching');
    expect((await kinds(author.client)).filter((k: string) => k.startsWith('posted'))).toEqual([
      `posted:${watcher.user.username}:5:1`,
    ]);
  });

  it('a muted thread (or category) tells nothing, not even mentions, and leaves Unread and New', async () => {
    const author = await fan();
    const muter = await fan();
    const muted = await makeCategory(t);
    const thread = await makeThread(t, muter.user, { categoryId: category.id });
    await setThread(muter.client, thread.id, 'muted');
    await makePost(t, author.user, thread.id, `Dear @${muter.user.username}`);
    const post = await makePost(t, author.user, thread.id, 'A reply to the first post', 1);
    expect((await muter.client.put(`/api/posts/${post}/like`)).status).toBe(200); // they may still act
    expect((await author.client.put(`/api/posts/${thread.firstPostId}/like`)).status).toBe(200);
    expect(await kinds(muter.client)).toEqual([]);

    // a whole category; a thread's own level wins over it
    await setCategory(muter.client, muted.id, 'muted');
    const inMuted = await makeThread(t, author.user, { categoryId: muted.id });
    const chosen = await makeThread(t, author.user, { categoryId: muted.id });
    expect(await level(muter.client, inMuted.id)).toBe('muted');
    await setThread(muter.client, chosen.id, 'normal');
    await makePost(t, author.user, inMuted.id, `@${muter.user.username} look`);
    await makePost(t, author.user, chosen.id, `@${muter.user.username} look here`);
    expect(await kinds(muter.client)).toEqual([`mention:${author.user.username}:2:1`]);

    // New leaves muted threads out
    const fresh = await makeThread(t, author.user, { categoryId: muted.id });
    const newIds = (await muter.client.get('/api/threads?filter=new&limit=100')).body.items.map((i: any) => i.id);
    expect(newIds).not.toContain(fresh.id);
    expect(newIds).toContain(chosen.id);
  });

  it('Unread holds read threads (tracked by default) and watched ones, not normal or muted ones', async () => {
    const author = await fan();
    const reader = await fan();
    const [tracked, watched, normal, muted] = await Promise.all(
      [0, 1, 2, 3].map(() => makeThread(t, author.user, { categoryId: category.id })),
    );
    if (!tracked || !watched || !normal || !muted) throw new Error('threads not made');
    const threads = [tracked, watched, normal, muted];
    for (const th of threads) {
      await makePost(t, author.user, th.id, 'Second post');
      expect((await reader.client.put(`/api/threads/${th.id}/read`, { postNumber: 2 })).status).toBe(200);
      await makePost(t, author.user, th.id, 'Third post, unread');
    }
    expect(await level(reader.client, tracked.id)).toBe('tracking');
    await setThread(reader.client, watched.id, 'watching');
    await setThread(reader.client, normal.id, 'normal');
    await setThread(reader.client, muted.id, 'muted');
    const unread = (await reader.client.get('/api/threads?filter=unread&limit=100')).body.items.map((i: any) => i.id);
    expect(unread.filter((id: number) => threads.some((th) => th.id === id)).sort()).toEqual(
      [tracked.id, watched.id].sort(),
    );
  });

  it('a watched category tells of new threads and every post; tracked, of new threads; sub-categories follow unless chosen', async () => {
    const author = await fan();
    const watcher = await fan();
    const tracker = await fan();
    const parent = await makeCategory(t);
    const child = await makeCategory(t, { parentId: parent.id });
    const chosen = await makeCategory(t, { parentId: parent.id });
    await setCategory(watcher.client, parent.id, 'watching');
    await setCategory(watcher.client, chosen.id, 'normal');
    await setCategory(tracker.client, parent.id, 'tracking');

    const inChild = await makeThread(t, author.user, { categoryId: child.id });
    const inChosen = await makeThread(t, author.user, { categoryId: chosen.id });
    await makePost(t, author.user, inChild.id, 'A reply in the child');
    await makePost(t, author.user, inChosen.id, 'A reply in the chosen one');
    const a = author.user.username;
    expect(await kinds(watcher.client)).toEqual([`posted:${a}:2:1`, `new_thread:${a}:1:1`]);
    expect(await kinds(tracker.client)).toEqual([`new_thread:${a}:1:1`, `new_thread:${a}:1:1`]);
    expect(await level(watcher.client, inChild.id)).toBe('watching');
    expect(await level(watcher.client, inChosen.id)).toBe('normal');
    expect(await level(tracker.client, inChild.id)).toBe('tracking');

    expect((await watcher.client.get('/api/me/notification-levels/categories')).body.items).toEqual(
      [
        { categoryId: parent.id, level: 'watching' },
        { categoryId: chosen.id, level: 'normal' },
      ].sort((x, y) => x.categoryId - y.categoryId),
    );
  });

  it('lists the threads you watch or muted, newest choice first, paged', async () => {
    const author = await fan();
    const member = await fan();
    const oldest = await makeThread(t, author.user, { categoryId: category.id });
    const middle = await makeThread(t, author.user, { categoryId: category.id });
    const newest = await makeThread(t, author.user, { categoryId: category.id });
    for (const th of [oldest, middle, newest]) await setThread(member.client, th.id, 'watching');
    await setThread(member.client, oldest.id, 'muted');
    const first = await member.client.get('/api/me/notification-levels/threads?level=watching&limit=1');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body.items.map((i: any) => i.threadId)).toEqual([newest.id]);
    const second = await member.client.get(
      `/api/me/notification-levels/threads?level=watching&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((i: any) => i.threadId)).toEqual([middle.id]);
    expect(second.body.nextCursor).toBeNull();
    const mutedList = (await member.client.get('/api/me/notification-levels/threads?level=muted')).body.items;
    expect(mutedList).toEqual([expect.objectContaining({ threadId: oldest.id, level: 'muted' })]);
  });

  it('refuses bad levels, unknown places and anonymous callers with clear errors', async () => {
    const member = await fan();
    const thread = await makeThread(t, member.user, { categoryId: category.id });
    const bad = await setThread(member.client, thread.id, 'loud');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await member.client.put(`/api/threads/${thread.id}/notification-level`, {})).status).toBe(400);
    expect((await setThread(member.client, 999_999_999, 'muted')).status).toBe(404);
    expect((await setCategory(member.client, 999_999_999, 'muted')).status).toBe(404);
    expect((await member.client.get('/api/me/notification-levels/threads?level=tracking')).status).toBe(400);
    const anonymous = await new (member.client.constructor as any)(t.app).get('/api/me/notification-levels/categories');
    expect(anonymous.status).toBe(401);
  });

  it('counts every one of 200 concurrent replies in a watcher’s one grouped notification', async () => {
    const author = await fan();
    const watcher = await fan();
    const posters = await Promise.all(Array.from({ length: 10 }, () => fan()));
    const thread = await makeThread(t, author.user, { categoryId: category.id });
    await setThread(watcher.client, thread.id, 'watching');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => makePost(t, (posters[i % 10] ?? author).user, thread.id, `Reply ${i}`)),
    );
    const rows = await t.db
      .selectFrom('notifications')
      .select(['actor_count', 'post_id'])
      .where('user_id', '=', watcher.user.id)
      .where('kind', '=', 'posted')
      .execute();
    expect(rows).toEqual([{ actor_count: 200, post_id: expect.any(Number) }]);
    const first = await t.db
      .selectFrom('posts')
      .select('id')
      .where('thread_id', '=', thread.id)
      .where('post_number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(rows[0]?.post_id).toBe(first.id);
    expect((await watcher.client.get('/api/notifications')).body.unreadCount).toBe(1);
  });
});

// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { TestSocket } from '../../test/socket';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  f = await forumFixture(t);
});
afterAll(() => t.close());

const fan = () => makeUser(t);

const kinds = async (client: Client) =>
  (await client.get('/api/notifications')).body.items.map((n: any) => `${n.kind}:${n.actor?.username}:${n.postNumber}`);

describe('notifications', () => {
  it('tells the thread author about replies, a post author about replies to it, and mentioned and quoted people', async () => {
    const author = await fan();
    const replier = await fan();
    const mentioned = await fan();
    const quoted = await fan();
    const thread = await startThread(author.client, f.category.id, 'Who gets notified here');
    await quoted.client.post(`/api/threads/${thread.id}/posts`, { body: 'quotable words' }); // post 2

    await replier.client.post(`/api/threads/${thread.id}/posts`, { body: 'plain reply' }); // post 3 → author
    await replier.client.post(`/api/threads/${thread.id}/posts`, { body: 'to you', replyToPostNumber: 2 }); // post 4 → quoted
    await replier.client.post(`/api/threads/${thread.id}/posts`, {
      body: `hey @${mentioned.user.username} and @${replier.user.username}, also @nobody_at_all`,
    }); // post 5 → mentioned (not self)
    await replier.client.post(`/api/threads/${thread.id}/posts`, {
      body: `[quote="${quoted.user.username}, post:2, thread:${thread.id}"]\nquotable words\n[/quote]\n\nindeed`,
    }); // post 6 → quoted (+ author for the reply)
    await replier.client.post(`/api/threads/${thread.id}/posts`, {
      body: `[quote="${mentioned.user.username}, post:2, thread:${thread.id}"]\nforged attribution\n[/quote]`,
    }); // post 7: the name does not match post 2's author → no quote notification

    const r = replier.user.username;
    expect(await kinds(author.client)).toEqual([
      `reply:${r}:7`,
      `reply:${r}:6`,
      `reply:${r}:5`,
      `posted:${r}:4`, // a reply to someone else's post: the author watches their thread (levels.test.ts)
      `reply:${r}:3`,
      `reply:${quoted.user.username}:2`,
    ]);
    expect(await kinds(quoted.client)).toEqual([`quote:${r}:6`, `reply:${r}:4`]);
    expect(await kinds(mentioned.client)).toEqual([`mention:${r}:5`]);
    expect(await kinds(replier.client)).toEqual([]);

    const list = await author.client.get('/api/notifications');
    expect(list.body.unreadCount).toBe(6);
    expect(list.body.items[0]).toMatchObject({
      threadId: thread.id,
      threadTitle: 'Who gets notified here',
      read: false,
    });
  });

  it('pages, marks read (some or all) and refuses bad input', async () => {
    const author = await fan();
    const other = await fan();
    const thread = await startThread(author.client, f.category.id, 'Many replies to page');
    for (let i = 0; i < 5; i++) await other.client.post(`/api/threads/${thread.id}/posts`, { body: `r${i}` });
    const first = await author.client.get('/api/notifications?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await author.client.get(`/api/notifications?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);

    const marked = await author.client.post('/api/notifications/read', { ids: [first.body.items[0].id] });
    expect(marked.body.unreadCount).toBe(4);
    // someone else's notification ids change nothing
    expect(
      (await other.client.post('/api/notifications/read', { ids: [first.body.items[1].id] })).body.unreadCount,
    ).toBe(0);
    expect((await author.client.get('/api/notifications')).body.unreadCount).toBe(4);
    expect((await author.client.post('/api/notifications/read', { all: true })).body.unreadCount).toBe(0);

    for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { ids: [1], all: true }]) {
      expect((await author.client.post('/api/notifications/read', body)).status).toBe(400);
    }
    expect((await new Client(t.app).get('/api/notifications')).status).toBe(401);
  });

  it('groups likes while unread and starts a new group once read', async () => {
    const author = await fan();
    const thread = await startThread(author.client, f.category.id, 'A post people like');
    const postId = thread.posts[0]?.id;
    const likers = await Promise.all([fan(), fan(), fan()]);
    for (const l of likers.slice(0, 2)) await l.client.put(`/api/posts/${postId}/like`);
    let likes = (await author.client.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'like');
    expect(likes).toHaveLength(1);
    expect(likes[0].actorCount).toBe(2);
    await author.client.post('/api/notifications/read', { all: true });
    await likers[2]?.client.put(`/api/posts/${postId}/like`);
    likes = (await author.client.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'like');
    expect(likes.map((n: any) => [n.actorCount, n.read])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('arrives live, and a reconnecting client catches up from its cursor', async () => {
    const author = await fan();
    const other = await fan();
    const thread = await startThread(author.client, f.category.id, 'Live notifications');
    const socket = await TestSocket.open(t.baseUrl, { cookie: author.client.cookie });
    await socket.subscribe(`user:${author.user.id}`);
    await other.client.post(`/api/threads/${thread.id}/posts`, { body: 'ping' });
    const live: any = await socket.next((m) => m.type === 'event' && m.event === 'notification');
    expect(live.data).toMatchObject({
      unreadCount: 1,
      notification: { kind: 'reply', threadId: thread.id, postNumber: 2 },
    });
    const cursor = live.cursor as number;
    socket.close();

    // while away: two more replies
    await other.client.post(`/api/threads/${thread.id}/posts`, { body: 'pong' });
    await other.client.post(`/api/threads/${thread.id}/posts`, { body: 'ping again' });
    const back = await TestSocket.open(t.baseUrl, { cookie: author.client.cookie });
    const subscribed: any = await back.subscribe(`user:${author.user.id}`, cursor);
    const missed = back.messages.filter((m: any) => m.type === 'event' && m.event === 'notification') as any[];
    expect(missed.map((m) => m.data.notification.postNumber)).toEqual([3, 4]);
    expect(subscribed.cursor).toBe(missed[1].cursor);
    back.close();
  });

  it('announces new posts on the thread channel with catch-up by post number', async () => {
    const author = await fan();
    const thread = await startThread(author.client, f.category.id, 'Thread channel test');
    const watcher = await TestSocket.open(t.baseUrl);
    await watcher.subscribe(`thread:${thread.id}`);
    await author.client.post(`/api/threads/${thread.id}/posts`, { body: 'second' });
    const event: any = await watcher.next((m) => m.type === 'event' && m.event === 'post_created');
    expect(event).toMatchObject({ cursor: 2, data: { postNumber: 2, authorId: author.user.id } });
    watcher.close();

    await author.client.post(`/api/threads/${thread.id}/posts`, { body: 'third' });
    const late = await TestSocket.open(t.baseUrl);
    const sub: any = await late.subscribe(`thread:${thread.id}`, 2);
    expect(late.messages.filter((m: any) => m.event === 'post_created').map((m: any) => m.cursor)).toEqual([3]);
    expect(sub.cursor).toBe(3);

    // a deleted thread's channel is closed to members
    const gone = await startThread(author.client, f.category.id, 'Deleted thread channel');
    await author.client.request('DELETE', `/api/threads/${gone.id}`);
    late.send({ type: 'subscribe', channel: `thread:${gone.id}` });
    expect(await late.next((m) => m.type === 'error')).toMatchObject({ code: 'unauthenticated' });
    late.close();
  });
});

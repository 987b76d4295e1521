// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { ErrorCodes } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeNewMember, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let moderator: Member;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp({ settings: { newMemberHoldFirstPosts: 2, repeatPostMinutes: 5 } });
  moderator = await makeUser(t, { role: 'moderator' });
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

const newMember = () => makeNewMember(t);
const aThread = async () => (await makeThread(t, moderator.user, { categoryId })).id;
const threadRow = (id: number) => t.db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** The queue item of a held post. */
async function heldItem(queuedId: number) {
  const res = await moderator.client.get('/api/review?type=queued_post&limit=100');
  expect(res.status).toBe(200);
  const row = await t.db
    .selectFrom('reviewables')
    .select('id')
    .where('queued_post_id', '=', queuedId)
    .executeTakeFirstOrThrow();
  return res.body.items.find((i: any) => i.id === row.id);
}
const decide = (m: Member, item: { id: number; version: number }, body: object) =>
  m.client.post(`/api/review/${item.id}/actions`, { version: item.version, ...body });

describe('posts held for approval', () => {
  it('holds a new member’s first replies unseen, and publishes one at the end of its thread when approved', async () => {
    const fan = await newMember();
    const reader = await makeUser(t);
    const id = await aThread();
    await reader.client.post(`/api/threads/${id}/posts`, { body: 'A reply before.' });
    const before = await threadRow(id);

    const res = await fan.client.post(`/api/threads/${id}/posts`, {
      body: `Hello @${reader.user.username}, my first post`,
    });
    expect(res.status).toBe(202);
    expect(res.body.queued).toMatchObject({ kind: 'reply', status: 'pending', reason: 'new_member', postNumber: null });
    expect(res.body.queued.thread).toEqual({ id, title: before.title });
    // nothing published: the thread, its numbers, readers' pages and notifications are untouched
    expect(await threadRow(id)).toMatchObject({
      post_count: before.post_count,
      highest_post_number: before.highest_post_number,
    });
    const page = await reader.client.get(`/api/threads/${id}`);
    expect(page.body.posts.map((p: any) => p.author.username)).not.toContain(fan.user.username);
    const mentions = () =>
      t.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', reader.user.id)
        .where('kind', '=', 'mention')
        .execute();
    expect(await mentions()).toEqual([]);
    expect((await fan.client.get('/api/me/queued-posts')).body.items.map((q: any) => q.status)).toEqual(['pending']);

    // in the one queue, with what it is and why
    const item = await heldItem(res.body.queued.id);
    expect(item).toMatchObject({
      type: 'queued_post',
      status: 'pending',
      topReason: 'new_member',
      held: { kind: 'reply', reason: 'new_member' },
      post: { id: null, postNumber: null, author: { username: fan.user.username } },
      thread: { id, title: before.title },
    });
    expect(item.post.excerpt).toContain('my first post');
    const detail = await moderator.client.get(`/api/review/${item.id}`);
    expect(detail.body.post.cooked).toContain('my first post');

    const approved = await decide(moderator, item, { action: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const after = await threadRow(id);
    expect(after).toMatchObject({
      post_count: before.post_count + 1,
      highest_post_number: before.highest_post_number + 1,
    });
    const post = await t.db
      .selectFrom('posts')
      .selectAll()
      .where('thread_id', '=', id)
      .where('post_number', '=', after.highest_post_number)
      .executeTakeFirstOrThrow();
    expect(post.author_id).toBe(fan.user.id);
    expect(await mentions()).toHaveLength(1); // notified now, when it is published
    const told = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', fan.user.id)
      .where('kind', '=', 'post_moderated')
      .executeTakeFirstOrThrow();
    expect(told.data).toMatchObject({ outcome: 'approved', postNumber: post.post_number, held: 'reply' });
    expect((await fan.client.get('/api/me/queued-posts')).body.items[0]).toMatchObject({
      status: 'approved',
      postNumber: post.post_number,
    });

    // one approved post of the two: the next still waits; after two, posts go straight out
    expect((await fan.client.post(`/api/threads/${id}/posts`, { body: 'Second post' })).status).toBe(202);
    const second = (await fan.client.get('/api/me/queued-posts')).body.items[0];
    const secondItem = await heldItem(second.id);
    expect((await decide(moderator, secondItem, { action: 'approve' })).status).toBe(200);
    expect((await fan.client.post(`/api/threads/${id}/posts`, { body: 'Third post' })).status).toBe(201);
  });

  it('holds a new thread: nothing exists until it is approved, and a rejection can silence its author', async () => {
    const fan = await newMember();
    const title = `A held thread ${Date.now()}`;
    const countOf = async () =>
      (
        await t.db
          .selectFrom('categories')
          .select('thread_count')
          .where('id', '=', categoryId)
          .executeTakeFirstOrThrow()
      ).thread_count;
    const count = await countOf();
    const res = await fan.client.post('/api/threads', { categoryId, title, body: 'Please look at this.' });
    expect(res.status).toBe(202);
    expect(res.body.queued).toMatchObject({ kind: 'thread', title, thread: null, category: { id: categoryId } });
    expect(await t.db.selectFrom('threads').select('id').where('title', '=', title).execute()).toEqual([]);
    expect(await countOf()).toBe(count);
    const item = await heldItem(res.body.queued.id);
    expect(item).toMatchObject({ held: { kind: 'thread' }, thread: { id: null, title } });

    const approved = await decide(moderator, item, { action: 'approve' });
    expect(approved.status).toBe(200);
    const thread = await t.db.selectFrom('threads').selectAll().where('title', '=', title).executeTakeFirstOrThrow();
    expect(thread).toMatchObject({ author_id: fan.user.id, category_id: categoryId, post_count: 1 });
    expect(await countOf()).toBe(count + 1);

    // the next one is rejected with a silence: nothing is created, the author is told and silenced
    const spam = await fan.client.post('/api/threads', { categoryId, title: 'Cheap phones here now', body: 'Buy.' });
    expect(spam.status).toBe(202);
    const spamItem = await heldItem(spam.body.queued.id);
    const rejected = await decide(moderator, spamItem, {
      action: 'reject',
      sanction: { kind: 'silence', days: 3, reason: 'Advertising' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(
      await t.db.selectFrom('threads').select('id').where('title', '=', 'Cheap phones here now').execute(),
    ).toEqual([]);
    const author = await t.db.selectFrom('users').selectAll().where('id', '=', fan.user.id).executeTakeFirstOrThrow();
    expect(author.silence_reason).toBe('Advertising');
    const told = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', fan.user.id)
      .where('kind', '=', 'post_moderated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(told).toMatchObject({ thread_id: null, data: { outcome: 'rejected', held: 'thread', sanction: 'silence' } });
  });

  it('holds a post with a watched word from any member but staff, and a new member’s links when set', async () => {
    const id = await aThread();
    const admin = await makeUser(t, { role: 'admin' });
    await admin.client.patch('/api/admin/settings', {
      watchedWordsHold: ['giveaway'],
      newMemberHoldLinks: true,
      newMemberHoldFirstPosts: 0,
    });
    try {
      const basic = await makeUser(t);
      const word = await basic.client.post(`/api/threads/${id}/posts`, { body: 'Join my GIVEAWAY' });
      expect(word.status).toBe(202);
      expect(word.body.queued.reason).toBe('watched_word');
      expect((await moderator.client.post(`/api/threads/${id}/posts`, { body: 'No giveaway here' })).status).toBe(201);
      const fan = await newMember();
      const link = await fan.client.post(`/api/threads/${id}/posts`, { body: 'See https://shop.example/' });
      expect(link.status).toBe(202);
      expect(link.body.queued.reason).toBe('links');
      expect((await fan.client.post(`/api/threads/${id}/posts`, { body: 'No link at all' })).status).toBe(201);
    } finally {
      await admin.client.patch('/api/admin/settings', {
        watchedWordsHold: null,
        newMemberHoldLinks: null,
        newMemberHoldFirstPosts: null,
      });
    }
  });

  it('counts held posts toward the same-text and first-day limits', async () => {
    const fan = await newMember();
    const id = await aThread();
    expect((await fan.client.post(`/api/threads/${id}/posts`, { body: 'Same words' })).status).toBe(202);
    const again = await fan.client.post(`/api/threads/${id}/posts`, { body: 'Same words' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe(ErrorCodes.duplicatePost);
    for (let i = 0; i < 9; i += 1) {
      expect((await fan.client.post(`/api/threads/${id}/posts`, { body: `Held reply ${i}` })).status).toBe(202);
    }
    const eleventh = await fan.client.post(`/api/threads/${id}/posts`, { body: 'One too many' });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.details.limit).toBe('newMemberRepliesFirstDay');
  });

  it('takes approve and reject only, for held posts only; a thread locked meanwhile refuses the approval', async () => {
    const fan = await newMember();
    const id = await aThread();
    const res = await fan.client.post(`/api/threads/${id}/posts`, { body: 'Waiting here' });
    const item = await heldItem(res.body.queued.id);
    for (const body of [
      { action: 'agree' },
      { action: 'disagree' },
      { action: 'ignore' },
      { action: 'approve', deletePost: true },
    ]) {
      const refused = await decide(moderator, item, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await decide(moderator, item, { action: 'approve', sanction: { kind: 'silence', days: 1, reason: 'x' } }))
        .status,
    ).toBe(400);
    expect((await moderator.client.patch(`/api/threads/${id}/moderation`, { locked: true })).status).toBe(200);
    const locked = await decide(moderator, item, { action: 'approve' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe(ErrorCodes.threadLocked);
    expect((await heldItem(res.body.queued.id)).status).toBe('pending');
    expect((await decide(moderator, item, { action: 'reject' })).status).toBe(200);

    // a flagged post is never approved or rejected
    const reader = await makeUser(t);
    const other = await aThread();
    const reply = await reader.client.post(`/api/threads/${other}/posts`, { body: 'Flag me' });
    const flagger = await makeUser(t);
    await flagger.client.post(`/api/posts/${reply.body.id}/flags`, { reason: 'spam' });
    const flagged = await t.db
      .selectFrom('reviewables')
      .select(['id', 'version'])
      .where('post_id', '=', reply.body.id)
      .executeTakeFirstOrThrow();
    expect((await decide(moderator, flagged, { action: 'approve' })).status).toBe(400);
  });

  it('is approved exactly once when 100 moderators approve it at the same moment', async () => {
    const fan = await newMember();
    const id = await aThread();
    const res = await fan.client.post(`/api/threads/${id}/posts`, { body: 'Approve me once' });
    const item = await heldItem(res.body.queued.id);
    const moderators = await Promise.all(Array.from({ length: 10 }, () => makeUser(t, { role: 'moderator' })));
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => decide(moderators[i % 10] as Member, item, { action: 'approve' })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status !== 200).every((r) => r.body.error.code === ErrorCodes.reviewConflict)).toBe(
      true,
    );
    const posts = await t.db
      .selectFrom('posts')
      .select('id')
      .where('thread_id', '=', id)
      .where('author_id', '=', fan.user.id)
      .execute();
    expect(posts).toHaveLength(1);
  });

  it('lets a category go once nothing waits in it: its review history stays, without a category', async () => {
    const admin = await makeUser(t, { role: 'admin' });
    // a flagged and decided reply, then its thread moved away: the item follows the thread
    const a = await makeCategory(t);
    const b = await makeCategory(t);
    const thread = (await makeThread(t, moderator.user, { categoryId: a.id })).id;
    const writer = await makeUser(t);
    const reply = await writer.client.post(`/api/threads/${thread}/posts`, { body: 'Flag and decide me' });
    await moderator.client.post(`/api/posts/${reply.body.id}/flags`, { reason: 'spam' });
    const flagged = await t.db
      .selectFrom('reviewables')
      .select(['id', 'version'])
      .where('post_id', '=', reply.body.id)
      .executeTakeFirstOrThrow();
    expect((await decide(moderator, flagged, { action: 'disagree' })).status).toBe(200);
    expect((await moderator.client.patch(`/api/threads/${thread}/moderation`, { categoryId: b.id })).status).toBe(200);
    expect((await admin.client.request('DELETE', `/api/admin/categories/${a.id}`)).status).toBe(204);
    const moved = await t.db
      .selectFrom('reviewables')
      .select('category_id')
      .where('id', '=', flagged.id)
      .executeTakeFirstOrThrow();
    expect(moved.category_id).toBe(b.id);

    // a held thread waiting in a category refuses its deletion; once rejected, the category goes
    const c = await makeCategory(t);
    const fan = await newMember();
    const held = await fan.client.post('/api/threads', {
      categoryId: c.id,
      title: 'Waiting in a category',
      body: 'Hi',
    });
    expect(held.status).toBe(202);
    const refused = await admin.client.request('DELETE', `/api/admin/categories/${c.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe(ErrorCodes.categoryNotEmpty);
    const item = await heldItem(held.body.queued.id);
    expect((await decide(moderator, item, { action: 'reject' })).status).toBe(200);
    expect((await admin.client.request('DELETE', `/api/admin/categories/${c.id}`)).status).toBe(204);
    const history = await moderator.client.get('/api/review?status=rejected&limit=100');
    expect(history.status).toBe(200);
    expect(history.body.items.find((i: any) => i.id === item.id)?.thread).toMatchObject({ id: null, category: null });
    const own = await fan.client.get('/api/me/queued-posts');
    expect(own.body.items[0]).toMatchObject({ status: 'rejected', category: null });
  });

  it('approves a held reply whose post it answered was deleted meanwhile, as a reply to the thread', async () => {
    const fan = await newMember();
    const writer = await makeUser(t);
    const id = await aThread();
    const answered = await writer.client.post(`/api/threads/${id}/posts`, { body: 'Answer me' });
    const res = await fan.client.post(`/api/threads/${id}/posts`, {
      body: 'My answer',
      replyToPostNumber: answered.body.postNumber,
    });
    expect(res.status).toBe(202);
    expect((await writer.client.request('DELETE', `/api/posts/${answered.body.id}`)).status).toBe(204);
    const item = await heldItem(res.body.queued.id);
    expect((await decide(moderator, item, { action: 'approve' })).status).toBe(200);
    const post = await t.db
      .selectFrom('posts')
      .select('reply_to_post_number')
      .where('thread_id', '=', id)
      .where('author_id', '=', fan.user.id)
      .executeTakeFirstOrThrow();
    expect(post.reply_to_post_number).toBeNull();
  });
});

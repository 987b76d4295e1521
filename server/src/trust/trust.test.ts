// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeNewMember, makePost, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let moderator: Member;
let admin: Member;
let categoryId: number;
beforeAll(async () => {
  // small rules, so a test can earn a level in a few steps
  t = await startTestApp({
    settings: {
      tl1ThreadsEntered: 2,
      tl1PostsRead: 3,
      tl1ReadMinutes: 0,
      tl2DaysVisited: 0,
      tl2ThreadsEntered: 2,
      tl2PostsRead: 3,
      tl2ReadMinutes: 0,
      tl2LikesGiven: 1,
      tl2LikesReceived: 1,
      tl2RepliesPosted: 1,
    },
  });
  moderator = await makeUser(t, { role: 'moderator' });
  admin = await makeUser(t, { role: 'admin' });
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

const newMember = () => makeNewMember(t);
const levelOf = async (id: number) =>
  (await t.db.selectFrom('users').select('trust_level').where('id', '=', id).executeTakeFirstOrThrow()).trust_level;
/** A thread of the moderator's with `replies` replies. */
async function threadWith(replies: number) {
  const { id } = await makeThread(t, moderator.user, { categoryId });
  for (let i = 0; i < replies; i += 1) await makePost(t, moderator.user, id, `Reply ${i} of ${id}`);
  return id;
}

describe('trust levels', () => {
  it('start at 0 for a new account and rise by reading, with the progress the member sees', async () => {
    const fan = await newMember();
    expect((await fan.client.get('/api/me')).body.user.trustLevel).toBe(0);
    const progress = await fan.client.get(`/api/users/${fan.user.id}/trust`);
    expect(progress.body).toMatchObject({ level: 0, locked: false, next: { level: 1 } });
    expect(progress.body.next.rules).toEqual(
      expect.arrayContaining([
        { stat: 'threadsEntered', needed: 2, have: 0 },
        { stat: 'postsRead', needed: 3, have: 0 },
      ]),
    );

    const a = await threadWith(1);
    const b = await threadWith(2);
    await fan.client.put(`/api/threads/${a}/read`, { postNumber: 2 });
    expect(await levelOf(fan.user.id)).toBe(0);
    await fan.client.put(`/api/threads/${b}/read`, { postNumber: 1 });
    expect(await levelOf(fan.user.id)).toBe(1); // 2 threads, 3 posts
    expect((await fan.client.get('/api/me')).body.user.trustLevel).toBe(1);
    // told once, about no thread
    const told = (await fan.client.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'trust_level');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ threadId: null, data: { level: 1 } });
    const after = await fan.client.get(`/api/users/${fan.user.id}/trust`);
    expect(after.body).toMatchObject({ level: 1, stats: { threadsEntered: 2, postsRead: 3 }, next: { level: 2 } });
  });

  it('count each post read once however many marker moves arrive at once', async () => {
    const fan = await newMember();
    const id = await threadWith(40);
    const moves = Array.from({ length: 200 }, (_, i) => 1 + (i % 41));
    const answers = await Promise.all(moves.map((n) => fan.client.put(`/api/threads/${id}/read`, { postNumber: n })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const row = await t.db
      .selectFrom('users')
      .select(['posts_read', 'threads_entered'])
      .where('id', '=', fan.user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ posts_read: 41, threads_entered: 1 });
    // moving back counts nothing
    await fan.client.put(`/api/threads/${id}/read`, { postNumber: 3 });
    expect(
      (await t.db.selectFrom('users').select('posts_read').where('id', '=', fan.user.id).executeTakeFirstOrThrow())
        .posts_read,
    ).toBe(41);
  });

  it('count likes given and received (and taken back), and promote on them', async () => {
    const giver = await makeUser(t);
    const writer = await makeUser(t);
    const id = await threadWith(0);
    const postId = await makePost(t, writer.user, id, 'Worth a like.');
    const stats = (userId: number) =>
      t.db
        .selectFrom('users')
        .select(['likes_given', 'likes_received'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
    await Promise.all(Array.from({ length: 20 }, () => giver.client.put(`/api/posts/${postId}/like`)));
    expect(await stats(giver.user.id)).toEqual({ likes_given: 1, likes_received: 0 });
    expect(await stats(writer.user.id)).toEqual({ likes_given: 0, likes_received: 1 });
    await giver.client.request('DELETE', `/api/posts/${postId}/like`);
    expect(await stats(writer.user.id)).toEqual({ likes_given: 0, likes_received: 0 });

    // The writer reads two threads and has replied; a like received makes them TL2.
    const fan = await makeUser(t);
    const other = await threadWith(2);
    await writer.client.put(`/api/threads/${other}/read`, { postNumber: 3 });
    await writer.client.put(`/api/posts/${await makePost(t, fan.user, other, 'A post to like.')}/like`);
    expect(await levelOf(writer.user.id)).toBe(1);
    await fan.client.put(`/api/posts/${postId}/like`);
    expect(await levelOf(writer.user.id)).toBe(2);
  });

  it('count one visit per day', async () => {
    const fan = await newMember();
    const visits = async () =>
      (await t.db.selectFrom('users').select('days_visited').where('id', '=', fan.user.id).executeTakeFirstOrThrow())
        .days_visited;
    const until = async (n: number) => {
      const deadline = Date.now() + 3_000;
      while ((await visits()) !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return visits();
    };
    await fan.client.get('/api/me');
    const first = await until(1);
    expect(first).toBe(1);
    // seen earlier today: no new day (the start of today's UTC day, so a run just after
    // midnight does not turn "ten minutes ago" into yesterday)
    await t.db
      .updateTable('users')
      .set({ last_seen_at: sql`date_trunc('day', now() at time zone 'utc') at time zone 'utc'` })
      .where('id', '=', fan.user.id)
      .execute();
    await fan.client.get('/api/me');
    await new Promise((r) => setTimeout(r, 200));
    // (the last_seen write itself may land later; the count must not move)
    expect(await visits()).toBe(1);
    // seen yesterday: a new day
    await t.db
      .updateTable('users')
      .set({ last_seen_at: sql`now() - interval '1 day'` })
      .where('id', '=', fan.user.id)
      .execute();
    await fan.client.get('/api/me');
    expect(await until(2)).toBe(2);
  });

  it('can be set and locked by staff (audited); the rules do not move a locked level', async () => {
    const fan = await newMember();
    const member = await makeUser(t);
    const refused = await member.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, { level: 3 });
    expect(refused.status).toBe(403);
    expect((await fan.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, { level: 3 })).status).toBe(403);

    const locked = await moderator.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, { level: 0 });
    expect(locked.status).toBe(200);
    expect(locked.body).toMatchObject({ level: 0, locked: true, next: null });
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.trust_level_changed')
      .where('target_id', '=', fan.user.id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_id: moderator.user.id, data: { from: 0, to: 0, locked: true } });

    const a = await threadWith(2);
    const b = await threadWith(2);
    await fan.client.put(`/api/threads/${a}/read`, { postNumber: 3 });
    await fan.client.put(`/api/threads/${b}/read`, { postNumber: 3 });
    expect(await levelOf(fan.user.id)).toBe(0);
    // unlocked, the rules take over at once
    const unlocked = await moderator.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, {
      level: 0,
      lock: false,
    });
    expect(unlocked.body).toMatchObject({ level: 1, locked: false });

    const standing = await moderator.client.get(`/api/moderation/users/${fan.user.id}`);
    expect(standing.body).toMatchObject({ trustLevel: 1, trustLevelLocked: false, canSetTrustLevel: true });
    for (const body of [{ level: 4 }, { level: '2' }, { level: 1, lock: 'yes' }, {}, { level: 1, extra: true }]) {
      const res = await moderator.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await moderator.client.put('/api/moderation/users/999999999/trust-level', { level: 1 })).status).toBe(404);
  });

  it('show a member their own progress, staff anyone’s, nobody else', async () => {
    const fan = await newMember();
    const other = await makeUser(t);
    expect((await other.client.get(`/api/users/${fan.user.id}/trust`)).status).toBe(403);
    expect((await new Client(t.app).get(`/api/users/${fan.user.id}/trust`)).status).toBe(401);
    expect((await moderator.client.get(`/api/users/${fan.user.id}/trust`)).status).toBe(200);
  });

  it('rise for members who meet easier rules the moment an admin changes them', async () => {
    const fan = await newMember();
    expect(await levelOf(fan.user.id)).toBe(0);
    const res = await admin.client.patch('/api/admin/settings', { tl1ThreadsEntered: 0, tl1PostsRead: 0 });
    expect(res.status).toBe(200);
    try {
      expect(await levelOf(fan.user.id)).toBe(1);
    } finally {
      await admin.client.patch('/api/admin/settings', { tl1ThreadsEntered: null, tl1PostsRead: null });
    }
  });
});

describe('new members (trust level 0)', () => {
  it('may put at most 2 links in a post and no images, and are told which limit and when it lifts', async () => {
    const fan = await newMember();
    const id = await threadWith(0);
    const links = 'See https://a.example/ and https://b.example/ and https://c.example/';
    const tooMany = await fan.client.post(`/api/threads/${id}/posts`, { body: links });
    expect(tooMany.status).toBe(403);
    expect(tooMany.body.error).toMatchObject({
      code: ErrorCodes.newMemberLimit,
      details: { limit: 'newMemberMaxLinks', liftsAt: null, max: 2 },
    });
    expect(tooMany.body.error.message).toMatch(/at most 2 links.*trust level 1/);
    expect(
      (await fan.client.post(`/api/threads/${id}/posts`, { body: 'Two: https://a.example/ https://b.example/' }))
        .status,
    ).toBe(201);
    const image = await fan.client.post(`/api/threads/${id}/posts`, { body: '![phone](https://img.example/p.png)' });
    expect(image.status).toBe(403);
    expect(image.body.error.details.limit).toBe('newMemberImages');
    // a basic member is not held to them
    const basic = await makeUser(t);
    expect((await basic.client.post(`/api/threads/${id}/posts`, { body: links })).status).toBe(201);
    expect(
      (await basic.client.post(`/api/threads/${id}/posts`, { body: '![phone](https://img.example/p.png)' })).status,
    ).toBe(201);
  });

  it('start at most 3 threads on their first day, even all at once; the refusal says when it lifts', async () => {
    const fan = await newMember();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fan.client.post('/api/threads', { categoryId, title: `My thread number ${i}`, body: `Body ${i}` }),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 429 && r.body.error.code === ErrorCodes.newMemberLimit)).toBe(true);
    const liftsAt = new Date(fan.user.created_at.getTime() + 24 * 3_600_000).toISOString();
    expect(refused[0]?.body.error.details).toEqual({ limit: 'newMemberThreadsFirstDay', liftsAt, max: 3 });
    expect(Number(refused[0]?.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    const threads = await t.db.selectFrom('threads').select('id').where('author_id', '=', fan.user.id).execute();
    expect(threads).toHaveLength(3);
    // a day later the limit is gone
    await t.db
      .updateTable('users')
      .set({ created_at: sql`now() - interval '25 hours'` })
      .where('id', '=', fan.user.id)
      .execute();
    expect(
      (await fan.client.post('/api/threads', { categoryId, title: 'A day later, again', body: 'Now' })).status,
    ).toBe(201);
  });

  it('post at most 10 replies on their first day', async () => {
    const fan = await newMember();
    const id = await threadWith(0);
    for (let i = 0; i < 10; i += 1) {
      expect((await fan.client.post(`/api/threads/${id}/posts`, { body: `Reply ${i}` })).status).toBe(201);
    }
    const refused = await fan.client.post(`/api/threads/${id}/posts`, { body: 'One more' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.details.limit).toBe('newMemberRepliesFirstDay');
  });

  it('may not flag by default (the button is not offered); with the setting their flag weighs less', async () => {
    const fan = await newMember();
    const id = await threadWith(1);
    const reply = await t.db
      .selectFrom('posts')
      .select('id')
      .where('thread_id', '=', id)
      .where('post_number', '=', 2)
      .executeTakeFirstOrThrow();
    const page = await fan.client.get(`/api/threads/${id}`);
    expect(page.body.posts.map((p: any) => p.canFlag)).toEqual([false, false]);
    const refused = await fan.client.post(`/api/posts/${reply.id}/flags`, { reason: 'spam' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe(ErrorCodes.newMemberLimit);
    expect(await t.db.selectFrom('flags').select('id').where('user_id', '=', fan.user.id).execute()).toEqual([]);

    await admin.client.patch('/api/admin/settings', { newMemberCanFlag: true, newMemberFlagWeight: 0.4 });
    try {
      expect((await fan.client.get(`/api/threads/${id}`)).body.posts.map((p: any) => p.canFlag)).toEqual([true, true]);
      expect((await fan.client.post(`/api/posts/${reply.id}/flags`, { reason: 'spam' })).status).toBe(201);
      const flag = await t.db
        .selectFrom('flags')
        .select('weight')
        .where('user_id', '=', fan.user.id)
        .executeTakeFirstOrThrow();
      expect(flag.weight).toBe(0.4);
    } finally {
      await admin.client.patch('/api/admin/settings', { newMemberCanFlag: null, newMemberFlagWeight: null });
    }
  });

  it('have tighter posting limits than other members (site settings by trust level)', async () => {
    await admin.client.patch('/api/admin/settings', {
      threadLimitNewMember: { max: 1, windowSeconds: 600 },
      threadLimit: { max: 3, windowSeconds: 600 },
    });
    try {
      const fan = await newMember();
      const basic = await makeUser(t);
      const start = (m: Member, i: number) =>
        m.client.post('/api/threads', { categoryId, title: `Limited thread ${i}`, body: `Limited body ${i}` });
      expect((await start(fan, 1)).status).toBe(201);
      const refused = await start(fan, 2);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe(ErrorCodes.rateLimited);
      for (let i = 1; i <= 3; i += 1) expect((await start(basic, i)).status).toBe(201);
      expect((await start(basic, 4)).status).toBe(429);
    } finally {
      await admin.client.patch('/api/admin/settings', { threadLimitNewMember: null, threadLimit: null });
    }
  });

  it('hold edits and titles to the same words and limits as new posts', async () => {
    await admin.client.patch('/api/admin/settings', { watchedWordsBlock: ['casino'], watchedWordsHold: ['giveaway'] });
    try {
      const fan = await newMember();
      const id = await threadWith(0);
      const posted = await fan.client.post(`/api/threads/${id}/posts`, { body: 'hello' });
      expect(posted.status).toBe(201);
      const edit = (body: string) => fan.client.patch(`/api/posts/${posted.body.id}`, { body });
      const links = await edit('See https://a.example/ https://b.example/ https://c.example/');
      expect(links.status).toBe(403);
      expect(links.body.error.details.limit).toBe('newMemberMaxLinks');
      expect((await edit('![x](https://img.example/x.png)')).body.error.details.limit).toBe('newMemberImages');
      expect((await edit('Try the casino')).status).toBe(422);
      const held = await edit('A giveaway now');
      expect(held.status).toBe(422);
      expect(held.body.error.details).toEqual({ word: 'giveaway', held: true });
      expect(
        (await t.db.selectFrom('posts').select('raw').where('id', '=', posted.body.id).executeTakeFirstOrThrow()).raw,
      ).toBe('hello');
      // staff may
      expect(
        (await moderator.client.patch(`/api/posts/${posted.body.id}`, { body: 'About the casino spam' })).status,
      ).toBe(200);

      // titles: on a new thread and on a rename
      const basic = await makeUser(t);
      const titled = await basic.client.post('/api/threads', {
        categoryId,
        title: 'Best casino bonus',
        body: 'see title',
      });
      expect(titled.status).toBe(422);
      const held2 = await basic.client.post('/api/threads', { categoryId, title: 'A giveaway for you', body: 'hi' });
      expect(held2.status).toBe(202);
      const own = await basic.client.post('/api/threads', { categoryId, title: 'A plain title here', body: 'hi' });
      expect(own.status).toBe(201);
      const renamed = await basic.client.patch(`/api/threads/${own.body.id}`, { title: 'Now with casino inside' });
      expect(renamed.status).toBe(422);
    } finally {
      await admin.client.patch('/api/admin/settings', { watchedWordsBlock: null, watchedWordsHold: null });
    }
  });

  it('never deadlock when members like each other’s posts, or reply and read at once', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 20 }, async () => [await makeUser(t), await makeUser(t)] as const),
    );
    const id = await threadWith(0);
    const posts = await Promise.all(
      pairs.map(async ([a, b]) => [
        await makePost(t, a.user, id, `by a ${a.user.id}`),
        await makePost(t, b.user, id, `by b ${b.user.id}`),
      ]),
    );
    const likes = await Promise.all(
      pairs.flatMap(([a, b], i) => [
        a.client.put(`/api/posts/${(posts[i] as number[])[1]}/like`),
        b.client.put(`/api/posts/${(posts[i] as number[])[0]}/like`),
      ]),
    );
    expect(likes.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const writers = await Promise.all(Array.from({ length: 30 }, () => makeUser(t)));
    const answers = await Promise.all(
      writers.flatMap((w, i) => [
        w.client.post(`/api/threads/${id}/posts`, { body: `Reply while reading ${i}` }),
        w.client.put(`/api/threads/${id}/read`, { postNumber: 5 }),
      ]),
    );
    expect(answers.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
  });

  it('give staff at trust level 0 the ordinary posting limits, and let only admins set staff’s levels', async () => {
    await admin.client.patch('/api/admin/settings', { threadLimitNewMember: { max: 1, windowSeconds: 600 } });
    try {
      const fresh = await makeUser(t, { role: 'moderator', trustLevel: 0 });
      for (let i = 0; i < 3; i += 1) {
        const res = await fresh.client.post('/api/threads', { categoryId, title: `Staff thread ${i} here`, body: 'x' });
        expect(res.status).toBe(201);
      }
    } finally {
      await admin.client.patch('/api/admin/settings', { threadLimitNewMember: null });
    }
    const other = await makeUser(t, { role: 'moderator' });
    expect(
      (await moderator.client.put(`/api/moderation/users/${other.user.id}/trust-level`, { level: 3 })).status,
    ).toBe(403);
    expect(
      (await moderator.client.put(`/api/moderation/users/${admin.user.id}/trust-level`, { level: 3 })).status,
    ).toBe(403);
    expect(
      (await moderator.client.put(`/api/moderation/users/${moderator.user.id}/trust-level`, { level: 3 })).status,
    ).toBe(403);
    expect((await admin.client.put(`/api/moderation/users/${other.user.id}/trust-level`, { level: 3 })).status).toBe(
      200,
    );
    expect((await admin.client.put(`/api/moderation/users/${admin.user.id}/trust-level`, { level: 3 })).status).toBe(
      403,
    );
  });

  it('refuse a watched word with more than two wildcards (it would make every post slow to check)', async () => {
    const res = await admin.client.patch('/api/admin/settings', { watchedWordsBlock: ['a*a*a*b'] });
    expect(res.status).toBe(400);
    expect((await admin.client.patch('/api/admin/settings', { watchedWordsBlock: ['sp*m*'] })).status).toBe(200);
    await admin.client.patch('/api/admin/settings', { watchedWordsBlock: null });
  });
});

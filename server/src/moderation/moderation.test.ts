// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';
import { TestSocket } from '../../test/socket';

let t: TestApp;
let categoryId: number;
let author: Member;
let moderator: Member;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  categoryId = (await makeCategory(t)).id;
  author = await makeUser(t);
  moderator = await makeUser(t, { role: 'moderator' });
});
afterAll(() => t.close());

const members = (n: number) => Promise.all(Array.from({ length: n }, () => makeUser(t)));

async function aReply(body = 'Buy cheap watches at example.com') {
  const thread = await makeThread(t, author.user, { categoryId });
  const postId = await makePost(t, author.user, thread.id, body);
  const postNumber = (
    await t.db.selectFrom('posts').select('post_number').where('id', '=', postId).executeTakeFirstOrThrow()
  ).post_number;
  return { threadId: thread.id, firstPostId: thread.firstPostId, postId, postNumber };
}

const flag = (m: Member, postId: number, body: object = { reason: 'spam' }) =>
  m.client.post(`/api/posts/${postId}/flags`, body);
const postAs = async (c: Client, threadId: number, postNumber: number) =>
  (await c.get(`/api/threads/${threadId}`)).body.posts.find((p: any) => p.postNumber === postNumber);
const reviewableOf = async (postId: number) =>
  t.db
    .selectFrom('reviewables')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

describe('flags', () => {
  it('hides a post once three members flag it; others see it hidden, its author and staff see why', async () => {
    const { threadId, postId, postNumber } = await aReply('Buy cheap watches from zorblatt dot example');
    const [a, b, c, reader] = (await members(4)) as [Member, Member, Member, Member];
    const found = async () => (await reader.client.get('/api/search?q=zorblatt')).body.results.length;
    expect(await found()).toBe(1);
    expect((await postAs(a.client, threadId, postNumber)).canFlag).toBe(true);
    expect((await flag(a, postId)).body).toEqual({ hidden: false });
    expect((await flag(b, postId, { reason: 'rude' })).body).toEqual({ hidden: false });
    expect((await postAs(a.client, threadId, postNumber)).canFlag).toBe(false);
    const third = await flag(c, postId);
    expect(third.status).toBe(201);
    expect(third.body).toEqual({ hidden: true });

    const seen = await postAs(reader.client, threadId, postNumber);
    expect(seen).toMatchObject({ hidden: true, cooked: '', hiddenReason: null });
    const own = await postAs(author.client, threadId, postNumber);
    expect(own).toMatchObject({ hidden: true, hiddenReason: 'spam', hiddenPending: true, canFlag: false });
    expect(own.cooked).toContain('cheap watches');
    expect((await postAs(moderator.client, threadId, postNumber)).cooked).toContain('cheap watches');

    const r = await reviewableOf(postId);
    expect(r).toMatchObject({ status: 'pending', flag_count: 3, score: 3, top_reason: 'spam' });
    // the author is told
    const notes = (await author.client.get('/api/notifications')).body.items;
    expect(notes[0]).toMatchObject({ kind: 'post_moderated', data: { outcome: 'hidden', reason: 'spam' } });
    // hidden replies leave search
    expect(await found()).toBe(0);
  });

  it('hides at once when staff flag, and a hidden first post takes its thread out of every list', async () => {
    const thread = await makeThread(t, author.user, { categoryId, title: 'Visit my scam site right now' });
    const reader = await makeUser(t);
    const listed = async () =>
      (await reader.client.get(`/api/threads?limit=100`)).body.items.some((x: any) => x.id === thread.id);
    expect(await listed()).toBe(true);
    expect((await flag(moderator, thread.firstPostId)).body).toEqual({ hidden: true });
    expect(await listed()).toBe(false);
    // opened by its address it is still there, its first post hidden
    const page = await reader.client.get(`/api/threads/${thread.id}`);
    expect(page.status).toBe(200);
    expect(page.body.posts[0]).toMatchObject({ hidden: true, cooked: '' });
  });

  it('refuses what a flag may not be, and changes nothing', async () => {
    const { postId } = await aReply();
    const [m, silenced] = await Promise.all([
      makeUser(t),
      makeUser(t, { silencedUntil: new Date(Date.now() + 3_600_000) }),
    ]);
    const cases: [Client, object, number, string][] = [
      [new Client(t.app), { reason: 'spam' }, 401, 'unauthenticated'],
      [author.client, { reason: 'spam' }, 403, 'own_post'],
      [silenced.client, { reason: 'spam' }, 403, 'silenced'],
      [m.client, { reason: 'other' }, 400, 'validation_failed'],
      [m.client, { reason: 'other', message: '   ' }, 400, 'validation_failed'],
      [m.client, { reason: 'duplicate' }, 400, 'validation_failed'],
      [m.client, { reason: 'spam', duplicateOf: 1 }, 400, 'validation_failed'],
      [m.client, { reason: 'duplicate', duplicateOf: 99_999_999 }, 400, 'validation_failed'],
      [m.client, { reason: 'bogus' }, 400, 'validation_failed'],
      [m.client, { reason: 'spam', extra: 1 }, 400, 'validation_failed'],
      [m.client, { reason: 'other', message: 'x'.repeat(1001) }, 400, 'validation_failed'],
    ];
    for (const [client, body, status, code] of cases) {
      const res = await client.post(`/api/posts/${postId}/flags`, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await m.client.post('/api/posts/99999999/flags', { reason: 'spam' })).status).toBe(404);
    expect(await t.db.selectFrom('flags').select('id').where('post_id', '=', postId).execute()).toHaveLength(0);
    expect(await t.db.selectFrom('reviewables').select('id').where('post_id', '=', postId).execute()).toHaveLength(0);

    expect(
      (await m.client.post(`/api/posts/${postId}/flags`, { reason: 'other', message: 'Looks like a bot' })).status,
    ).toBe(201);
    const again = await m.client.post(`/api/posts/${postId}/flags`, { reason: 'rude' });
    expect([again.status, again.body.error.code]).toEqual([409, 'already_flagged']);
  });

  it('gathers 200 simultaneous flags of one post in one reviewable, each member counted once', async () => {
    const { postId } = await aReply();
    const flaggers = await members(100);
    const results = await Promise.all(
      [...flaggers, ...flaggers].map((m, i) => flag(m, postId, { reason: i % 2 ? 'rude' : 'spam' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'already_flagged')).toHaveLength(100);
    const reviewables = await t.db.selectFrom('reviewables').selectAll().where('post_id', '=', postId).execute();
    expect(reviewables).toHaveLength(1);
    expect(reviewables[0]).toMatchObject({ flag_count: 100, score: 100 });
    expect(await t.db.selectFrom('flags').select('id').where('post_id', '=', postId).execute()).toHaveLength(100);
  });
});

describe('the review queue', () => {
  const decide = (m: Member, id: number, body: object) => m.client.post(`/api/review/${id}/actions`, body);

  it('is for staff only', async () => {
    const member = await makeUser(t);
    for (const [method, url, body] of [
      ['GET', '/api/review', undefined],
      ['GET', '/api/review/counts', undefined],
      ['GET', '/api/review/1', undefined],
      ['POST', '/api/review/1/actions', { action: 'ignore', version: 1 }],
      ['POST', '/api/review/bulk', { action: 'ignore', items: [{ id: 1, version: 1 }] }],
      ['PUT', '/api/review/1/claim', undefined],
    ] as const) {
      expect((await new Client(t.app).request(method, url, body)).status, url).toBe(401);
      expect((await member.client.request(method, url, body)).status, url).toBe(403);
    }
  });

  it('agree: the post stays hidden, flaggers are told and gain accuracy, the author is silenced and sees why', async () => {
    const { threadId, postId, postNumber } = await aReply();
    const flaggers = await members(3);
    for (const m of flaggers) await flag(m, postId);
    const queue = await moderator.client.get('/api/review');
    const item = queue.body.items.find((x: any) => x.post.id === postId);
    expect(item).toMatchObject({ status: 'pending', flagCount: 3, topReason: 'spam', post: { hidden: true } });
    expect(item.flags.map((f: any) => f.user.username).sort()).toEqual(flaggers.map((m) => m.user.username).sort());
    const res = await decide(moderator, item.id, {
      action: 'agree',
      version: item.version,
      sanction: { kind: 'silence', days: 3, reason: 'Spam links' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'agreed', version: item.version + 1 });
    expect(await postAs((flaggers[0] as Member).client, threadId, postNumber)).toMatchObject({
      hidden: true,
      hiddenPending: false,
      cooked: '',
    });
    for (const m of flaggers) {
      const [note] = (await m.client.get('/api/notifications')).body.items;
      expect(note).toMatchObject({ kind: 'flag_outcome', data: { outcome: 'agreed' } });
      expect(note.actor).toBeNull(); // which moderator decided is not told
    }
    const users = await t.db
      .selectFrom('users')
      .select(['flags_agreed'])
      .where(
        'id',
        'in',
        flaggers.map((m) => m.user.id),
      )
      .execute();
    expect(users.every((u) => u.flags_agreed === 1)).toBe(true);
    const authorRow = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', author.user.id)
      .executeTakeFirstOrThrow();
    expect(authorRow.silence_reason).toBe('Spam links');
    expect((await author.client.get('/api/me')).body.user).toMatchObject({
      silenceReason: 'Spam links',
      canReview: false,
    });
    expect(authorRow.silenced_until?.getTime() ?? 0).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
    const reply = await author.client.post(`/api/threads/${threadId}/posts`, { body: 'Another reply from me' });
    expect([reply.status, reply.body.error.code]).toEqual([403, 'silenced']);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'data'])
      .where('actor_id', '=', moderator.user.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['review.decided', 'user.silenced']));
    await t.db
      .updateTable('users')
      .set({ silenced_until: null, silence_reason: null })
      .where('id', '=', author.user.id)
      .execute();
    // decided items leave the pending queue and show under their status
    expect((await moderator.client.get('/api/review')).body.items.some((x: any) => x.id === item.id)).toBe(false);
    const agreed = (await moderator.client.get('/api/review?status=agreed')).body.items.find(
      (x: any) => x.id === item.id,
    );
    expect(agreed).toMatchObject({ status: 'agreed', decidedBy: { username: moderator.user.username } });
  });

  it('disagree shows the post again and counts against the flaggers; ignore shows it and counts nothing', async () => {
    for (const action of ['disagree', 'ignore'] as const) {
      const { threadId, postId, postNumber } = await aReply();
      const flaggers = await members(3);
      for (const m of flaggers) await flag(m, postId);
      const item = await reviewableOf(postId);
      expect((await decide(moderator, item.id, { action, version: item.version })).status).toBe(200);
      const reader = await makeUser(t);
      expect(await postAs(reader.client, threadId, postNumber)).toMatchObject({ hidden: false });
      expect((await postAs(reader.client, threadId, postNumber)).cooked).toContain('cheap watches');
      const rows = await t.db
        .selectFrom('users')
        .select(['flags_agreed', 'flags_disagreed'])
        .where(
          'id',
          'in',
          flaggers.map((m) => m.user.id),
        )
        .execute();
      expect(rows.every((u) => u.flags_disagreed === (action === 'disagree' ? 1 : 0) && u.flags_agreed === 0)).toBe(
        true,
      );
      const note = (await author.client.get('/api/notifications')).body.items[0];
      expect(note).toMatchObject({ kind: 'post_moderated', data: { outcome: 'restored' } });
    }
  });

  it('agree with delete removes the reply (or the whole thread for a first post), and suspending ends the sessions', async () => {
    const spammer = await makeUser(t);
    const thread = await makeThread(t, spammer.user, { categoryId });
    const flaggers = await members(3);
    for (const m of flaggers) await flag(m, thread.firstPostId);
    const item = await reviewableOf(thread.firstPostId);
    const res = await decide(moderator, item.id, {
      action: 'agree',
      version: item.version,
      deletePost: true,
      sanction: { kind: 'suspend', days: 7, reason: 'Spam account' },
    });
    expect(res.status).toBe(200);
    expect((await (flaggers[0] as Member).client.get(`/api/threads/${thread.id}`)).status).toBe(404);
    expect((await spammer.client.get('/api/me')).body.user).toBeNull(); // the session ended
    const signIn = await new Client(t.app).post('/api/auth/sign-in', {
      login: spammer.user.username,
      password: PASSWORD,
    });
    expect([signIn.status, signIn.body.error.code]).toEqual([403, 'suspended']);
    expect(signIn.body.error.message).toContain('Spam account');
    expect(signIn.body.error.details).toMatchObject({ reason: 'Spam account' });
  });

  it('never sanctions staff, and only agree deletes or sanctions', async () => {
    const otherMod = await makeUser(t, { role: 'moderator' });
    const thread = await makeThread(t, otherMod.user, { categoryId });
    const postId = await makePost(t, otherMod.user, thread.id, 'A moderator wrote this');
    for (const m of await members(3)) await flag(m, postId);
    const item = await reviewableOf(postId);
    const refused = await decide(moderator, item.id, {
      action: 'agree',
      version: item.version,
      sanction: { kind: 'silence', days: 1, reason: 'no' },
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    const wrong = await decide(moderator, item.id, { action: 'ignore', version: item.version, deletePost: true });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await reviewableOf(postId)).status).toBe('pending'); // nothing happened
    expect(
      (
        await t.db
          .selectFrom('users')
          .select('silenced_until')
          .where('id', '=', otherMod.user.id)
          .executeTakeFirstOrThrow()
      ).silenced_until,
    ).toBeNull();
  });

  it('decides each of 50 items exactly once with 200 moderators acting at once; the losers get 409', async () => {
    const mods = await Promise.all(Array.from({ length: 20 }, () => makeUser(t, { role: 'moderator' })));
    const flagger = await makeUser(t);
    const items: { id: number; version: number; postId: number }[] = [];
    const thread = await makeThread(t, author.user, { categoryId });
    for (let i = 0; i < 50; i++) {
      const postId = await makePost(t, author.user, thread.id, `Reply number ${i} to be judged`);
      await flag(flagger, postId);
      const r = await reviewableOf(postId);
      items.push({ id: r.id, version: r.version, postId });
    }
    const actions = ['agree', 'disagree', 'ignore'] as const;
    const attempts = Array.from({ length: 200 }, (_, i) => ({
      mod: mods[i % mods.length] as Member,
      item: items[i % items.length] as (typeof items)[number],
      action: actions[i % 3] as (typeof actions)[number],
    }));
    const results = await Promise.all(
      attempts.map((a) => decide(a.mod, a.item.id, { action: a.action, version: a.item.version })),
    );
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    const wins = results.filter((r) => r.status === 200);
    expect(wins).toHaveLength(50);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([r.status, r.body.error.code]).toEqual([409, 'review_conflict']);
    }
    // ground truth: each item decided once, with the winner's action; one history entry each
    const rows = await t.db
      .selectFrom('reviewables')
      .select(['id', 'status'])
      .where(
        'id',
        'in',
        items.map((i) => i.id),
      )
      .execute();
    expect(rows.every((r) => r.status !== 'pending')).toBe(true);
    const decided = await t.db
      .selectFrom('reviewable_history')
      .select(['reviewable_id'])
      .where(
        'reviewable_id',
        'in',
        items.map((i) => i.id),
      )
      .where('action', 'in', ['agreed', 'disagreed', 'ignored'])
      .execute();
    expect(decided).toHaveLength(50);
    const f = await t.db
      .selectFrom('users')
      .select(['flags_agreed', 'flags_disagreed'])
      .where('id', '=', flagger.user.id)
      .executeTakeFirstOrThrow();
    const statuses = rows.map((r) => r.status);
    expect(f.flags_agreed).toBe(statuses.filter((s) => s === 'agreed').length);
    expect(f.flags_disagreed).toBe(statuses.filter((s) => s === 'disagreed').length);
  });

  it('claims keep other moderators off an item; defer takes it out of the queue for a day', async () => {
    const { postId } = await aReply();
    await flag(await makeUser(t), postId);
    const item = await reviewableOf(postId);
    const other = await makeUser(t, { role: 'moderator' });
    expect((await moderator.client.put(`/api/review/${item.id}/claim`)).status).toBe(204);
    const queued = (await other.client.get(`/api/review/${item.id}`)).body;
    expect(queued.claimedBy).toMatchObject({ username: moderator.user.username });
    const blocked = await decide(other, item.id, { action: 'ignore', version: item.version });
    expect([blocked.status, blocked.body.error.code]).toEqual([409, 'review_claimed']);
    expect((await other.client.put(`/api/review/${item.id}/claim`)).status).toBe(409);
    // a lapsed claim no longer blocks
    await t.db
      .updateTable('reviewables')
      .set({ claimed_at: sql<Date>`now() - interval '2 hours'` })
      .where('id', '=', item.id)
      .execute();
    const deferred = await decide(other, item.id, { action: 'defer', version: item.version });
    expect(deferred.body).toEqual({ status: 'pending', version: item.version + 1 });
    const pending = (await moderator.client.get('/api/review')).body.items.map((x: any) => x.id);
    expect(pending).not.toContain(item.id);
    const withDeferred = (await moderator.client.get('/api/review?includeDeferred=true')).body.items.map(
      (x: any) => x.id,
    );
    expect(withDeferred).toContain(item.id);
  });

  it('carries the newest three flags and a per-reason summary in the queue; the item has every flag', async () => {
    const { postId } = await aReply();
    const flaggers = await members(5);
    for (const [i, m] of flaggers.entries()) {
      await flag(m, postId, i < 3 ? { reason: 'spam' } : { reason: 'other', message: `Note ${i}` });
    }
    const item = (await moderator.client.get('/api/review?limit=100')).body.items.find(
      (x: any) => x.post.id === postId,
    );
    expect(item.flagCount).toBe(5);
    expect(item.flags.map((f: any) => f.user.username)).toEqual(
      [flaggers[4], flaggers[3], flaggers[2]].map((m) => (m as Member).user.username),
    );
    expect(item.reasons).toEqual([
      { reason: 'spam', count: 3, weight: 3 },
      { reason: 'other', count: 2, weight: 2 },
    ]);
    const full = (await moderator.client.get(`/api/review/${item.id}`)).body;
    expect(full.flags).toHaveLength(5);
    expect(full.flags.map((f: any) => f.message).filter(Boolean)).toEqual(['Note 4', 'Note 3']);
  });

  it('shows each post as a plain-text excerpt (hidden or deleted alike), the item the whole post', async () => {
    const long = `**Cheap** watches & [bags](https://example.com/bags) at "example.com"\n\n${'word '.repeat(100)}`;
    const { postId } = await aReply(long);
    for (const m of await members(3)) await flag(m, postId);
    const itemOf = async (query = '') =>
      (await moderator.client.get(`/api/review?limit=100${query}`)).body.items.find((x: any) => x.post.id === postId);
    const item = await itemOf();
    expect(item.post).not.toHaveProperty('cooked');
    expect(item.post.hidden).toBe(true); // hidden from members, not from moderators
    const { excerpt } = item.post;
    expect(excerpt).not.toMatch(/[<>]|&amp;|&quot;/); // text, not HTML
    expect(excerpt.startsWith('Cheap watches & bags at "example.com" word word')).toBe(true);
    // long text: cut after a whole word, at most 300 characters with the ellipsis
    expect(excerpt).toMatch(/ word…$/);
    expect(excerpt.length).toBeLessThanOrEqual(300);
    expect(excerpt.length).toBeGreaterThan(240);

    const detail = (await moderator.client.get(`/api/review/${item.id}`)).body;
    expect(detail.post.excerpt).toBe(excerpt);
    expect(detail.post.cooked).toContain('<strong>Cheap</strong>');
    expect(detail.post.cooked).toContain(`${'word '.repeat(99)}word`);

    // an edit renews the excerpt; a deleted post keeps it for the moderators
    expect((await author.client.patch(`/api/posts/${postId}`, { body: 'Now a *short* one' })).status).toBe(200);
    // an edit announces nothing to the queue: it shows once the cached page ages out (1 s)
    await expect.poll(async () => (await itemOf()).post.excerpt, { timeout: 3_000 }).toBe('Now a short one');
    const agreed = await moderator.client.post(`/api/review/${item.id}/actions`, {
      action: 'agree',
      version: item.version,
      deletePost: true,
    });
    expect(agreed.status).toBe(200);
    expect((await itemOf('&status=agreed')).post).toMatchObject({ deleted: true, excerpt: 'Now a short one' });
  });

  it('costs one query per page, whatever its size (the session is cached)', async () => {
    const { postId } = await aReply();
    for (const m of await members(4)) await flag(m, postId, { reason: 'rude' });
    // Each member's first request records their visit in the background (the session hook): wait
    // until the database is quiet, so only this request's queries are counted.
    const quiet = async () => {
      let last = -1;
      while (t.database.stats.queries !== last) {
        last = t.database.stats.queries;
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    const queriesFor = async (url: string) => {
      await quiet();
      const before = t.database.stats.queries;
      const res = await moderator.client.get(url);
      expect(res.status).toBe(200);
      return t.database.stats.queries - before;
    };
    // the first records the visit (at most every few minutes), which drops the cached session; the
    // second reads the session again, and it is cached from then on
    await queriesFor('/api/me');
    await queriesFor('/api/me');
    // The category filter reads the category places kept per process, which are read again once
    // they are a minute old: under a busy run this file passes that minute, so they are read now,
    // by a page that is not counted, and not by the counted page.
    await queriesFor(`/api/review?limit=2&category=${categoryId}`);
    // (each a page not read before: a page read again within a second is served from the cache)
    expect(await queriesFor('/api/review?limit=1')).toBe(1);
    expect(await queriesFor('/api/review?limit=100')).toBe(1);
    expect(await queriesFor(`/api/review?limit=100&reason=rude&category=${categoryId}`)).toBe(1);
  });

  it('pages by score, filters by category and reason, and decides in bulk item by item', async () => {
    const otherCategory = (await makeCategory(t)).id;
    const thread = await makeThread(t, author.user, { categoryId: otherCategory });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const postId = await makePost(t, author.user, thread.id, `Off topic number ${i}`);
      for (const m of await members(1 + (i % 2))) await flag(m, postId, { reason: 'off_topic' });
      ids.push((await reviewableOf(postId)).id);
    }
    const first = await moderator.client.get(`/api/review?category=${otherCategory}&reason=off_topic&limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.every((x: any) => x.score === 2)).toBe(true);
    const second = await moderator.client.get(
      `/api/review?category=${otherCategory}&reason=off_topic&limit=2&cursor=${first.body.nextCursor}`,
    );
    const third = await moderator.client.get(
      `/api/review?category=${otherCategory}&reason=off_topic&limit=2&cursor=${second.body.nextCursor}`,
    );
    const all = [...first.body.items, ...second.body.items, ...third.body.items];
    expect(all.map((x: any) => x.id).sort()).toEqual([...ids].sort());
    expect(third.body.nextCursor).toBeNull();
    expect((await moderator.client.get('/api/review?cursor=garbage')).status).toBe(400);

    const items = all.map((x: any) => ({ id: x.id, version: x.version }));
    items[0] = { id: items[0]?.id, version: 99 }; // stale
    const bulk = await moderator.client.post('/api/review/bulk', { action: 'ignore', items });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r: any) => r.outcome)).toEqual(['review_conflict', 'done', 'done', 'done', 'done']);
    expect((await moderator.client.get(`/api/review/counts`)).body.pending).toBeGreaterThanOrEqual(1);
  });

  it('tells open thread pages that a post was hidden, and every moderator that the queue changed, live', async () => {
    const { threadId, postId, postNumber } = await aReply();
    const reader = await makeUser(t);
    const readerSocket = await TestSocket.open(t.baseUrl, { cookie: reader.client.cookie });
    const modSocket = await TestSocket.open(t.baseUrl, { cookie: moderator.client.cookie });
    const memberOnQueue = await TestSocket.open(t.baseUrl, { cookie: reader.client.cookie });
    try {
      await readerSocket.subscribe(`thread:${threadId}`);
      await modSocket.subscribe('review:1');
      memberOnQueue.send({ type: 'subscribe', channel: 'review:1' });
      await memberOnQueue.next((m) => m.type === 'error');
      const started = Date.now();
      for (const m of await members(3)) await flag(m, postId);
      await readerSocket.next(
        (m) => m.type === 'event' && m.event === 'post_updated' && (m.data as any).postNumber === postNumber,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      await modSocket.next((m) => m.type === 'event' && m.channel === 'review:1' && m.event === 'changed');
    } finally {
      readerSocket.ws.close();
      modSocket.ws.close();
      memberOnQueue.ws.close();
    }
  });
});

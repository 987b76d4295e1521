// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeThread, makeUser } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import { unpinExpired } from './actions/threads';

let t: TestApp;
let moderator: Member;
let member: Member;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  moderator = await makeUser(t, { role: 'moderator' });
  member = await makeUser(t);
});
afterAll(() => t.close());

const moderate = (m: Member | Client, id: number, body: object) =>
  ('client' in m ? m.client : m).patch(`/api/threads/${id}/moderation`, body);
const inList = async (categoryId: number, id: number) => {
  const slug = (
    await t.db.selectFrom('categories').select('slug').where('id', '=', categoryId).executeTakeFirstOrThrow()
  ).slug;
  return (await member.client.get(`/api/threads?category=${slug}&limit=100`)).body.items
    .map((x: any) => x.id)
    .indexOf(id);
};
const count = async (id: number) =>
  (await t.db.selectFrom('categories').select('thread_count').where('id', '=', id).executeTakeFirstOrThrow())
    .thread_count;

describe('moderating a thread', () => {
  it('pins (first in its category), locks, unlists and moves, audited with before and after', async () => {
    const [from, to] = [await makeCategory(t), await makeCategory(t)];
    const older = await makeThread(t, member.user, { categoryId: from.id });
    const thread = await makeThread(t, member.user, { categoryId: from.id });
    const pinnedOne = await makeThread(t, member.user, { categoryId: from.id });
    await t.db
      .updateTable('threads')
      .set({ bumped_at: sql<Date>`now() - interval '1 day'` })
      .where('id', '=', pinnedOne.id)
      .execute();
    expect(await inList(from.id, pinnedOne.id)).toBe(2);

    const pinned = await moderate(moderator, pinnedOne.id, { pinned: true });
    expect(pinned.status).toBe(200);
    expect(pinned.body).toMatchObject({ pinned: true, pinnedUntil: null, canModerate: true });
    expect(await inList(from.id, pinnedOne.id)).toBe(0);

    expect((await moderate(moderator, thread.id, { locked: true })).body.locked).toBe(true);
    const reply = await member.client.post(`/api/threads/${thread.id}/posts`, { body: 'Can I still reply?' });
    expect([reply.status, reply.body.error.code]).toEqual([409, 'thread_locked']);
    expect((await member.client.get(`/api/threads/${thread.id}`)).body).toMatchObject({
      canReply: false,
      canModerate: false,
    });

    expect((await moderate(moderator, thread.id, { unlisted: true })).body.unlisted).toBe(true);
    expect(await inList(from.id, thread.id)).toBe(-1);
    expect((await member.client.get(`/api/threads/${thread.id}`)).status).toBe(200); // still found by its address
    await moderate(moderator, thread.id, { unlisted: false, locked: false });

    const [fromBefore, toBefore] = [await count(from.id), await count(to.id)];
    const moved = await moderate(moderator, older.id, { categoryId: to.id });
    expect(moved.body.category.id).toBe(to.id);
    expect([await count(from.id), await count(to.id)]).toEqual([fromBefore - 1, toBefore + 1]);
    expect(await inList(to.id, older.id)).toBeGreaterThanOrEqual(0);
    expect(await inList(from.id, older.id)).toBe(-1);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['target_id', 'data'])
      .where('action', '=', 'thread.moderated')
      .where('actor_id', '=', moderator.user.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.data)).toEqual([
      { pinned: [false, true] },
      { locked: [false, true] },
      { unlisted: [false, true] },
      { locked: [true, false], unlisted: [true, false] },
      { category: [from.id, to.id] },
    ]);
    // nothing changed: no audit entry
    await moderate(moderator, older.id, { categoryId: to.id, locked: false });
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'thread.moderated')
        .where('target_id', '=', older.id)
        .execute(),
    ).toHaveLength(1);
  });

  it('ends a pin at its time (maintenance), and refuses a pin end in the past', async () => {
    const category = await makeCategory(t);
    const thread = await makeThread(t, member.user, { categoryId: category.id });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await moderate(moderator, thread.id, { pinned: true, pinnedUntil: until })).body).toMatchObject({
      pinned: true,
      pinnedUntil: until,
    });
    await unpinExpired(t.db);
    expect((await member.client.get(`/api/threads/${thread.id}`)).body.pinned).toBe(true);
    await t.db
      .updateTable('threads')
      .set({ pinned_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', thread.id)
      .execute();
    await unpinExpired(t.db);
    expect((await member.client.get(`/api/threads/${thread.id}`)).body).toMatchObject({
      pinned: false,
      pinnedUntil: null,
    });
    const past = await moderate(moderator, thread.id, {
      pinned: true,
      pinnedUntil: new Date(Date.now() - 1000).toISOString(),
    });
    expect([past.status, past.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('is for staff only, and refuses bad input; refusals change nothing', async () => {
    const category = await makeCategory(t);
    const ideasOnly = await makeCategory(t, { allowDiscussions: false, allowIdeas: true });
    const thread = await makeThread(t, member.user, { categoryId: category.id });
    expect((await moderate(new Client(t.app), thread.id, { locked: true })).status).toBe(401);
    const own = await moderate(member, thread.id, { locked: true });
    expect([own.status, own.body.error.code]).toEqual([403, 'forbidden']);
    for (const body of [
      {},
      { locked: 'yes' },
      { pinnedUntil: new Date(Date.now() + 60_000).toISOString() },
      { pinned: true, pinnedUntil: 'tomorrow' },
      { categoryId: 99_999_999 },
      { extra: true },
    ]) {
      expect((await moderate(moderator, thread.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    const wrongKind = await moderate(moderator, thread.id, { categoryId: ideasOnly.id });
    expect([wrongKind.status, wrongKind.body.error.code]).toEqual([400, 'kind_not_allowed']);
    expect((await moderate(moderator, 99_999_999, { locked: true })).status).toBe(404);
    const row = await t.db.selectFrom('threads').selectAll().where('id', '=', thread.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ locked_at: null, pinned_at: null, unlisted: false, category_id: category.id });
  });

  it('tells open thread pages that the thread changed', async () => {
    const category = await makeCategory(t);
    const thread = await makeThread(t, member.user, { categoryId: category.id });
    const socket = await TestSocket.open(t.baseUrl, { cookie: member.client.cookie });
    try {
      await socket.subscribe(`thread:${thread.id}`);
      await moderate(moderator, thread.id, { locked: true });
      await socket.next((m) => m.type === 'event' && m.event === 'thread_updated');
    } finally {
      socket.ws.close();
    }
  });
});

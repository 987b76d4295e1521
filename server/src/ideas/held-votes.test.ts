// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeIdea, makeNewMember, makeUser, vote } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import { voteWeight } from '../../test/trending';

// New members' votes held (site setting newMemberVotesHeld): saved, never in a count, counted
// from trust level 1 with the time they were cast.
let t: TestApp;
let admin: Member;
let moderator: Member;
let author: Member;
let categoryId: number;
let categorySlug: string;
beforeAll(async () => {
  t = await startTestApp({ listen: true, settings: { newMemberVotesHeld: true } });
  admin = await makeUser(t, { role: 'admin' });
  moderator = await makeUser(t, { role: 'moderator' });
  author = await makeUser(t);
  const category = await makeCategory(t, { allowIdeas: true });
  categoryId = category.id;
  categorySlug = category.slug;
});
afterAll(() => t.close());

const newIdea = async (inCategory = categoryId) => (await makeIdea(t, author.user, { categoryId: inCategory })).id;
const ideaRow = (id: number) =>
  t.db
    .selectFrom('threads as t')
    .innerJoin('idea_recent_votes as r', 'r.idea_id', 't.id')
    .select(['t.vote_count', 't.vote_version', 'r.trending as trending_score', 't.status'])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
const countedRows = (id: number) =>
  t.db.selectFrom('idea_votes').select(['user_id', 'created_at']).where('idea_id', '=', id).execute();
const heldRows = (userId: number) =>
  t.db.selectFrom('held_votes').select(['idea_id', 'created_at']).where('user_id', '=', userId).execute();

/** Raises a member's level the way staff do (the release follows on the bus). */
const raise = async (member: Member, level: 1 | 2 = 1) => {
  const res = await moderator.client.put(`/api/moderation/users/${member.user.id}/trust-level`, { level });
  expect(res.status).toBe(200);
};

/** Polls until `check` passes (the release runs after the promotion committed). */
async function eventually(check: () => Promise<void>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Every idea's counter (and its sort key) equals its counted rows, and its trending score their weights. */
async function countsMatchRows() {
  const drift = await sql<{ id: number }>`
    select t.id from threads t join idea_recent_votes r on r.idea_id = t.id where t.kind = 'idea'
      and (t.vote_count <> (select count(*) from idea_votes v where v.idea_id = t.id) or r.votes <> t.vote_count)`.execute(
    t.db,
  );
  expect(drift.rows).toEqual([]);
  const scores = await sql<{ id: number; kept: number; from_rows: number }>`
    select r.idea_id as id, r.trending as kept,
           coalesce((select sum(${voteWeight('v.created_at')}) from idea_votes v where v.idea_id = r.idea_id), 0) as from_rows
    from idea_recent_votes r order by r.idea_id`.execute(t.db);
  for (const row of scores.rows) {
    // the same weights summed in another order: equal up to float rounding
    expect(Math.abs(row.from_rows - row.kept)).toBeLessThanOrEqual(
      1e-9 * Math.max(Math.abs(row.from_rows), Math.abs(row.kept)),
    );
  }
}

describe('held votes', () => {
  it('are saved but not counted, shown to the voter as waiting, and taken back like any vote', async () => {
    const id = await newIdea();
    const fan = await makeNewMember(t);
    expect((await fan.client.get('/api/me')).body.user.votesHeld).toBe(true);
    const before = await ideaRow(id);

    const answer = await vote(fan, id);
    expect(answer).toMatchObject({ voted: true, held: true, voteCount: 0, voteVersion: before.vote_version });
    expect(await countedRows(id)).toEqual([]);
    expect(await heldRows(fan.user.id)).toHaveLength(1);
    const detail = (await fan.client.get(`/api/ideas/${id}`)).body;
    expect(detail).toMatchObject({ voted: true, voteHeld: true, voteCount: 0 });
    // not in the count others see, nor in the voter list, nor on the board's count
    expect((await admin.client.get(`/api/ideas/${id}`)).body).toMatchObject({ voteCount: 0, voted: false });
    expect((await admin.client.get(`/api/ideas/${id}/voters`)).body.items).toEqual([]);
    const board = (await fan.client.get(`/api/ideas?category=${categorySlug}&sort=new`)).body.items;
    expect(board.find((i: any) => i.id === id)).toMatchObject({ voted: true, voteCount: 0 });
    expect((await ideaRow(id)).vote_version).toBe(before.vote_version); // nothing announced

    expect(await vote(fan, id, false)).toMatchObject({ voted: false, held: false, voteCount: 0 });
    expect(await heldRows(fan.user.id)).toEqual([]);
    expect((await fan.client.get(`/api/ideas/${id}`)).body).toMatchObject({ voted: false, voteHeld: false });
    await countsMatchRows();
  });

  it('are only new members’: basic members, staff and product managers count at once', async () => {
    const id = await newIdea();
    const basic = await makeUser(t, { trustLevel: 1 });
    const staff = await makeUser(t, { role: 'moderator', trustLevel: 0 });
    const pm = await makeUser(t, { role: 'product_manager', trustLevel: 0 });
    for (const member of [basic, staff, pm]) {
      expect((await member.client.get('/api/me')).body.user.votesHeld).toBe(false);
      expect(await vote(member, id)).toMatchObject({ held: false });
    }
    expect((await ideaRow(id)).vote_count).toBe(3);
  });

  it('count from trust level 1 with the time they were cast, announced live', async () => {
    const a = await newIdea();
    const b = await newIdea();
    const fan = await makeNewMember(t);
    await vote(fan, a);
    await vote(fan, b);
    const cast = await heldRows(fan.user.id);
    const versionA = (await ideaRow(a)).vote_version;
    const watcher = await TestSocket.open(t.baseUrl);
    await watcher.subscribe(`idea:${a}`);

    await raise(fan);
    await eventually(async () => expect(await heldRows(fan.user.id)).toEqual([]));
    for (const id of [a, b]) {
      const rows = await countedRows(id);
      expect(rows.map((r) => r.user_id)).toEqual([fan.user.id]);
      const heldAt = cast.find((c) => c.idea_id === id)?.created_at;
      expect(rows[0]?.created_at.toISOString()).toBe(heldAt?.toISOString());
      expect((await ideaRow(id)).vote_count).toBe(1);
      expect((await ideaRow(id)).trending_score).toBeGreaterThan(0);
    }
    const live: any = await watcher.next(
      (m: any) => m.type === 'event' && m.channel === `idea:${a}` && m.data.voteCount === 1,
    );
    expect(live.data.voteVersion).toBe(versionA + 1);
    watcher.close();
    expect((await fan.client.get(`/api/ideas/${a}`)).body).toMatchObject({
      voted: true,
      voteHeld: false,
      voteCount: 1,
    });
    expect((await fan.client.get('/api/me')).body.user.votesHeld).toBe(false);
    // their next vote counts at once
    expect(await vote(fan, await newIdea())).toMatchObject({ held: false, voteCount: 1 });
    await countsMatchRows();
  });

  it('count when the rules promote a member by reading', async () => {
    const reading = await startTestApp({
      settings: { newMemberVotesHeld: true, tl1ThreadsEntered: 1, tl1PostsRead: 1, tl1ReadMinutes: 0 },
    });
    try {
      const owner = await makeUser(reading);
      const category = await makeCategory(reading, { allowIdeas: true });
      const id = (await makeIdea(reading, owner.user, { categoryId: category.id })).id;
      const fan = await makeNewMember(reading);
      expect(await vote(fan, id)).toMatchObject({ held: true, voteCount: 0 });
      expect((await fan.client.put(`/api/threads/${id}/read`, { postNumber: 1 })).status).toBe(200);
      await eventually(async () => {
        const row = await reading.db.selectFrom('threads').select('vote_count').where('id', '=', id).executeTakeFirst();
        expect(row?.vote_count).toBe(1);
      });
      expect(await reading.db.selectFrom('held_votes').selectAll().execute()).toEqual([]);
    } finally {
      await reading.close();
    }
  });

  it('on an idea since closed or deleted are dropped; on one since merged they count on its target, never twice', async () => {
    const shipped = await newIdea();
    const deleted = await newIdea();
    const merged = await newIdea();
    const target = await newIdea();
    const mergedToo = await newIdea();
    const fan = await makeNewMember(t);
    for (const id of [shipped, deleted, merged, target, mergedToo]) await vote(fan, id);
    const other = await makeNewMember(t);
    await vote(other, merged);

    expect((await admin.client.put(`/api/ideas/${shipped}/status`, { status: 'shipped' })).status).toBe(200);
    await t.db.updateTable('threads').set({ deleted_at: new Date() }).where('id', '=', deleted).execute();
    // `fan` held votes on both the merged idea and its target: one vote there, not two
    expect((await admin.client.post(`/api/ideas/${merged}/merge`, { intoId: target })).status).toBe(200);
    expect((await admin.client.post(`/api/ideas/${mergedToo}/merge`, { intoId: target })).status).toBe(200);

    await raise(fan);
    await raise(other);
    await eventually(async () => {
      expect(await heldRows(fan.user.id)).toEqual([]);
      expect(await heldRows(other.user.id)).toEqual([]);
    });
    expect((await countedRows(shipped)).length).toBe(0);
    expect((await countedRows(deleted)).length).toBe(0);
    expect((await countedRows(merged)).length).toBe(0);
    expect((await countedRows(target)).map((r) => r.user_id).sort()).toEqual([fan.user.id, other.user.id].sort());
    expect((await ideaRow(target)).vote_count).toBe(2);
    // the released vote is the voter's own: undoing the merge leaves it on the target
    expect((await admin.client.post(`/api/ideas/${merged}/unmerge`)).status).toBe(200);
    expect((await countedRows(target)).map((r) => r.user_id).sort()).toEqual([fan.user.id, other.user.id].sort());
    await countsMatchRows();
  });

  it('spend a category’s vote budget like counted votes', async () => {
    const budgeted = (await makeCategory(t, { allowIdeas: true, voteBudget: 2 })).id;
    const ideas = [await newIdea(budgeted), await newIdea(budgeted), await newIdea(budgeted)];
    const fan = await makeNewMember(t);
    expect(await vote(fan, ideas[0] as number)).toMatchObject({ held: true, budgetLeft: 1 });
    expect(await vote(fan, ideas[1] as number)).toMatchObject({ held: true, budgetLeft: 0 });
    const refused = await fan.client.put(`/api/ideas/${ideas[2]}/vote`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('vote_budget_exhausted');
    expect((await fan.client.get(`/api/ideas/${ideas[2]}`)).body).toMatchObject({ budgetLeft: 0, canVote: false });
    await raise(fan);
    await eventually(async () => expect(await heldRows(fan.user.id)).toEqual([]));
    expect((await fan.client.get(`/api/ideas/${ideas[2]}`)).body).toMatchObject({ budgetLeft: 0 });
    expect((await ideaRow(ideas[0] as number)).vote_count).toBe(1);
  });

  it('stay counted when staff lower a member to level 0', async () => {
    const id = await newIdea();
    const fan = await makeUser(t, { trustLevel: 1 });
    expect(await vote(fan, id)).toMatchObject({ held: false, voteCount: 1 });
    expect((await moderator.client.put(`/api/moderation/users/${fan.user.id}/trust-level`, { level: 0 })).status).toBe(
      200,
    );
    // voting again keeps the counted vote; a new vote elsewhere is held
    expect(await vote(fan, id)).toMatchObject({ held: false, voteCount: 1 });
    expect(await heldRows(fan.user.id)).toEqual([]);
    expect(await vote(fan, await newIdea())).toMatchObject({ held: true, voteCount: 0 });
  });

  it('all count when an admin stops holding new members’ votes', async () => {
    const held = await startTestApp({ settings: { newMemberVotesHeld: true } });
    try {
      const boss = await makeUser(held, { role: 'admin' });
      const category = await makeCategory(held, { allowIdeas: true });
      const id = (await makeIdea(held, (await makeUser(held)).user, { categoryId: category.id })).id;
      const fans = await Promise.all(Array.from({ length: 5 }, () => makeNewMember(held)));
      for (const fan of fans) expect(await vote(fan, id)).toMatchObject({ held: true });
      expect((await boss.client.patch('/api/admin/settings', { newMemberVotesHeld: false })).status).toBe(200);
      await eventually(async () => {
        const row = await held.db.selectFrom('threads').select('vote_count').where('id', '=', id).executeTakeFirst();
        expect(row?.vote_count).toBe(5);
      });
      expect(await held.db.selectFrom('held_votes').selectAll().execute()).toEqual([]);
      expect((await fans[0]?.client.get('/api/me'))?.body.user.votesHeld).toBe(false);
    } finally {
      await held.close();
    }
  });

  it('stay exact under hundreds of votes, take-backs and promotions at once', async () => {
    const hot = [await newIdea(), await newIdea(), await newIdea()];
    const newcomers = await Promise.all(Array.from({ length: 120 }, () => makeNewMember(t)));
    const regulars = await Promise.all(Array.from({ length: 60 }, () => makeUser(t, { trustLevel: 2 })));
    // everyone votes on every hot idea, newcomers take some back, and half the newcomers are
    // promoted while their votes are on their way
    const requests: Promise<unknown>[] = [];
    for (const [i, fan] of newcomers.entries()) {
      for (const id of hot) requests.push(vote(fan, id));
      if (i % 4 === 0) requests.push(vote(fan, hot[0] as number, false));
      if (i % 2 === 0) requests.push(raise(fan));
    }
    for (const fan of regulars) for (const id of hot) requests.push(vote(fan, id));
    await Promise.all(requests);
    await eventually(async () => {
      const stuck = await sql<{ n: number }>`
        select count(*)::int as n from held_votes h join users u on u.id = h.user_id where u.trust_level >= 1`.execute(
        t.db,
      );
      expect(stuck.rows[0]?.n).toBe(0);
    });

    // ground truth: per idea, the regulars plus the promoted newcomers whose vote stands
    const promoted = new Set(newcomers.filter((_, i) => i % 2 === 0).map((m) => m.user.id));
    for (const id of hot) {
      const counted = new Set((await countedRows(id)).map((r) => r.user_id));
      const held = await t.db.selectFrom('held_votes').select('user_id').where('idea_id', '=', id).execute();
      for (const r of regulars) expect(counted.has(r.user.id)).toBe(true);
      for (const fan of newcomers) {
        const heldHere = held.some((h) => h.user_id === fan.user.id);
        const countedHere = counted.has(fan.user.id);
        expect(heldHere && countedHere).toBe(false); // never both
        if (promoted.has(fan.user.id)) expect(heldHere).toBe(false);
        else expect(countedHere).toBe(false);
      }
      expect((await ideaRow(id)).vote_count).toBe(counted.size);
    }
    // ideas 1 and 2 were never taken back: every voter stands there, counted or held
    for (const id of hot.slice(1)) {
      const counted = (await countedRows(id)).length;
      const held = (await t.db.selectFrom('held_votes').select('user_id').where('idea_id', '=', id).execute()).length;
      expect(counted + held).toBe(newcomers.length + regulars.length);
      expect(counted).toBe(regulars.length + promoted.size);
    }
    await countsMatchRows();
  });
});

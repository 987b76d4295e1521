import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeUser } from '../../test/factories';
import { forumFixture } from '../../test/forum';
import { withTx } from '../db/tx';
import { rebaseTrending, TRENDING_HALF_LIFE_SECONDS } from './trending';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
  categoryId = (await makeCategory(t, { slug: 'trend-ideas', name: 'Trend ideas', allowIdeas: true })).id;
});
afterAll(() => t.close());

let n = 0;
async function idea() {
  n += 1;
  const res = await f.member.post('/api/threads', { categoryId, kind: 'idea', title: `Trending idea ${n}`, body: 'x' });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

async function voters(count: number) {
  return Promise.all(Array.from({ length: count }, async () => (await makeUser(t)).client));
}

const trendingOrder = async () =>
  (await f.member.get(`/api/ideas?sort=trending&category=trend-ideas&limit=100`)).body.items.map(
    (i: { id: number }) => i.id,
  );

const scores = async () =>
  Object.fromEntries(
    (await t.db.selectFrom('idea_recent_votes').select(['idea_id', 'trending']).execute()).map((r) => [
      r.idea_id,
      r.trending,
    ]),
  );

/** Pretends the epoch is `years` old: as if the server now ran that long after it. */
const ageEpoch = (years: number) =>
  sql`update trending_epoch set epoch = now() - make_interval(years => ${years})`.execute(t.db);

describe('trending scores over the years', () => {
  it('counts votes cast nine years after the epoch (2035) instead of failing every vote', async () => {
    const id = await idea();
    const [a] = await voters(1);
    await ageEpoch(9); // the exponent is now ~790 doublings past 2^1024's reach in May 2034
    const res = await a?.put(`/api/ideas/${id}/vote`);
    expect(res?.status).toBe(200);
    expect(res?.body.voteCount).toBe(1);
    const score = (await scores())[id];
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThan(0);
  });

  it('merging ideas whose votes were cast in 2035 keeps working', async () => {
    // votes cast far past the old fixed epoch, as a 2035 database would hold them
    const [a, b] = [await idea(), await idea()];
    const [x, y] = await voters(2);
    await x?.put(`/api/ideas/${a}/vote`);
    await y?.put(`/api/ideas/${b}/vote`);
    await sql`update idea_votes set created_at = '2035-06-01T00:00:00Z' where idea_id in (${a}, ${b})`.execute(t.db);
    await sql`update trending_epoch set epoch = '2026-01-01T00:00:00Z'`.execute(t.db);
    const merged = await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b });
    expect(merged.status).toBe(200);
    expect(Number.isFinite((await scores())[b])).toBe(true);
  });

  it('rebases by whole half-lives: the order and the ratios stay, the exponents shrink', async () => {
    await sql`update trending_epoch set epoch = now() - interval '30 days'`.execute(t.db);
    await t.db.updateTable('idea_recent_votes').set({ trending: 0 }).execute();
    await t.db.deleteFrom('idea_votes').execute();
    await t.db.updateTable('threads').set({ vote_count: 0 }).where('kind', '=', 'idea').execute();
    const ideas = [await idea(), await idea(), await idea()];
    const crowd = await voters(6);
    // 3, 2 and 1 votes
    for (const [i, id] of ideas.entries()) {
      for (const c of crowd.slice(0, 3 - i)) expect((await c.put(`/api/ideas/${id}/vote`)).status).toBe(200);
    }
    expect(await withTx(t.db, rebaseTrending)).toBe(0); // 30 days: not due
    const before = await scores();
    const orderBefore = await trendingOrder();
    expect(orderBefore.slice(0, 3)).toEqual(ideas);

    await ageEpoch(3);
    const aged = await scores(); // aging the epoch alone changes no stored score
    const halvings = await withTx(t.db, rebaseTrending);
    expect(halvings).toBeGreaterThanOrEqual(Math.floor((3 * 365 * 86400) / TRENDING_HALF_LIFE_SECONDS));
    const after = await scores();
    for (const id of ideas) {
      expect(after[id]).toBeCloseTo((aged[id] ?? 0) * 2 ** -halvings, 20);
      expect((after[id] ?? 0) / (after[ideas[2] ?? 0] ?? 1)).toBeCloseTo(
        (before[id] ?? 0) / (before[ideas[2] ?? 0] ?? 1),
        9,
      );
    }
    expect(await trendingOrder()).toEqual(orderBefore);
    // a new vote weighs what it should against the rebased scores: 1 vote now ≈ 1 vote just before
    const fresh = await idea();
    expect((await crowd[5]?.put(`/api/ideas/${fresh}/vote`))?.status).toBe(200);
    const epochAge = await sql<{
      s: number;
    }>`select extract(epoch from now() - epoch)::float8 as s from trending_epoch`.execute(t.db);
    expect(epochAge.rows[0]?.s).toBeLessThan(TRENDING_HALF_LIFE_SECONDS + 60);
    expect((await scores())[fresh]).toBeGreaterThan(0.9);
    expect((await scores())[fresh]).toBeLessThan(2.1);
    expect(await withTx(t.db, rebaseTrending)).toBe(0); // done: not due again
  });
});

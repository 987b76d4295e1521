// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillMergeIds } from '../../../migrations/0005_idea_vote_merges';
import { randomPicker } from '../../../scripts/lib/random';
import { type Client, startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeIdea, makeUser } from '../../test/factories';
import { forumFixture } from '../../test/forum';
import { voteWeight } from '../../test/trending';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
  categoryId = (await makeCategory(t, { slug: 'merge-ideas', name: 'Merge ideas', allowIdeas: true })).id;
});
afterAll(() => t.close());

let n = 0;
async function idea(): Promise<number> {
  n += 1;
  return (await makeIdea(t, f.memberUser, { categoryId, title: `Merge me or keep me, idea ${n}` })).id;
}

async function fans(count: number) {
  const out: { client: Client; id: number }[] = [];
  for (let i = 0; i < count; i++) {
    const { client, user } = await makeUser(t);
    out.push({ client, id: user.id });
  }
  return out;
}

async function vote(fan: { client: Client }, ideaId: number) {
  const res = await fan.client.put(`/api/ideas/${ideaId}/vote`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Each vote row of some ideas, its time as PostgreSQL prints it (microseconds and all). */
async function voteRows(ideaIds: number[]) {
  const rows = await sql<{ idea_id: number; user_id: number; at: string }>`
    select idea_id, user_id, created_at::text as at from idea_votes
    where idea_id = any(${ideaIds}::bigint[]) order by idea_id, user_id`.execute(t.db);
  return rows.rows;
}

const voterIds = async (ideaId: number) => (await voteRows([ideaId])).map((r) => r.user_id);

/** Every idea's counter equals its vote rows. */
async function countsMatchRows() {
  const drift = await sql<{ id: number }>`
    select t.id from threads t
    where t.kind = 'idea' and t.vote_count <> (select count(*) from idea_votes v where v.idea_id = t.id)`.execute(t.db);
  expect(drift.rows).toEqual([]);
}

describe('merge and unmerge keep votes exactly', () => {
  it('keeps vote times to the microsecond through a merge and an unmerge', async () => {
    const a = await idea();
    const b = await idea();
    const [onlyA, both, onlyB] = await fans(3);
    for (const fan of [onlyA, both]) await vote(fan as { client: Client }, a);
    for (const fan of [both, onlyB]) await vote(fan as { client: Client }, b);
    // times with microseconds that a JavaScript Date cannot hold
    await sql`
      update idea_votes set created_at = case
        when idea_id = ${a} and user_id = ${onlyA?.id} then '2026-03-04 07:38:14.098607+00'::timestamptz
        when idea_id = ${a} and user_id = ${both?.id} then '2026-03-04 07:39:01.000001+00'::timestamptz
        when idea_id = ${b} and user_id = ${both?.id} then '2026-03-05 11:12:13.141592+00'::timestamptz
        else '2026-03-06 23:59:59.999999+00'::timestamptz end
      where idea_id in (${a}, ${b})`.execute(t.db);
    const before = await voteRows([a, b]);
    expect(before.map((r) => r.at.slice(19, 26))).toEqual(['.098607', '.000001', '.141592', '.999999']);

    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);
    const merged = await voteRows([a, b]);
    // onlyA's vote moved with its time; the voter of both keeps B's own vote (not doubled)
    expect(merged).toEqual(
      [
        { idea_id: b, user_id: onlyA?.id, at: before[0]?.at },
        { idea_id: b, user_id: both?.id, at: before[2]?.at },
        { idea_id: b, user_id: onlyB?.id, at: before[3]?.at },
      ].sort((x, y) => (x.user_id as number) - (y.user_id as number)),
    );

    expect((await f.admin.post(`/api/ideas/${a}/unmerge`)).status).toBe(200);
    expect(await voteRows([a, b])).toEqual(before);
    await countsMatchRows();
  });

  it('keeps what happened on the target since the merge', async () => {
    const a = await idea();
    const b = await idea();
    const [stays, withdraws, toggles, claims, newcomer, ownB] = await fans(6);
    for (const fan of [stays, withdraws, toggles, claims]) await vote(fan as { client: Client }, a);
    await vote(ownB as { client: Client }, b);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);

    // after the merge, on B: one takes the moved vote back, one takes it back and votes again,
    // one votes again while already counted (the vote becomes theirs), a newcomer votes
    expect((await withdraws?.client.request('DELETE', `/api/ideas/${b}/vote`))?.status).toBe(200);
    expect((await toggles?.client.request('DELETE', `/api/ideas/${b}/vote`))?.status).toBe(200);
    await vote(toggles as { client: Client }, b);
    await vote(claims as { client: Client }, b);
    await vote(newcomer as { client: Client }, b);

    const res = await f.admin.post(`/api/ideas/${a}/unmerge`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', voteCount: 4 });
    // A is what it was when merged; B keeps its own voters and those who voted there themselves
    const sorted = (ids: (number | undefined)[]) => (ids as number[]).sort((x, y) => x - y);
    expect(await voterIds(a)).toEqual(sorted([stays?.id, withdraws?.id, toggles?.id, claims?.id]));
    expect(await voterIds(b)).toEqual(sorted([ownB?.id, toggles?.id, claims?.id, newcomer?.id]));
    expect((await f.admin.get(`/api/ideas/${b}`)).body.voteCount).toBe(4);
    await countsMatchRows();
  });

  it('refuses to undo chained merges out of order, and undoes them exactly in order', async () => {
    const [a, b, c] = [await idea(), await idea(), await idea()];
    const crowd = await fans(25);
    const ofA = crowd.slice(0, 10);
    const ofB = crowd.slice(10, 20);
    const ofC = crowd.slice(20);
    for (const fan of ofA) await vote(fan, a);
    for (const fan of ofB) await vote(fan, b);
    for (const fan of ofC) await vote(fan, c);
    const [beforeA, beforeB, beforeC] = [await voterIds(a), await voterIds(b), await voterIds(c)];

    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);
    expect((await f.admin.post(`/api/ideas/${b}/merge`, { intoId: c })).status).toBe(200);
    expect((await f.admin.get(`/api/ideas/${c}`)).body.voteCount).toBe(25);

    const refused = await f.admin.post(`/api/ideas/${a}/unmerge`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'unmerge_target_first', details: { unmergeFirst: [b] } });
    expect(refused.body.error.message).toContain(`#${b}`);
    expect(await voterIds(a)).toEqual([]);
    expect((await f.admin.get(`/api/ideas/${a}`)).body).toMatchObject({ status: 'duplicate', mergedInto: { id: b } });

    const back = await f.admin.post(`/api/ideas/${b}/unmerge`);
    expect(back.status).toBe(200);
    expect(back.body.voteCount).toBe(20);
    expect(await voterIds(c)).toEqual(beforeC);
    expect((await f.admin.post(`/api/ideas/${a}/unmerge`)).status).toBe(200);
    expect(await voterIds(a)).toEqual(beforeA);
    expect(await voterIds(b)).toEqual(beforeB);
    expect(await voterIds(c)).toEqual(beforeC);
    await countsMatchRows();

    // a longer chain names every merge to undo, the one that can be undone now first
    const [x, y, z, w] = [await idea(), await idea(), await idea(), await idea()];
    for (const [from, into] of [
      [x, y],
      [y, z],
      [z, w],
    ])
      expect((await f.admin.post(`/api/ideas/${from}/merge`, { intoId: into })).status).toBe(200);
    const deep = await f.admin.post(`/api/ideas/${x}/unmerge`);
    expect(deep.body.error).toMatchObject({ code: 'unmerge_target_first', details: { unmergeFirst: [z, y] } });
  });

  it('undoes merges into the same idea in any order without losing a shared voter', async () => {
    const [a, x, b] = [await idea(), await idea(), await idea()];
    const [shared, onlyX] = await fans(2);
    await vote(shared as { client: Client }, a);
    await vote(shared as { client: Client }, x);
    await vote(onlyX as { client: Client }, x);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);
    expect((await f.admin.post(`/api/ideas/${x}/merge`, { intoId: b })).status).toBe(200);
    expect(await voterIds(b)).toEqual([shared?.id, onlyX?.id]);
    // X is still merged into B, and the shared voter voted for X: they still count on B
    expect((await f.admin.post(`/api/ideas/${a}/unmerge`)).status).toBe(200);
    expect(await voterIds(b)).toEqual([shared?.id, onlyX?.id]);
    expect((await f.admin.post(`/api/ideas/${x}/unmerge`)).status).toBe(200);
    expect(await voterIds(b)).toEqual([]);
    expect(await voterIds(a)).toEqual([shared?.id]);
    expect(await voterIds(x)).toEqual([shared?.id, onlyX?.id]);

    // a vote that an earlier merge gave and that was taken back stays taken back
    const [p, q, target] = [await idea(), await idea(), await idea()];
    const [fan] = await fans(1);
    await vote(fan as { client: Client }, p);
    expect((await f.admin.post(`/api/ideas/${p}/merge`, { intoId: target })).status).toBe(200);
    expect((await fan?.client.request('DELETE', `/api/ideas/${target}/vote`))?.status).toBe(200);
    await vote(fan as { client: Client }, q);
    expect((await f.admin.post(`/api/ideas/${q}/merge`, { intoId: target })).status).toBe(200);
    expect(await voterIds(target)).toEqual([fan?.id]);
    expect((await f.admin.post(`/api/ideas/${q}/unmerge`)).status).toBe(200);
    expect(await voterIds(target)).toEqual([]);
    expect(await voterIds(q)).toEqual([fan?.id]);
    await countsMatchRows();
  });

  it('undoes a merge once when several moderators press unmerge at the same time', async () => {
    const [a, b] = [await idea(), await idea()];
    const crowd = await fans(6);
    for (const fan of crowd) await vote(fan, a);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 4 }, () => f.admin.post(`/api/ideas/${a}/unmerge`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual([
      'not_merged',
      'not_merged',
      'not_merged',
    ]);
    expect(await voterIds(a)).toEqual(crowd.map((c) => c.id));
    expect(await voterIds(b)).toEqual([]);
    await countsMatchRows();
  });

  it('undoes merges made before votes remembered their merge (migration 0005)', async () => {
    const [a, b] = [await idea(), await idea()];
    const [onlyA, both, onlyB] = await fans(3);
    for (const fan of [onlyA, both]) await vote(fan as { client: Client }, a);
    for (const fan of [both, onlyB]) await vote(fan as { client: Client }, b);
    const before = await voteRows([a, b]);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(200);
    // what such a merge left: target votes without a merge id, a record without them
    await sql`update idea_votes set merge_id = null where idea_id = ${b}`.execute(t.db);
    await sql`update idea_merges set from_votes = (select jsonb_agg(e - 'merge_id') from jsonb_array_elements(from_votes) e)
              where from_id = ${a}`.execute(t.db);
    await backfillMergeIds(t.db);
    expect((await f.admin.post(`/api/ideas/${a}/unmerge`)).status).toBe(200);
    expect(await voteRows([a, b])).toEqual(before);
    await countsMatchRows();
  });
});

/**
 * The model: the ideas' voter sets are what replaying every successful vote, withdrawal and
 * merge gives, skipping the merges that were undone. An unmerge is "as if that merge had never
 * happened", and everything else that happened since still holds.
 */
type Step =
  | { kind: 'vote' | 'withdraw'; user: number; idea: number }
  | { kind: 'merge'; from: number; into: number; undone: boolean };

function replay(log: Step[], ideaCount: number): Set<number>[] {
  const sets = Array.from({ length: ideaCount }, () => new Set<number>());
  const at = (i: number) => sets[i] as Set<number>;
  for (const s of log) {
    if (s.kind === 'vote') at(s.idea).add(s.user);
    else if (s.kind === 'withdraw') at(s.idea).delete(s.user);
    else if (s.kind === 'merge' && !s.undone) {
      for (const u of at(s.from)) at(s.into).add(u);
      at(s.from).clear();
    }
  }
  return sets;
}

describe('merge and unmerge, property test', () => {
  const IDEAS = 6;
  const USERS = 15;
  const STEPS = 250;
  const seeds = process.env.FANLAB_MERGE_SEED ? [Number(process.env.FANLAB_MERGE_SEED)] : [2, 3, 150];
  let users: { client: Client; id: number }[];
  beforeAll(async () => {
    users = await fans(USERS);
  });

  for (const seed of seeds) {
    it(`random votes, withdrawals, merges and unmerges match the model (seed ${seed})`, async () => {
      const rnd = randomPicker(seed);
      const ideas: number[] = [];
      for (let i = 0; i < IDEAS; i++) ideas.push(await idea());
      const userIndex = new Map(users.map((u, i) => [u.id, i]));
      const log: Step[] = [];
      const activeMerge = new Map<number, Extract<Step, { kind: 'merge' }>>(); // by `from`
      const versions = ideas.map(() => 0);
      const trail: string[] = [];
      // the current weight of a vote, to judge the float error of trending scores
      const weightNow = 2 ** ((Date.now() - Date.parse('2026-01-01T00:00:00Z')) / 1000 / 259200);

      for (let step = 0; step < STEPS; step++) {
        try {
          const roll = rnd.next();
          const i = rnd.int(0, IDEAS - 1);
          const id = ideas[i] as number;
          if (roll < 0.6) {
            const u = rnd.int(0, USERS - 1);
            const cast = roll < 0.4;
            trail.push(`${step}: user ${u} ${cast ? 'votes for' : 'withdraws from'} idea ${i}`);
            const res = await users[u]?.client.request(cast ? 'PUT' : 'DELETE', `/api/ideas/${id}/vote`);
            if (activeMerge.has(i)) {
              expect([res?.status, res?.body.error?.code]).toEqual([409, 'idea_closed']);
            } else {
              expect(res?.status).toBe(200);
              log.push({ kind: cast ? 'vote' : 'withdraw', user: u, idea: i });
              expect(res?.body.voteCount).toBe(replay(log, IDEAS)[i]?.size);
            }
          } else if (roll < 0.8) {
            const into = (i + rnd.int(1, IDEAS - 1)) % IDEAS;
            trail.push(`${step}: merge idea ${i} into idea ${into}`);
            const res = await f.admin.post(`/api/ideas/${id}/merge`, { intoId: ideas[into] });
            if (activeMerge.has(i) || activeMerge.has(into)) {
              expect([res.status, res.body.error?.code]).toEqual([409, 'already_merged']);
            } else {
              expect(res.status).toBe(200);
              const merge = { kind: 'merge' as const, from: i, into, undone: false };
              log.push(merge);
              activeMerge.set(i, merge);
            }
          } else {
            trail.push(`${step}: unmerge idea ${i}`);
            const res = await f.admin.post(`/api/ideas/${id}/unmerge`);
            const merge = activeMerge.get(i);
            if (!merge) {
              expect([res.status, res.body.error?.code]).toEqual([409, 'not_merged']);
            } else if (activeMerge.has(merge.into)) {
              const chain: number[] = [];
              for (let m = activeMerge.get(merge.into); m; m = activeMerge.get(m.into)) chain.unshift(m.from);
              expect([res.status, res.body.error]).toEqual([
                409,
                {
                  code: 'unmerge_target_first',
                  message: expect.any(String),
                  details: { unmergeFirst: chain.map((c) => ideas[c]) },
                },
              ]);
            } else {
              expect(res.status).toBe(200);
              merge.undone = true;
              activeMerge.delete(i);
            }
          }

          // after every step: the rows, the counters, the statuses and the versions
          const expected = replay(log, IDEAS);
          const state = await sql<{
            id: number;
            vote_count: number;
            vote_version: number;
            status: string;
            merged_into_id: number | null;
            trending_score: number;
            sorted_votes: number;
            trending_from_rows: number;
            voters: number[];
          }>`
            select t.id, t.vote_count, t.vote_version, t.status, t.merged_into_id, r.trending as trending_score,
              r.votes as sorted_votes,
              array_remove(array_agg(v.user_id::int order by v.user_id), null) as voters,
              coalesce(sum(${voteWeight('v.created_at')}), 0) as trending_from_rows
            from threads t join idea_recent_votes r on r.idea_id = t.id left join idea_votes v on v.idea_id = t.id
            where t.id = any(${ideas}::bigint[])
            group by t.id, r.idea_id`.execute(t.db);
          for (const [k, ideaId] of ideas.entries()) {
            const row = state.rows.find((s) => s.id === ideaId);
            const voters = (row?.voters ?? []).map((id) => userIndex.get(id) as number).sort((x, y) => x - y);
            expect(voters, `voters of idea ${k}`).toEqual([...(expected[k] as Set<number>)].sort((x, y) => x - y));
            expect(row?.vote_count, `counter of idea ${k}`).toBe(voters.length);
            expect(row?.sorted_votes, `sort key of idea ${k}`).toBe(voters.length);
            const merge = activeMerge.get(k);
            expect([row?.status === 'duplicate', row?.merged_into_id], `status of idea ${k}`).toEqual([
              merge !== undefined,
              merge ? ideas[merge.into] : null,
            ]);
            expect(row?.vote_version, `version of idea ${k}`).toBeGreaterThanOrEqual(versions[k] ?? 0);
            versions[k] = row?.vote_version ?? 0;
            const trending = row?.trending_score ?? 0;
            const fromRows = row?.trending_from_rows ?? 0;
            expect(Math.abs(trending - fromRows), `trending of idea ${k}`).toBeLessThanOrEqual(
              1e-9 * Math.max(1, weightNow, trending, fromRows),
            );
          }
        } catch (err) {
          const last = trail.slice(-40).join('\n');
          throw new Error(
            `Failed at seed ${seed}, step ${step}; rerun with FANLAB_MERGE_SEED=${seed}. Last steps:\n${last}\n\n${(err as Error).message}`,
          );
        }
      }
      await countsMatchRows();
    });
  }
});

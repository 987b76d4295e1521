// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field

import { IdeaChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeUser } from '../../test/factories';
import { forumFixture } from '../../test/forum';
import { TestSocket } from '../../test/socket';
import { type IdeaLiveState, ideaStateMessage, ideaStateMessageSql } from './channel';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let ideasCategory: { id: number; slug: string };
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  f = await forumFixture(t);
  ideasCategory = await makeCategory(t, { slug: 'phone-ideas', name: 'Phone ideas', allowIdeas: true });
});
afterAll(() => t.close());

let n = 0;
async function idea(client: Client, title?: string, categoryId = ideasCategory.id) {
  n += 1;
  const res = await client.post('/api/threads', {
    categoryId,
    kind: 'idea',
    title: title ?? `An idea worth voting for ${n}`,
    body: 'Please build this.',
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.id as number;
}

const fans = (count: number) => Promise.all(Array.from({ length: count }, () => makeUser(t)));

/** Every idea's counter equals its vote rows. */
async function countsMatchRows() {
  // the counter, and the sort key the votes' trigger keeps (migration 0032), equal the rows
  const drift = await sql<{ id: number; vote_count: number; sort_key: number; rows: number }>`
    select t.id, t.vote_count, r.votes as sort_key, (select count(*)::int from idea_votes v where v.idea_id = t.id) as rows
    from threads t join idea_recent_votes r on r.idea_id = t.id
    where t.kind = 'idea'
      and (t.vote_count <> (select count(*) from idea_votes v where v.idea_id = t.id) or r.votes <> t.vote_count)`.execute(
    t.db,
  );
  expect(drift.rows).toEqual([]);
}

const voterIds = async (ideaId: number) =>
  (
    await t.db.selectFrom('idea_votes').select('user_id').where('idea_id', '=', ideaId).orderBy('user_id').execute()
  ).map((r) => r.user_id);

describe('votes', () => {
  it('casts and takes back idempotently, one vote per person', async () => {
    const id = await idea(f.member);
    const [a, b] = await fans(2);
    expect((await a?.client.put(`/api/ideas/${id}/vote`))?.body).toMatchObject({ voted: true, voteCount: 1 });
    expect((await a?.client.put(`/api/ideas/${id}/vote`))?.body).toMatchObject({ voted: true, voteCount: 1 });
    expect((await b?.client.put(`/api/ideas/${id}/vote`))?.body).toMatchObject({ voted: true, voteCount: 2 });
    expect((await a?.client.request('DELETE', `/api/ideas/${id}/vote`))?.body).toMatchObject({
      voted: false,
      voteCount: 1,
    });
    expect((await a?.client.request('DELETE', `/api/ideas/${id}/vote`))?.body).toMatchObject({
      voted: false,
      voteCount: 1,
    });
    const detail = await b?.client.get(`/api/ideas/${id}`);
    expect(detail?.body).toMatchObject({ voted: true, voteCount: 1, canVote: true, status: 'open' });
    await countsMatchRows();
  });

  it('refuses anonymous, silenced, closed, unknown and non-idea votes with clear errors', async () => {
    const id = await idea(f.member);
    expect((await new Client(t.app).put(`/api/ideas/${id}/vote`)).status).toBe(401);
    const quiet = await makeUser(t, { silencedUntil: new Date(Date.now() + 3_600_000) });
    const silenced = await quiet?.client.put(`/api/ideas/${id}/vote`);
    expect(silenced?.status).toBe(403);
    expect(silenced?.body.error.code).toBe('silenced');
    expect((await quiet?.client.get(`/api/ideas/${id}`))?.body.cannotVoteReason).toBe('silenced');

    const [voter] = await fans(1);
    for (const status of ['shipped', 'declined'] as const) {
      const closed = await idea(f.member);
      await f.admin.put(`/api/ideas/${closed}/status`, { status });
      const res = await voter?.client.put(`/api/ideas/${closed}/vote`);
      expect(res?.status).toBe(409);
      expect(res?.body.error.code).toBe('idea_closed');
    }
    expect((await voter?.client.put('/api/ideas/999999/vote'))?.status).toBe(404);
    const discussion = await f.member.post('/api/threads', {
      categoryId: f.category.id,
      title: 'Not an idea at all',
      body: 'x',
    });
    expect((await voter?.client.put(`/api/ideas/${discussion.body.id}/vote`))?.status).toBe(404);
    expect((await voter?.client.put('/api/ideas/abc/vote'))?.status).toBe(400);
    await countsMatchRows();
  });

  it('keeps counts exact under a storm of simultaneous vote/unvote toggles by many users', async () => {
    const ids = [await idea(f.member), await idea(f.member), await idea(f.member)];
    const crowd = await fans(60);
    const requests: Promise<unknown>[] = [];
    for (let round = 0; round < 5; round++) {
      for (const [i, fan] of crowd.entries()) {
        const target = ids[(i + round) % ids.length] as number;
        const vote = (i + round) % 3 !== 0;
        requests.push(fan.client.request(vote ? 'PUT' : 'DELETE', `/api/ideas/${target}/vote`));
        if (i % 4 === 0) requests.push(fan.client.request('PUT', `/api/ideas/${ids[0]}/vote`));
      }
    }
    const results = (await Promise.all(requests)) as { status: number }[];
    expect(results.every((r) => r.status === 200)).toBe(true);
    await countsMatchRows();
    for (const id of ids) {
      const shown = (await new Client(t.app).get(`/api/ideas/${id}`)).body.voteCount;
      expect(shown).toBe((await voterIds(id)).length);
    }
  });

  it('move a counter no index of threads reads, so the threads row is updated in place (HOT)', async () => {
    // An index on a vote counter makes every vote's update of the wide threads row write a new
    // entry into all of its indexes (migration 0032): sort keys belong in idea_recent_votes.
    const indexes = await sql<{ def: string }>`
      select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = 'threads'::regclass`.execute(t.db);
    expect(indexes.rows.length).toBeGreaterThan(5);
    expect(indexes.rows.filter((r) => /vote_count|vote_version/.test(r.def))).toEqual([]);
    // and the sort key moves with the counter
    const id = await idea(f.member);
    const [fan] = await fans(1);
    for (let i = 0; i < 9; i++) {
      expect((await fan?.client.request(i % 2 ? 'DELETE' : 'PUT', `/api/ideas/${id}/vote`))?.status).toBe(200);
    }
    await countsMatchRows();
  });

  it('two processes voting for the same members at once never deadlock, and counts stay exact', async () => {
    // Two vote writers (two server processes) commit batches at the same time; each batch
    // counts its members' rate limits first. Members arrive in opposite orders in the two.
    const second = await startTestApp({ database: t.database });
    try {
      const ids = await Promise.all(Array.from({ length: 40 }, () => idea(f.member)));
      const crowd = await fans(20);
      const elsewhere = crowd.map(({ client }) => {
        const c = new Client(second.app);
        c.cookie = client.cookie;
        return c;
      });
      // every member toggles in a loop on both processes: batches keep forming in both, each
      // with the members in whatever order their requests came
      const loop = async (client: Client, seed: number) => {
        const answers: { status: number; body: unknown }[] = [];
        for (let k = 0; k < 15; k++) {
          const ideaId = ids[(seed * 7 + k * 13) % ids.length] as number;
          answers.push(await client.request(k % 2 ? 'DELETE' : 'PUT', `/api/ideas/${ideaId}/vote`));
        }
        return answers;
      };
      const requests = [
        ...crowd.map(({ client }, i) => loop(client, i)),
        ...elsewhere.map((client, i) => loop(client, i + 100)),
      ];
      const results = (await Promise.all(requests)).flat();
      expect(results).toHaveLength(600);
      expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      await countsMatchRows();
    } finally {
      await second.close();
    }
  });

  it('enforces a per-category vote budget and gives votes back when an idea closes', async () => {
    const budgeted = await makeCategory(t, { slug: 'budgeted', name: 'Budgeted', allowIdeas: true, voteBudget: 2 });
    const [a1, a2, a3] = [
      await idea(f.member, undefined, budgeted.id),
      await idea(f.member, undefined, budgeted.id),
      await idea(f.member, undefined, budgeted.id),
    ];
    const [voter] = await fans(1);
    const c = voter?.client as Client;
    expect((await c.put(`/api/ideas/${a1}/vote`)).body.budgetLeft).toBe(1);
    expect((await c.put(`/api/ideas/${a2}/vote`)).body.budgetLeft).toBe(0);
    const refused = await c.put(`/api/ideas/${a3}/vote`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('vote_budget_exhausted');
    expect((await c.get(`/api/ideas/${a3}`)).body).toMatchObject({
      canVote: false,
      cannotVoteReason: 'budget_exhausted',
      budgetLeft: 0,
    });
    // voting again on an idea you hold is fine
    expect((await c.put(`/api/ideas/${a1}/vote`)).status).toBe(200);
    await f.admin.put(`/api/ideas/${a1}/status`, { status: 'shipped' });
    expect((await c.put(`/api/ideas/${a3}/vote`)).body).toMatchObject({ voted: true, budgetLeft: 0 });
    // simultaneous votes cannot overspend
    const [racer] = await fans(1);
    const b = [await idea(f.member, undefined, budgeted.id), await idea(f.member, undefined, budgeted.id)];
    const raced = await Promise.all([a2, a3, ...b].map((id) => racer?.client.put(`/api/ideas/${id}/vote`)));
    expect(raced.filter((r) => r?.status === 200)).toHaveLength(2);
    await countsMatchRows();
  });

  it('limits votes per user with 429', async () => {
    const limited = await startTestApp({ limits: { vote: { max: 3, windowSeconds: 60 } } });
    try {
      const admin = await forumFixture(limited);
      const cat = await makeCategory(limited, { slug: 'rl', name: 'RL', allowIdeas: true });
      const res = await admin.member.post('/api/threads', {
        categoryId: cat.id,
        kind: 'idea',
        title: 'Rate limited idea',
        body: 'x',
      });
      const c = new Client(limited.app);
      await signUp(c);
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await c.request(i % 2 ? 'DELETE' : 'PUT', `/api/ideas/${res.body.id}/vote`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const last = await c.put(`/api/ideas/${res.body.id}/vote`);
      expect(last.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});

describe('status, responses and notifications', () => {
  it('tells each reader what they may do with an idea, from the server policy', async () => {
    const id = await idea(f.member);
    const { client: pm } = await makeUser(t, { role: 'product_manager' });
    const flags = async (c: Client) => {
      const body = (await c.get(`/api/ideas/${id}`)).body;
      return { canTriage: body.canTriage, canCurate: body.canCurate };
    };
    expect(await flags(new Client(t.app))).toEqual({ canTriage: false, canCurate: false });
    expect(await flags(f.member)).toEqual({ canTriage: false, canCurate: false });
    expect(await flags(pm)).toEqual({ canTriage: true, canCurate: false });
    expect(await flags(f.admin)).toEqual({ canTriage: true, canCurate: true });
  });

  it('sets a status with an official response, keeps a timeline, and notifies author and voters', async () => {
    const author = (await fans(1))[0] as { client: Client; user: any };
    const id = await idea(author.client, 'Dark mode for the camera app');
    const voters = await fans(3);
    for (const v of voters) await v.client.put(`/api/ideas/${id}/vote`);
    expect((await voters[0]?.client.put(`/api/ideas/${id}/status`, { status: 'planned' }))?.status).toBe(403);

    const res = await f.admin.put(`/api/ideas/${id}/status`, { status: 'planned', response: 'Coming in **May**.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'planned',
      officialResponseCooked: expect.stringContaining('<strong>May</strong>'),
    });
    await f.admin.put(`/api/ideas/${id}/status`, { status: 'in_progress' });
    const detail = await new Client(t.app).get(`/api/ideas/${id}`);
    expect(detail.body.history.map((h: any) => [h.fromStatus, h.toStatus])).toEqual([
      ['open', 'planned'],
      ['planned', 'in_progress'],
    ]);
    expect(detail.body.officialResponseCooked).toContain('May');

    for (const person of [author, ...voters]) {
      const notes = (await person.client.get('/api/notifications')).body.items.filter((x: any) => x.kind === 'status');
      expect(notes.map((x: any) => x.data.status)).toEqual(['in_progress', 'planned']);
      expect(notes[1].data.response).toBe('Coming in May.');
    }
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id).execute();
    expect(audit.filter((a) => a.action === 'idea.status_changed')).toHaveLength(2);

    expect((await f.admin.put(`/api/ideas/${id}/status`, { status: 'duplicate' })).body.error.code).toBe('use_merge');
    expect((await f.admin.put(`/api/ideas/${id}/status`, { status: 'invented' })).status).toBe(400);

    const more = [await idea(f.member), await idea(f.member)];
    const bulk = await f.admin.post('/api/ideas/status', { ids: more, status: 'under_review' });
    expect(bulk.body.updated).toBe(2);
    for (const m of more) expect((await f.admin.get(`/api/ideas/${m}`)).body.status).toBe('under_review');

    // all or none: one merged idea in the batch leaves every idea as it was
    const [x, y, merged, target] = [
      await idea(f.member),
      await idea(f.member),
      await idea(f.member),
      await idea(f.member),
    ];
    await f.admin.post(`/api/ideas/${merged}/merge`, { intoId: target });
    const refused = await f.admin.post('/api/ideas/status', { ids: [x, merged, y], status: 'planned' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('already_merged');
    for (const id of [x, y])
      expect((await f.admin.get(`/api/ideas/${id}`)).body).toMatchObject({ status: 'open', history: [] });
  });

  it('lets staff and product managers see who voted', async () => {
    const id = await idea(f.member);
    const voters = await fans(3);
    for (const v of voters) await v.client.put(`/api/ideas/${id}/vote`);
    expect((await f.member.get(`/api/ideas/${id}/voters`)).status).toBe(403);
    const page1 = await f.admin.get(`/api/ideas/${id}/voters?limit=2`);
    const page2 = await f.admin.get(`/api/ideas/${id}/voters?limit=2&cursor=${page1.body.nextCursor}`);
    const names = [...page1.body.items, ...page2.body.items].map((v: any) => v.user.username).sort();
    expect(names).toEqual(voters.map((v) => v.user.username).sort());
  });
});

describe('merging duplicates', () => {
  it('moves voters without doubling or losing anyone, notifies, and unmerges exactly', async () => {
    const a = await idea(f.member, 'Longer battery life please');
    const b = await idea(f.member, 'Improve the battery life');
    const [onlyA1, onlyA2, both, onlyB] = await fans(4);
    for (const v of [onlyA1, onlyA2, both]) await v?.client.put(`/api/ideas/${a}/vote`);
    for (const v of [both, onlyB]) await v?.client.put(`/api/ideas/${b}/vote`);
    const beforeA = await voterIds(a);
    const beforeB = await voterIds(b);
    await f.admin.put(`/api/ideas/${b}/status`, { status: 'shipped' }); // whatever B's status

    expect((await f.member.post(`/api/ideas/${a}/merge`, { intoId: b })).status).toBe(403);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: a })).status).toBe(400);
    const merged = await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ status: 'duplicate', voteCount: 0, mergedInto: { id: b } });
    expect(await voterIds(a)).toEqual([]);
    expect(await voterIds(b)).toEqual([...new Set([...beforeA, ...beforeB])].sort((x, y) => x - y));
    expect((await new Client(t.app).get(`/api/ideas/${b}`)).body).toMatchObject({
      voteCount: 4,
      mergedFrom: [{ id: a }],
    });
    await countsMatchRows();

    const note = (await onlyA1?.client.get('/api/notifications'))?.body.items.find((x: any) => x.kind === 'merged');
    expect(note).toMatchObject({ threadId: a, data: { intoId: b } });
    expect((await f.member.get('/api/notifications')).body.items.some((x: any) => x.kind === 'merged')).toBe(true);
    expect((await f.admin.post(`/api/ideas/${a}/merge`, { intoId: b })).body.error.code).toBe('already_merged');
    expect((await onlyB?.client.put(`/api/ideas/${a}/vote`))?.body.error.code).toBe('idea_closed');

    const unmerged = await f.admin.post(`/api/ideas/${a}/unmerge`);
    expect(unmerged.body).toMatchObject({ status: 'open', voteCount: 3, mergedInto: null });
    expect(await voterIds(a)).toEqual(beforeA);
    expect(await voterIds(b)).toEqual(beforeB);
    expect((await f.admin.post(`/api/ideas/${a}/unmerge`)).body.error.code).toBe('not_merged');
    await countsMatchRows();
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', a).execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['idea.merged', 'idea.unmerged']));
  });
});

describe('boards and similar ideas', () => {
  it('ranks by top, new, discussed, trending and hot with keyset pages and filters', async () => {
    const board = await makeCategory(t, { slug: 'board', name: 'Board', allowIdeas: true });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await idea(f.member, `Board idea number ${i}`, board.id));
    const crowd = await fans(5);
    for (const [i, fan] of crowd.entries())
      for (const id of ids.slice(0, 5 - i)) await fan.client.put(`/api/ideas/${id}/vote`);
    await f.member.post(`/api/threads/${ids[5]}/posts`, { body: 'discuss' });
    await f.admin.put(`/api/ideas/${ids[1]}/tags`, { tags: ['camera', 'battery'] });
    await f.admin.put(`/api/ideas/${ids[2]}/status`, { status: 'planned' });

    for (const sort of ['top', 'new', 'discussed', 'trending', 'hot']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await f.member.get(
          `/api/ideas?category=board&sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...res.body.items.map((x: any) => x.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(new Set(seen), sort).toEqual(new Set(ids));
      expect(seen).toHaveLength(6);
    }
    const top = (await f.member.get('/api/ideas?category=board&sort=top')).body.items;
    expect(top.map((x: any) => x.voteCount)).toEqual([5, 4, 3, 2, 1, 0]);
    expect((await f.member.get('/api/ideas?category=board&sort=discussed')).body.items[0].id).toBe(ids[5]);
    expect((await f.member.get('/api/ideas?category=board&sort=trending')).body.items[0].id).toBe(ids[0]);
    expect((await f.member.get('/api/ideas?category=board&tag=camera')).body.items.map((x: any) => x.id)).toEqual([
      ids[1],
    ]);
    expect((await f.member.get('/api/ideas?category=board&status=planned')).body.items.map((x: any) => x.id)).toEqual([
      ids[2],
    ]);
    const voted = (await crowd[0]?.client.get('/api/ideas?category=board&sort=top'))?.body.items;
    expect(voted.filter((x: any) => x.voted)).toHaveLength(5);
    for (const bad of ['sort=random', 'status=maybe', 'tag=Bad Tag', 'cursor=zzz', 'category=nope']) {
      expect((await f.member.get(`/api/ideas?${bad}`)).status, bad).toBeGreaterThanOrEqual(400);
    }
  });

  it('lists open work by default (closed ideas one filter away), each with its excerpt, and a reader’s own votes', async () => {
    const shelf = await makeCategory(t, { slug: 'shelf', name: 'Shelf', allowIdeas: true });
    const [open, planned, shipped, declined, merged] = [
      await idea(f.member, 'Shelf idea still open', shelf.id),
      await idea(f.member, 'Shelf idea planned', shelf.id),
      await idea(f.member, 'Shelf idea shipped', shelf.id),
      await idea(f.member, 'Shelf idea declined', shelf.id),
      await idea(f.member, 'Shelf idea merged away', shelf.id),
    ];
    await f.admin.put(`/api/ideas/${planned}/status`, { status: 'planned' });
    await f.admin.put(`/api/ideas/${shipped}/status`, { status: 'shipped' });
    await f.admin.put(`/api/ideas/${declined}/status`, { status: 'declined' });
    expect((await f.admin.post(`/api/ideas/${merged}/merge`, { intoId: open })).status).toBe(200);
    const [fan] = await fans(1);
    await fan?.client.put(`/api/ideas/${planned}/vote`);
    const ids = async (client: Client, query: string) =>
      new Set(((await client.get(`/api/ideas?category=shelf&${query}`)).body.items as any[]).map((x) => x.id));

    // a merged duplicate with no votes no longer sits among the open ideas
    expect(await ids(f.member, 'sort=top')).toEqual(new Set([open, planned]));
    expect(await ids(f.member, 'state=open')).toEqual(new Set([open, planned]));
    expect(await ids(f.member, 'state=closed')).toEqual(new Set([shipped, declined, merged]));
    expect(await ids(f.member, 'state=all')).toEqual(new Set([open, planned, shipped, declined, merged]));
    expect(await ids(f.member, 'state=open&status=shipped')).toEqual(new Set([shipped])); // a status wins
    expect((await f.member.get('/api/ideas?state=maybe')).status).toBe(400);

    // my votes: the reader's own, signed in only
    expect(await ids(fan?.client as Client, 'voted=true&state=all')).toEqual(new Set([planned]));
    expect(await ids(f.member, 'voted=true&state=all')).toEqual(new Set());
    const anonymous = await new Client(t.app).get('/api/ideas?voted=true');
    expect(anonymous.status).toBe(401);

    const item = (await f.member.get('/api/ideas?category=shelf&sort=new')).body.items[0];
    expect(item.excerpt).toBe('Please build this.');
  });

  it('suggests similar ideas while a title is typed', async () => {
    const cat = await makeCategory(t, { slug: 'similar', name: 'Similar', allowIdeas: true });
    const dark = await idea(f.member, 'Dark mode for the gallery app', cat.id);
    await idea(f.member, 'Dark theme in settings', cat.id);
    await idea(f.member, 'Faster charging over USB-C', cat.id);
    const res = await new Client(t.app).get('/api/ideas/similar?q=dark%20mode%20gal&category=similar');
    expect(res.status).toBe(200);
    expect(res.body.ideas[0]).toMatchObject({ id: dark, status: 'open', voteCount: 0 });
    expect(res.body.ideas.map((x: any) => x.title)).not.toContain('Faster charging over USB-C');
    const accents = await new Client(t.app).get(
      `/api/ideas/similar?q=${encodeURIComponent('gallery')}&category=similar`,
    );
    expect(accents.body.ideas.map((x: any) => x.id)).toContain(dark);
    expect((await new Client(t.app).get('/api/ideas/similar?q=ab')).status).toBe(400);
  });
});

describe('live vote counts', () => {
  it('are announced by the vote statement exactly as the code announces an idea', async () => {
    const id = await idea(f.member);
    const [fan] = await fans(1);
    expect((await fan?.client.put(`/api/ideas/${id}/vote`))?.status).toBe(200);
    const { rows } = await sql<IdeaLiveState & { message: string }>`
      select t.id, t.status, t.vote_count, t.vote_version, ${ideaStateMessageSql('t', IdeaChannelEvents.votes)} as message
      from threads t where t.id = ${id}`.execute(t.db);
    const row = rows[0] as IdeaLiveState & { message: string };
    expect(row.vote_count).toBe(1);
    expect(JSON.parse(row.message)).toEqual(ideaStateMessage(row, IdeaChannelEvents.votes));
  });

  it('coalesces a storm into a few updates that end at the true count, and catches up after a reconnect', async () => {
    const id = await idea(f.member);
    const watcher = await TestSocket.open(t.baseUrl);
    const sub: any = await watcher.subscribe(`idea:${id}`, 0);
    expect(sub.cursor).toBe(0);
    const crowd = await fans(40);
    const started = Date.now();
    await Promise.all(crowd.map((c) => c.client.put(`/api/ideas/${id}/vote`)));
    await watcher.next((m: any) => m.type === 'event' && m.data.voteCount === 40, 5_000);
    const updates = watcher.messages.filter((m: any) => m.type === 'event');
    const seconds = Math.max(1, (Date.now() - started) / 1000);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
    const versions = updates.map((m: any) => m.cursor);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions); // never backwards
    const lastVersion = versions[versions.length - 1];
    watcher.close();

    await Promise.all(crowd.slice(0, 7).map((c) => c.client.request('DELETE', `/api/ideas/${id}/vote`)));
    const back = await TestSocket.open(t.baseUrl);
    await back.subscribe(`idea:${id}`, lastVersion);
    const caught: any = back.messages.find((m: any) => m.type === 'event');
    expect(caught.data).toMatchObject({ voteCount: 33 });
    back.close();
  });
});

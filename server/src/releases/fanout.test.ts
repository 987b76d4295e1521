import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeAccount, makeCategory, makeIdea, makeUser, vote } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import type { UserRow } from '../db/schema';
import { withTx } from '../db/tx';
import { createRelease, publishRelease } from './actions';
import { ReleaseFanout } from './fanout';

/*
 * Exactly once, without killing anything: the app runs no worker of its own here; the tests
 * drive workers by hand (small chunks), two at once, and stop one between chunks as a crash would.
 */

let t: TestApp;
let pm: UserRow;
let voters: Member[];
let authors: UserRow[];
let ideas: number[];
let categoryId: number;
const quiet = { info() {}, warn() {}, error() {} } as never;
/** A worker telling `chunkSize` voters a chunk, splitting new jobs into `parts`. */
const worker = (chunkSize: number, parts = 1) => new ReleaseFanout(t.db, quiet, { chunkSize, pollMs: 60_000, parts });

beforeAll(async () => {
  t = await startTestApp({ listen: true, fanout: false });
  pm = await makeAccount(t, { role: 'product_manager' });
  const category = await makeCategory(t, { allowIdeas: true });
  categoryId = category.id;
  authors = await Promise.all([makeAccount(t), makeAccount(t)]);
  ideas = [];
  for (const [i, author] of [authors[0], authors[1], authors[0]].entries()) {
    ideas.push((await makeIdea(t, author as UserRow, { categoryId: category.id, title: `Fan-out idea ${i}` })).id);
  }
  voters = [];
  for (let i = 0; i < 21; i += 1) voters.push(await makeUser(t));
  // every voter votes for one to three of the ideas; the first author votes for the second idea too
  for (const [i, voter] of voters.entries()) {
    for (const [k, idea] of ideas.entries()) if (i % (k + 2) === 0 || k === i % 3) await vote(voter, idea);
  }
});
afterAll(() => t.close());

let version = 0;
async function publish(): Promise<number> {
  const id = await withTx(t.db, (tx) =>
    createRelease(
      tx,
      pm,
      { version: `5.${++version}.0`, channel: 'stable', date: '2026-05-08', ideaIds: ideas },
      undefined,
    ),
  );
  await withTx(t.db, (tx) => publishRelease(tx, pm, id));
  return id;
}

/** Everyone who should hear of a release of all the ideas: voters and authors, each once. */
async function audience(): Promise<number[]> {
  const rows = await t.db.selectFrom('idea_votes').select('user_id').where('idea_id', 'in', ideas).execute();
  return [...new Set([...rows.map((r) => r.user_id), ...authors.map((a) => a.id)])].sort((a, b) => a - b);
}

/** user id → how many `released` notifications of this release they have. */
async function told(releaseId: number): Promise<Map<number, number>> {
  const rows = await t.db
    .selectFrom('notifications')
    .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', 'released')
    .where((eb) => eb(eb.ref('data', '->>').key('releaseId' as never), '=', String(releaseId)))
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

/** A release's fan-out jobs, one per part. */
const jobs = (releaseId: number) =>
  t.db.selectFrom('release_fanouts').selectAll().where('release_id', '=', releaseId).orderBy('part').execute();

describe('the release fan-out', () => {
  it('two workers stepping at once never work one chunk twice: each voter and author is told exactly once', async () => {
    const releaseId = await publish();
    const people = await audience();
    expect(people.length).toBeGreaterThan(15);
    const a = worker(4, 2);
    const b = worker(4, 2);
    const results = [];
    for (;;) {
      // both take a chunk at the same moment, over and over
      const round = await Promise.all([a.step(), b.step(), a.step(), b.step()]);
      results.push(...round);
      if ((await jobs(releaseId)).every((j) => j.done_at !== null)) break;
    }
    const counts = await told(releaseId);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(people);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // each part told its own people: a chunk per four of its voters, and one that found fewer
    const votes = await t.db
      .selectFrom('idea_votes')
      .select('user_id')
      .distinct()
      .where('idea_id', 'in', ideas)
      .execute();
    for (const done of await jobs(releaseId)) {
      const mine = people.filter((id) => id % done.parts === done.part);
      const myVoters = votes.filter((v) => v.user_id % done.parts === done.part).length;
      expect(done).toMatchObject({ notified: mine.length, after_user_id: mine.at(-1) });
      expect(done.chunks).toBe(Math.floor(myVoters / 4) + 1);
    }
    // the skipped steps found the job held by the other worker (SKIP LOCKED), not a second chunk
    const worked = results.filter((r) => r !== null);
    expect(worked.reduce((sum, r) => sum + (r?.notified ?? 0), 0)).toBe(people.length);
    expect(await a.step()).toBeNull();
  });

  it('resumes after a worker stops between chunks, skipping nobody and telling nobody twice', async () => {
    const releaseId = await publish();
    const people = await audience();
    const first = worker(5, 2);
    await first.step();
    await first.step();
    await first.stop(); // as if its process died after its second commit
    expect(await first.drain()).toBe(0);
    // two chunks of five voters each (with the ideas' authors up to the last of them) of the
    // first part: in each part, exactly its audience up to its cursor is told, nobody past it
    const halfway = await told(releaseId);
    const parts = await jobs(releaseId);
    expect(parts.map((j) => [j.part, j.parts])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const upToCursors = people.filter((id) => parts.some((j) => id % j.parts === j.part && id <= j.after_user_id));
    expect([...halfway.keys()].sort((x, y) => x - y)).toEqual(upToCursors);
    const voterIds = new Set(voters.map((v) => v.user.id));
    expect([...halfway.keys()].filter((id) => voterIds.has(id))).toHaveLength(10);
    expect((parts[1] as { after_user_id: number }).after_user_id).toBe(0);

    const second = worker(5, 2);
    expect(await second.drain()).toBe(people.length - halfway.size);
    const counts = await told(releaseId);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(people);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('tells an author who joined after every voter, and who has no votes, in the last chunk', async () => {
    const late = await makeAccount(t);
    const lone = (await makeIdea(t, late, { categoryId, title: 'An idea nobody voted for' })).id;
    const id = await withTx(t.db, (tx) =>
      createRelease(
        tx,
        pm,
        { version: `6.${++version}.0`, channel: 'stable', date: '2026-05-08', ideaIds: [...ideas, lone] },
        undefined,
      ),
    );
    await withTx(t.db, (tx) => publishRelease(tx, pm, id));
    const people = [...(await audience()), late.id].sort((a, b) => a - b);
    expect(await worker(4).drain()).toBe(people.length);
    const counts = await told(id);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(people);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('tells nobody twice even if a job is worked again from the start (the unique index)', async () => {
    const releaseId = await publish();
    const again = worker(50, 2);
    const people = await audience();
    expect(await again.drain()).toBe(people.length);
    await t.db
      .updateTable('release_fanouts')
      .set({ after_user_id: 0, done_at: null })
      .where('release_id', '=', releaseId)
      .execute();
    expect(await again.drain()).toBe(0);
    expect([...(await told(releaseId)).values()].every((n) => n === 1)).toBe(true);
  });

  it('names each voter’s ideas (at most three) and how many, in one notification, delivered live per chunk', async () => {
    const voter = voters[0] as Member; // voted for every idea
    const socket = await TestSocket.open(t.baseUrl, { cookie: voter.client.cookie });
    await socket.subscribe(`user:${voter.user.id}`);
    const releaseId = await publish();
    await worker(3).drain();
    const event = (await socket.next((m) => m.type === 'event' && m.channel === `user:${voter.user.id}`)) as {
      event: string;
      data: { notification: { kind: string; threadId: number; data: Record<string, unknown> }; unreadCount: number };
    };
    expect(event.event).toBe('notification');
    expect(event.data.notification).toMatchObject({
      kind: 'released',
      threadId: ideas[0],
      data: { releaseId, ideaCount: 3, ideas: ideas.map((id, i) => ({ id, title: `Fan-out idea ${i}` })) },
    });
    expect(event.data.unreadCount).toBeGreaterThan(0);
    socket.ws.close();
  });
});

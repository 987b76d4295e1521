// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';
import { ReaderMarksLoader } from './reader-marks';

let t: TestApp;
const members: Member[] = [];
const threads: { id: number; postIds: number[] }[] = [];
beforeAll(async () => {
  t = await startTestApp();
  const category = await makeCategory(t);
  for (let i = 0; i < 16; i++) members.push(await makeUser(t));
  const author = members[0] as Member;
  for (let i = 0; i < 6; i++) {
    const { id, firstPostId } = await makeThread(t, author.user, { categoryId: category.id });
    const postIds = [firstPostId];
    for (let n = 0; n < 4; n++) postIds.push(await makePost(t, (members[n + 1] as Member).user, id));
    threads.push({ id, postIds });
  }
  // each member likes and has read a different mix (seeded, so a failure repeats)
  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed % n;
  };
  for (const member of members) {
    for (const thread of threads) {
      for (const postId of thread.postIds) {
        if (random(3) === 0)
          await t.db.insertInto('post_likes').values({ post_id: postId, user_id: member.user.id }).execute();
      }
      if (random(2) === 0) {
        await t.db
          .insertInto('thread_reads')
          .values({ user_id: member.user.id, thread_id: thread.id, last_read_post_number: 1 + random(5) })
          .onConflict((oc) =>
            oc.columns(['user_id', 'thread_id']).doUpdateSet({ last_read_post_number: 1 + random(5) }),
          )
          .execute();
      }
    }
  }
  for (const member of members.slice(6, 10)) {
    const flagged = (threads[1] as { postIds: number[] }).postIds[2] as number;
    expect((await member.client.post(`/api/posts/${flagged}/flags`, { reason: 'rude' })).status).toBe(201);
  }
});
afterAll(() => t?.close());

/** What each member's marks are, from the tables themselves. */
async function groundTruth() {
  const likes = await t.db.selectFrom('post_likes').select(['post_id', 'user_id']).execute();
  const flags = await t.db.selectFrom('flags').select(['post_id', 'user_id']).execute();
  const reads = await t.db
    .selectFrom('thread_reads')
    .select(['user_id', 'thread_id', 'last_read_post_number'])
    .execute();
  return {
    liked: new Set(likes.map((l) => `${l.user_id}:${l.post_id}`)),
    flagged: new Set(flags.map((f) => `${f.user_id}:${f.post_id}`)),
    read: new Map(reads.map((r) => [`${r.user_id}:${r.thread_id}`, r.last_read_post_number])),
  };
}

describe('signed-in readers’ marks, read together', () => {
  it('gives each of 192 readers at once exactly their own marks, in fewer statements than pages', async () => {
    const truth = await groundTruth();
    const before = { ...t.app.readerMarks.stats };
    const pairs = members.flatMap((member) => threads.map((thread) => ({ member, thread })));
    const pages = await Promise.all(
      [...pairs, ...pairs].map(async ({ member, thread }) => ({
        member,
        thread,
        res: await member.client.get(`/api/threads/${thread.id}`),
      })),
    );
    for (const { member, thread, res } of pages) {
      expect(res.status).toBe(200);
      const me = member.user.id;
      expect(res.body.lastReadPostNumber).toBe(truth.read.get(`${me}:${thread.id}`) ?? 0);
      for (const post of res.body.posts as any[]) {
        expect([post.id, post.likedByMe]).toEqual([post.id, truth.liked.has(`${me}:${post.id}`)]);
        // a post one flagged cannot be flagged again (one's own never)
        if (post.author.id !== me)
          expect([post.id, post.canFlag]).toEqual([post.id, !truth.flagged.has(`${me}:${post.id}`)]);
      }
    }
    const after = t.app.readerMarks.stats;
    expect(after.requests - before.requests).toBe(pages.length);
    expect(after.statements - before.statements).toBeLessThan(pages.length / 2);
  });

  it('reads a like the reader just gave, and tells the thread’s author whether others replied', async () => {
    const member = members[5] as Member;
    const thread = threads[3] as { id: number; postIds: number[] };
    const post = thread.postIds[0] as number;
    await member.client.request('DELETE', `/api/posts/${post}/like`);
    expect((await member.client.put(`/api/posts/${post}/like`)).status).toBe(200);
    const page = await member.client.get(`/api/threads/${thread.id}`);
    expect(page.body.posts.find((p: any) => p.id === post).likedByMe).toBe(true);
    // the author cannot delete a thread others replied to
    expect((await (members[0] as Member).client.get(`/api/threads/${thread.id}`)).body.canDelete).toBe(false);
  });

  it('answers a thread gone meanwhile as missing, and the others in its statement as usual', async () => {
    const loader = new ReaderMarksLoader(t.db, pino({ level: 'silent' }));
    const member = members[2] as Member;
    const [gone, there] = await Promise.all([
      loader.load({ userId: member.user.id, threadId: 987_654_321, postIds: [1] }),
      loader.load({ userId: member.user.id, threadId: (threads[0] as { id: number }).id, postIds: [] }),
    ]);
    expect(gone).toBeUndefined();
    expect(there).toMatchObject({ liked: [], flagged: [] });
    expect(loader.stats).toEqual({ statements: 1, requests: 2 });
    await loader.close();
  });
});

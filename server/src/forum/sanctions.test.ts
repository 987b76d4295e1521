// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeUser, silence, vote } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let ideasCategoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
  ideasCategoryId = (await makeCategory(t, { slug: 'sanction-ideas', name: 'Ideas', allowIdeas: true })).id;
});
afterAll(() => t.close());

/** A member with a thread, a reply, someone else's post and an idea to act on; then silenced. */
async function silencedMember() {
  const { client, user } = await makeUser(t);
  const own = await startThread(client, f.category.id, 'My own thread', 'mine');
  const reply = await client.post(`/api/threads/${own.id}/posts`, { body: 'my reply' });
  const other = await startThread(f.member, f.category.id, 'Someone else’s thread', 'theirs');
  const idea = await f.member.post('/api/threads', {
    categoryId: ideasCategoryId,
    kind: 'idea',
    title: `An idea from member ${user.id}`,
    body: 'x',
  });
  expect(idea.status, JSON.stringify(idea.body)).toBe(201);
  await client.put(`/api/posts/${other.posts[0]?.id}/like`);
  await vote({ client }, idea.body.id);
  await silence(t, user.id, new Date(Date.now() + 3_600_000));
  return { client, own, replyId: reply.body.id as number, other, ideaId: idea.body.id as number };
}

describe('a silenced member may read but not take part', () => {
  it('is refused every action that adds, changes or weighs in on content', async () => {
    const { client, own, replyId, other, ideaId } = await silencedMember();
    const actions: Array<[string, string, string, unknown?]> = [
      ['start a thread', 'POST', '/api/threads', { categoryId: f.category.id, title: 'Loud thread', body: 'x' }],
      ['reply', 'POST', `/api/threads/${other.id}/posts`, { body: 'loud reply' }],
      ['edit a post', 'PATCH', `/api/posts/${replyId}`, { body: 'edited while silenced' }],
      ['rename a thread', 'PATCH', `/api/threads/${own.id}`, { title: 'Renamed while silenced' }],
      ['like', 'PUT', `/api/posts/${other.posts[0]?.id}/like`],
      ['take a like back', 'DELETE', `/api/posts/${other.posts[0]?.id}/like`],
      ['vote', 'PUT', `/api/ideas/${ideaId}/vote`],
      ['take a vote back', 'DELETE', `/api/ideas/${ideaId}/vote`],
    ];
    const results = [];
    for (const [what, method, url, body] of actions) {
      const res = await client.request(method, url, body);
      results.push([what, res.status, res.body?.error?.code]);
    }
    expect(results).toEqual(actions.map(([what]) => [what, 403, 'silenced']));
    // nothing changed
    const title = await t.db.selectFrom('threads').select('title').where('id', '=', own.id).executeTakeFirstOrThrow();
    expect(title.title).toBe('My own thread');
    // reading still works
    expect((await client.get(`/api/threads/${other.id}`)).status).toBe(200);
  });
});

describe('a silenced member is told what they may not do', () => {
  it('gets the can* flags of the same rules: no reply, edit or like; deleting their own posts stays', async () => {
    const { client, own, other } = await silencedMember();
    const mine = (await client.get(`/api/threads/${own.id}`)).body;
    expect(mine.canReply).toBe(false);
    expect(mine.posts.map((p: any) => [p.postNumber, p.canEdit, p.canDelete])).toEqual([
      [1, false, true],
      [2, false, true],
    ]);
    const theirs = (await client.get(`/api/threads/${other.id}`)).body;
    expect(theirs.canReply).toBe(false);
    expect(theirs.posts[0]).toMatchObject({ canEdit: false, canDelete: false, canLike: false });
  });
});

describe('edits, renames and likes are rate-limited like posting', () => {
  it('answers 429 with Retry-After past each limit', async () => {
    const limited = await startTestApp({
      limits: {
        editPost: { max: 2, windowSeconds: 300 },
        renameThread: { max: 2, windowSeconds: 600 },
        like: { max: 3, windowSeconds: 60 },
        preview: { max: 2, windowSeconds: 300 },
      },
    });
    try {
      const lf = await forumFixture(limited);
      const author = new Client(limited.app);
      await signUp(author);
      const thread = await startThread(author, lf.category.id, 'Limits thread', 'first');
      const postId = thread.posts[0]?.id;
      const statuses = async (n: number, send: (i: number) => Promise<{ status: number; headers: any }>) => {
        const out: number[] = [];
        let retryAfter: unknown;
        for (let i = 0; i < n; i++) {
          const res = await send(i);
          out.push(res.status);
          if (res.status === 429) retryAfter = res.headers['retry-after'];
        }
        expect(Number(retryAfter)).toBeGreaterThan(0);
        return out;
      };
      expect(await statuses(3, (i) => author.patch(`/api/posts/${postId}`, { body: `edit ${i}` }))).toEqual([
        200, 200, 429,
      ]);
      expect(
        await statuses(3, (i) => author.patch(`/api/threads/${thread.id}`, { title: `Limits thread ${i}` })),
      ).toEqual([200, 200, 429]);
      expect(await statuses(3, () => author.post('/api/markdown/preview', { body: '**hi**' }))).toEqual([
        200, 200, 429,
      ]);
      const liker = new Client(limited.app);
      await signUp(liker);
      expect(await statuses(4, (i) => liker.request(i % 2 ? 'DELETE' : 'PUT', `/api/posts/${postId}/like`))).toEqual([
        200, 200, 200, 429,
      ]);
      // revisions: only the edits that were let through were kept
      const revisions = await limited.db
        .selectFrom('post_revisions')
        .select('id')
        .where('post_id', '=', postId ?? 0)
        .execute();
      expect(revisions.length).toBeLessThanOrEqual(4); // 2 edits + 2 renames (a rename keeps the old title)
    } finally {
      await limited.close();
    }
  });
});

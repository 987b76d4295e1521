// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app';
import { makeAccount, makeCategory, makeIdea, makePost, makeThread, makeUser, vote } from './factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('test factories go through the real rules', () => {
  it('makes signed-in users of any role, silenced ones refused a voice', async () => {
    const pm = await makeUser(t, { role: 'product_manager' });
    expect((await pm.client.get('/api/me')).body.user).toMatchObject({ id: pm.user.id, role: 'product_manager' });
    const category = await makeCategory(t);
    const quiet = await makeUser(t, { silencedUntil: new Date(Date.now() + 60_000) });
    const res = await quiet.client.post('/api/threads', { categoryId: category.id, title: 'Quiet please', body: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('silenced');
    // an account alone has no session
    const account = await makeAccount(t, { role: 'moderator' });
    expect(account.role).toBe('moderator');
    expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', account.id).execute()).toEqual([]);
  });

  it('makes threads, replies and ideas with their counters and notifications, and votes', async () => {
    const author = await makeUser(t);
    const replier = await makeAccount(t);
    const category = await makeCategory(t, { allowIdeas: true });
    const thread = await makeThread(t, author.user, { categoryId: category.id, body: 'Hello **there**' });
    const replyId = await makePost(t, replier, thread.id, 'An answer');

    const page = (await author.client.get(`/api/threads/${thread.id}`)).body;
    expect(page.posts.map((p: any) => p.id)).toEqual([thread.firstPostId, replyId]);
    expect(page.posts[0].cooked).toContain('<strong>there</strong>');
    expect(page.replyCount).toBe(1);
    const counted = await t.db
      .selectFrom('categories')
      .select('thread_count')
      .where('id', '=', category.id)
      .executeTakeFirstOrThrow();
    expect(counted.thread_count).toBe(1);
    const inbox = (await author.client.get('/api/notifications')).body.items;
    expect(inbox.map((n: any) => [n.kind, n.actor.id])).toEqual([['reply', replier.id]]);

    const idea = await makeIdea(t, author.user, { categoryId: category.id });
    const voter = await makeUser(t);
    expect(await vote(voter, idea.id)).toMatchObject({ voted: true, voteCount: 1 });
    expect((await voter.client.get(`/api/ideas/${idea.id}`)).body).toMatchObject({ voted: true, voteCount: 1 });
    expect(await vote(voter, idea.id, false)).toMatchObject({ voted: false, voteCount: 0 });
  });
});

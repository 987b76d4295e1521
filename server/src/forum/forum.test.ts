// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeCategory } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
});
afterAll(() => t.close());

const count = async (table: 'threads' | 'posts' | 'post_likes' | 'notifications') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function expectError(res: { status: number; body: any }, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  if (code) expect(res.body.error.code).toBe(code);
}

describe('categories', () => {
  it('lets admins create, change and delete categories, audited; members may not', async () => {
    const created = await f.admin.post('/api/admin/categories', {
      slug: 'phones',
      name: 'Phones',
      description: 'All about phones',
      color: '#112233',
      allowIdeas: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'phones',
      allowIdeas: true,
      allowDiscussions: true,
      whoCanStart: 'everyone',
    });
    const child = await f.admin.post('/api/admin/categories', {
      slug: 'phone-x1',
      name: 'Phone X1',
      parentId: created.body.id,
    });
    expect(child.status).toBe(201);

    expectError(await f.admin.post('/api/admin/categories', { slug: 'phones', name: 'Again' }), 409, 'slug_taken');
    expectError(
      await f.admin.post('/api/admin/categories', { slug: 'deep', name: 'Too deep', parentId: child.body.id }),
      400,
      'invalid_parent',
    );
    expectError(await f.admin.post('/api/admin/categories', { slug: 'Bad Slug', name: 'x' }), 400);
    expectError(await f.admin.post('/api/admin/categories', { slug: 'ok', name: 'x', color: 'red' }), 400);
    expectError(await f.member.post('/api/admin/categories', { slug: 'mine', name: 'Mine' }), 403);

    const patched = await f.admin.patch(`/api/admin/categories/${created.body.id}`, { name: 'Phones & tablets' });
    expect(patched.body.name).toBe('Phones & tablets');
    expectError(await f.admin.request('DELETE', `/api/admin/categories/${created.body.id}`), 409, 'category_not_empty');
    expect((await f.admin.request('DELETE', `/api/admin/categories/${child.body.id}`)).status).toBe(204);

    const audit = await t.db.selectFrom('audit_log').select('action').where('target_type', '=', 'category').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['category.created', 'category.updated', 'category.deleted']),
    );

    const tree = await new Client(t.app).get('/api/categories');
    const slugs = tree.body.categories.map((c: { slug: string }) => c.slug);
    expect(slugs).toContain('phones');
    expect(slugs).not.toContain('phone-x1');
    const one = await new Client(t.app).get('/api/categories/PHONES');
    expect(one.body.category.name).toBe('Phones & tablets');
    expectError(await new Client(t.app).get('/api/categories/nope'), 404);
  });

  it('keeps staff-only categories closed to members and respects what a category accepts', async () => {
    const news = await makeCategory(t, { slug: 'announcements', name: 'Announcements', whoCanStart: 'staff' });
    expectError(
      await f.member.post('/api/threads', { categoryId: news.id, title: 'Member announcement', body: 'x' }),
      403,
      'forbidden',
    );
    expect(
      (await f.admin.post('/api/threads', { categoryId: news.id, title: 'Official announcement', body: 'x' })).status,
    ).toBe(201);
    const ideasOnly = await makeCategory(t, {
      slug: 'ideas-only',
      name: 'Ideas',
      allowDiscussions: false,
      allowIdeas: true,
    });
    expectError(
      await f.member.post('/api/threads', { categoryId: ideasOnly.id, title: 'A plain discussion', body: 'x' }),
      400,
      'kind_not_allowed',
    );
  });
});

describe('threads and replies', () => {
  it('creates a thread with its first post rendered on the server', async () => {
    const before = await count('threads');
    const res = await f.member.post('/api/threads', {
      categoryId: f.category.id,
      title: '  Battery life on the X1  ',
      body: '**Bold** claim <script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Battery life on the X1');
    expect(res.body.posts).toHaveLength(1);
    const [post] = res.body.posts;
    expect(post.cooked).toContain('<strong>Bold</strong>');
    expect(post.cooked).toContain('&lt;script&gt;');
    expect(post.cooked).not.toMatch(/href="javascript/i);
    expect(post.cooked).toContain('[x](javascript:alert(1))'); // shown as inert text
    expect(post.raw).toContain('**Bold**');
    expect(await count('threads')).toBe(before + 1);
    const cat = await new Client(t.app).get(`/api/categories/${f.category.slug}`);
    expect(cat.body.category.threadCount).toBeGreaterThan(0);
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['short title', { title: 'short', body: 'x' }, 400],
    ['long title', { title: 'x'.repeat(121), body: 'x' }, 400],
    ['blank title', { title: '          ', body: 'x' }, 400],
    ['empty body', { title: 'A good title here', body: '' }, 400],
    ['blank body', { title: 'A good title here', body: '   \n  ' }, 400],
    ['oversize body', { title: 'A good title here', body: 'x'.repeat(32_001) }, 400],
    ['number body', { title: 'A good title here', body: 42 }, 400],
    ['unknown category', { title: 'A good title here', body: 'x', categoryId: 999_999 }, 404],
    ['string category', { title: 'A good title here', body: 'x', categoryId: 'general' }, 400],
  ])('refuses a thread with %s and writes nothing', async (_, body, status) => {
    const before = await count('threads');
    expectError(await f.member.post('/api/threads', { categoryId: f.category.id, ...body }), status);
    expect(await count('threads')).toBe(before);
  });

  it('stores text with control characters stripped instead of failing', async () => {
    const res = await f.member.post('/api/threads', {
      categoryId: f.category.id,
      title: 'Bell\u0007 and escape\u001b in a title',
      body: 'body\u007f with \u0001 controls',
    });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Bell and escape in a title');
    expect(res.body.posts[0].raw).toBe('body with  controls');
  });

  it('refuses NUL in a title or body (as everywhere: PostgreSQL text cannot hold it)', async () => {
    const before = await count('threads');
    const title = await f.member.post('/api/threads', {
      categoryId: f.category.id,
      title: 'Null\u0000 bytes in a title',
      body: 'x',
    });
    expectError(title, 400);
    expect(title.body.error.message).toContain('body.title');
    const body = await f.member.post('/api/threads', {
      categoryId: f.category.id,
      title: 'A good title',
      body: 'a\u0000',
    });
    expectError(body, 400);
    expect(body.body.error.message).toContain('body.body');
    expect(await count('threads')).toBe(before);
  });

  it('requires a session to post', async () => {
    expectError(
      await new Client(t.app).post('/api/threads', { categoryId: f.category.id, title: 'Anonymous thread', body: 'x' }),
      401,
    );
  });

  it('replies, replies to a post, and pages through posts by number', async () => {
    const thread = await startThread(f.member, f.category.id, 'Paging through posts');
    const other = new Client(t.app);
    await signUp(other);
    for (let i = 2; i <= 7; i++) {
      const res = await other.post(`/api/threads/${thread.id}/posts`, {
        body: `reply ${i}`,
        replyToPostNumber: i === 3 ? 1 : undefined,
      });
      expect(res.status).toBe(201);
      expect(res.body.postNumber).toBe(i);
    }
    expectError(
      await other.post(`/api/threads/${thread.id}/posts`, { body: 'x', replyToPostNumber: 99 }),
      400,
      'invalid_reply_to',
    );
    const page1 = await other.get(`/api/threads/${thread.id}?limit=3`);
    expect(page1.body.posts.map((p: any) => p.postNumber)).toEqual([1, 2, 3]);
    expect(page1.body.nextAfter).toBe(3);
    expect(page1.body.posts[2].replyToPostNumber).toBe(1);
    const page2 = await other.get(`/api/threads/${thread.id}?limit=3&after=3`);
    expect(page2.body.posts.map((p: any) => p.postNumber)).toEqual([4, 5, 6]);
    const page3 = await other.get(`/api/threads/${thread.id}?limit=3&after=6`);
    expect(page3.body.posts.map((p: any) => p.postNumber)).toEqual([7]);
    expect(page3.body.nextAfter).toBeNull();
    expect(page3.body.replyCount).toBe(6);
    expectError(await other.post('/api/threads/999999/posts', { body: 'x' }), 404);
    expectError(await other.get('/api/threads/abc'), 400);
  });

  it('refuses replies to a locked thread (staff still may) and to a deleted one', async () => {
    const thread = await startThread(f.member, f.category.id, 'Locked thread here');
    await t.db.updateTable('threads').set({ locked_at: new Date() }).where('id', '=', thread.id).execute();
    const before = await count('posts');
    expectError(await f.member.post(`/api/threads/${thread.id}/posts`, { body: 'let me in' }), 409, 'thread_locked');
    expect(await count('posts')).toBe(before);
    expect((await f.admin.post(`/api/threads/${thread.id}/posts`, { body: 'staff note' })).status).toBe(201);
    const view = await f.member.get(`/api/threads/${thread.id}`);
    expect(view.body).toMatchObject({ locked: true, canReply: false });

    const gone = await startThread(f.member, f.category.id, 'Soon deleted thread');
    expect((await f.member.request('DELETE', `/api/threads/${gone.id}`)).status).toBe(204);
    expectError(await f.member.post(`/api/threads/${gone.id}/posts`, { body: 'hello?' }), 404);
    expectError(await f.member.get(`/api/threads/${gone.id}`), 404);
    expect((await f.admin.get(`/api/threads/${gone.id}`)).body.deleted).toBe(true);
    expect((await f.admin.post(`/api/threads/${gone.id}/restore`)).status).toBe(204);
    expect((await f.member.get(`/api/threads/${gone.id}`)).status).toBe(200);
  });

  it('lets an author delete a thread only while nobody else replied', async () => {
    const thread = await startThread(f.member, f.category.id, 'Thread with answers');
    const other = new Client(t.app);
    await signUp(other);
    await other.post(`/api/threads/${thread.id}/posts`, { body: 'an answer' });
    expectError(await f.member.request('DELETE', `/api/threads/${thread.id}`), 409, 'has_replies');
    expectError(await other.request('DELETE', `/api/threads/${thread.id}`), 403);
    expect((await f.admin.request('DELETE', `/api/threads/${thread.id}`)).status).toBe(204);
  });
});

describe('what the reader may do, from the server policy', () => {
  it('flags a thread, its posts and categories for anonymous, a member, the author and staff', async () => {
    const thread = await startThread(f.member, f.category.id, 'Flags for every reader');
    const other = new Client(t.app);
    await signUp(other);
    const reply = await other.post(`/api/threads/${thread.id}/posts`, { body: 'an answer' });
    const threadFlags = async (c: Client) => {
      const body = (await c.get(`/api/threads/${thread.id}`)).body;
      const { canReply, canEditTitle, canDelete, canRestore } = body;
      const posts = body.posts.map((p: any) => [p.canEdit, p.canDelete, p.canLike, p.canSeeHistory, p.canRestore]);
      return { canReply, canEditTitle, canDelete, canRestore, posts };
    };
    //            edit   delete like   history restore
    const none = [false, false, false, false, false];
    expect(await threadFlags(new Client(t.app))).toEqual({
      canReply: false,
      canEditTitle: false,
      canDelete: false,
      canRestore: false,
      posts: [none, none],
    });
    // the author renames but no longer deletes: someone else replied
    expect(await threadFlags(f.member)).toEqual({
      canReply: true,
      canEditTitle: true,
      canDelete: false,
      canRestore: false,
      posts: [
        [true, true, false, false, false],
        [false, false, true, false, false],
      ],
    });
    expect(await threadFlags(other)).toEqual({
      canReply: true,
      canEditTitle: false,
      canDelete: false,
      canRestore: false,
      posts: [
        [false, false, true, false, false],
        [true, true, false, false, false],
      ],
    });
    const staff = [true, true, true, true, true];
    expect(await threadFlags(f.admin)).toEqual({
      canReply: true,
      canEditTitle: true,
      canDelete: true,
      canRestore: true,
      posts: [staff, staff],
    });
    // once the reply is gone, its author may delete the thread again
    expect((await other.request('DELETE', `/api/posts/${reply.body.id}`)).status).toBe(204);
    expect((await threadFlags(f.member)).canDelete).toBe(true);

    const news = await makeCategory(t, { slug: 'flag-news', name: 'Flag news', whoCanStart: 'staff' });
    const canStart = async (c: Client) => {
      const list = (await c.get('/api/categories')).body.categories;
      const one = (await c.get(`/api/categories/${news.slug}`)).body.category;
      return [list.find((x: any) => x.id === news.id).canStartThread, one.canStartThread];
    };
    expect(await canStart(new Client(t.app))).toEqual([false, false]);
    expect(await canStart(f.member)).toEqual([false, false]);
    expect(await canStart(f.admin)).toEqual([true, true]);
    expect((await f.member.get(`/api/categories/${f.category.slug}`)).body.category.canStartThread).toBe(true);
  });
});

describe('editing and deleting posts', () => {
  it('keeps revisions, marks edits, and shows the history to staff only', async () => {
    const thread = await startThread(f.member, f.category.id, 'Edits are kept', 'version one');
    const postId = thread.posts[0]?.id;
    const edited = await f.member.patch(`/api/posts/${postId}`, { body: 'version **two**' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ revision: 2, cooked: expect.stringContaining('<strong>two</strong>') });
    expect(edited.body.editedAt).not.toBeNull();

    const stranger = new Client(t.app);
    await signUp(stranger);
    expectError(await stranger.patch(`/api/posts/${postId}`, { body: 'vandalism' }), 403);
    expectError(await stranger.get(`/api/posts/${postId}/revisions`), 403);
    expectError(await f.member.patch(`/api/posts/${postId}`, { body: '' }), 400);

    const history = await f.admin.get(`/api/posts/${postId}/revisions`);
    expect(history.body.current).toBe(2);
    expect(history.body.revisions).toEqual([expect.objectContaining({ revision: 1, raw: 'version one' })]);

    const renamed = await f.member.patch(`/api/threads/${thread.id}`, { title: 'Edits are kept, renamed' });
    expect(renamed.body.title).toBe('Edits are kept, renamed');
    expectError(await stranger.patch(`/api/threads/${thread.id}`, { title: 'Hijacked title here' }), 403);
    const afterRename = await f.admin.get(`/api/posts/${postId}/revisions`);
    expect(afterRename.body.revisions[0]).toMatchObject({ revision: 2, title: 'Edits are kept' });
  });

  it('soft-deletes a reply with a placeholder, restorable by staff, counts following', async () => {
    const thread = await startThread(f.member, f.category.id, 'Deleting a reply');
    const other = new Client(t.app);
    await signUp(other);
    const reply = await other.post(`/api/threads/${thread.id}/posts`, { body: 'regrettable words' });
    expectError(await f.member.request('DELETE', `/api/posts/${reply.body.id}`), 403);
    expect((await other.request('DELETE', `/api/posts/${reply.body.id}`)).status).toBe(204);

    const view = await new Client(t.app).get(`/api/threads/${thread.id}`);
    const placeholder = view.body.posts[1];
    expect(placeholder).toMatchObject({ deleted: true, cooked: '', raw: null, postNumber: 2 });
    expect(view.body.replyCount).toBe(0);
    const staffView = await f.admin.get(`/api/threads/${thread.id}`);
    expect(staffView.body.posts[1].cooked).toContain('regrettable words');

    expectError(await other.post(`/api/posts/${reply.body.id}/restore`), 403);
    expect((await f.admin.post(`/api/posts/${reply.body.id}/restore`)).status).toBe(204);
    expect((await new Client(t.app).get(`/api/threads/${thread.id}`)).body.replyCount).toBe(1);
    expectError(await f.member.request('DELETE', `/api/posts/${thread.posts[0]?.id}`), 400, 'first_post');
  });
});

describe('likes', () => {
  it('keeps one like per user per post with exact counts, not on your own post', async () => {
    const thread = await startThread(f.member, f.category.id, 'Likeable thread');
    const postId = thread.posts[0]?.id;
    expectError(await f.member.put(`/api/posts/${postId}/like`), 403, 'own_post');
    const fans = await Promise.all(
      [1, 2, 3].map(async () => {
        const c = new Client(t.app);
        await signUp(c);
        return c;
      }),
    );
    // each fan likes twice at the same time: still one like each
    await Promise.all(fans.flatMap((c) => [c.put(`/api/posts/${postId}/like`), c.put(`/api/posts/${postId}/like`)]));
    const truth = await t.db
      .selectFrom('post_likes')
      .select('user_id')
      .where('post_id', '=', postId as number)
      .execute();
    expect(truth).toHaveLength(3);
    const again = await fans[0]?.put(`/api/posts/${postId}/like`);
    expect(again?.body).toEqual({ liked: true, likeCount: 3 });
    expect((await fans[0]?.request('DELETE', `/api/posts/${postId}/like`))?.body).toEqual({
      liked: false,
      likeCount: 2,
    });
    expect((await fans[0]?.request('DELETE', `/api/posts/${postId}/like`))?.body).toEqual({
      liked: false,
      likeCount: 2,
    });
    await fans[0]?.put(`/api/posts/${postId}/like`);

    const view = await fans[1]?.get(`/api/threads/${thread.id}`);
    expect(view?.body.posts[0]).toMatchObject({ likeCount: 3, likedByMe: true, canLike: true });
    expect(view?.body.likeCount).toBe(3);

    // one grouped notification for the author: 3 distinct people, however often they toggled
    const notes = await f.member.get('/api/notifications');
    const like = notes.body.items.find((n: any) => n.kind === 'like' && n.threadId === thread.id);
    expect(like.actorCount).toBe(3);
    expectError((await fans[0]?.put('/api/posts/999999/like')) ?? { status: 0, body: {} }, 404);
  });
});

describe('unread tracking', () => {
  it('shows new and unread threads and moves the marker forward only', async () => {
    const reader = new Client(t.app);
    await signUp(reader);
    const thread = await startThread(f.member, f.category.id, 'Unread tracking thread');
    const summary = async (filter?: string) => {
      const res = await reader.get(
        `/api/threads?category=${f.category.slug}&limit=100${filter ? `&filter=${filter}` : ''}`,
      );
      return res.body.items.find((i: any) => i.id === thread.id);
    };
    expect(await summary()).toMatchObject({ isNew: true, unreadCount: 0 });
    expect(await summary('new')).toBeDefined();
    expect((await reader.put(`/api/threads/${thread.id}/read`, { postNumber: 1 })).body).toEqual({
      lastReadPostNumber: 1,
    });
    expect(await summary()).toMatchObject({ isNew: false, unreadCount: 0 });
    expect(await summary('new')).toBeUndefined();

    await f.member.post(`/api/threads/${thread.id}/posts`, { body: 'two' });
    await f.member.post(`/api/threads/${thread.id}/posts`, { body: 'three' });
    expect(await summary()).toMatchObject({ unreadCount: 2 });
    expect(await summary('unread')).toBeDefined();
    expect((await reader.put(`/api/threads/${thread.id}/read`, { postNumber: 99 })).body.lastReadPostNumber).toBe(3);
    expect((await reader.put(`/api/threads/${thread.id}/read`, { postNumber: 2 })).body.lastReadPostNumber).toBe(3);
    expect(await summary('unread')).toBeUndefined();
    expectError(await reader.put('/api/threads/999999/read', { postNumber: 1 }), 404);
    expectError(await new Client(t.app).get('/api/threads?filter=unread'), 401);
  });
});

describe('thread lists', () => {
  it('lists a category with its sub-categories, pinned first, in every sort, with keyset pages', async () => {
    const parent = await makeCategory(t, { slug: 'tv', name: 'TV' });
    const child = await makeCategory(t, { slug: 'tv-oled', name: 'OLED', parentId: parent.id });
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const th = await startThread(f.member, i % 2 ? child.id : parent.id, `Television thread ${i}`);
      ids.push(th.id);
    }
    const pinned = ids[0] as number;
    await t.db.updateTable('threads').set({ pinned_at: new Date() }).where('id', '=', pinned).execute();
    // some replies and likes so that sorts differ
    await f.admin.post(`/api/threads/${ids[3]}/posts`, { body: 'one' });
    await f.admin.post(`/api/threads/${ids[3]}/posts`, { body: 'two' });
    await f.admin.post(`/api/threads/${ids[5]}/posts`, { body: 'one' });

    for (const sort of ['latest', 'newest', 'replies', 'likes']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await f.member.get(
          `/api/threads?category=tv&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((i: any) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen, sort).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(ids));
      expect(seen[0], `${sort}: pinned first`).toBe(pinned);
    }
    const byReplies = await f.member.get('/api/threads?category=tv&sort=replies&limit=3');
    expect(byReplies.body.items[1].id).toBe(ids[3]);
    const latest = await f.member.get('/api/threads?category=tv&sort=latest&limit=3');
    expect(latest.body.items[1].id).toBe(ids[5]);
    const onlyChild = await f.member.get('/api/threads?category=tv-oled&limit=100');
    expect(onlyChild.body.items.every((i: any) => i.categoryId === child.id)).toBe(true);

    const all = await new Client(t.app).get('/api/threads?limit=100');
    expect(all.body.items.map((i: any) => i.id)).toEqual(expect.arrayContaining(ids));
    expectError(await f.member.get('/api/threads?category=tv&cursor=garbage'), 400, 'invalid_cursor');
    expectError(await f.member.get('/api/threads?category=nope'), 404);
    expectError(await f.member.get('/api/threads?sort=random'), 400);

    const home = await new Client(t.app).get('/api/categories');
    const tv = home.body.categories.find((c: any) => c.slug === 'tv');
    expect(tv.latestThreads.length).toBeGreaterThan(0);
    expect(tv.latestThreads.length).toBeLessThanOrEqual(3);
  });

  it('runs the same number of queries whatever the page size', async () => {
    const cat = await makeCategory(t, { slug: 'query-count', name: 'Query count' });
    const thread = await startThread(f.member, cat.id, 'Counting queries here');
    for (let i = 0; i < 12; i++) {
      await startThread(f.member, cat.id, `Filler thread number ${i}`);
      await f.admin.post(`/api/threads/${thread.id}/posts`, { body: `reply ${i}` });
    }
    // Each member's first request records their visit in the background, which drops their cached
    // session (auth/session-cache.ts): read twice and wait for quiet, so only page queries count.
    const quiet = async () => {
      let last = -1;
      while (t.database.stats.queries !== last) {
        last = t.database.stats.queries;
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    for (let i = 0; i < 2; i++) {
      await f.member.get('/api/me');
      await quiet();
    }
    const queriesFor = async (url: string, client = f.member) => {
      const before = t.database.stats.queries;
      const res = await client.get(url);
      expect(res.status).toBe(200);
      return t.database.stats.queries - before;
    };
    // the category tree is read once, then kept by the process (forum/category-places.ts)
    expect(await queriesFor('/api/threads?category=query-count&limit=1')).toBeLessThanOrEqual(3);
    const listSmall = await queriesFor('/api/threads?category=query-count&limit=2');
    const listLarge = await queriesFor('/api/threads?category=query-count&limit=100');
    expect(listLarge).toBe(listSmall);
    expect(listLarge).toBeLessThanOrEqual(2);
    // a page not read before: the thread, its posts, and the reader's marks
    expect(await queriesFor(`/api/threads/${thread.id}?limit=2`)).toBe(3);
    expect(await queriesFor(`/api/threads/${thread.id}?limit=100`)).toBe(3);
    // read again: its rows are in this process's cache, only the reader's marks are read
    expect(await queriesFor(`/api/threads/${thread.id}?limit=100`)).toBe(1);
    // anonymous readers: no session, no marks, the rows cached
    expect(await queriesFor(`/api/threads/${thread.id}?limit=100`, new Client(t.app))).toBe(0);
  });
});

describe('markdown preview', () => {
  it('renders exactly as a saved post', async () => {
    const res = await f.member.post('/api/markdown/preview', { body: `hello @${f.memberUser.username} <b>x</b>` });
    expect(res.body.cooked).toContain(`<a class="mention" href="/u/${f.memberUser.username}">`);
    expect(res.body.cooked).toContain('&lt;b&gt;');
    expectError(await new Client(t.app).post('/api/markdown/preview', { body: 'x' }), 401);
  });
});

describe('database state stays consistent', () => {
  it('post_count and like_count match the rows', async () => {
    const drift = await sql<{ n: number }>`
      select count(*)::int as n from threads t where
        t.post_count <> (select count(*) from posts p where p.thread_id = t.id and p.deleted_at is null)
        or t.like_count <> (select coalesce(sum(p.like_count), 0) from posts p where p.thread_id = t.id and p.deleted_at is null)
        or t.highest_post_number <> (select max(post_number) from posts p where p.thread_id = t.id)`.execute(t.db);
    expect(drift.rows[0]?.n).toBe(0);
    const likeDrift = await sql<{ n: number }>`
      select count(*)::int as n from posts p
      where p.like_count <> (select count(*) from post_likes l where l.post_id = p.id)`.execute(t.db);
    expect(likeDrift.rows[0]?.n).toBe(0);
  });
});

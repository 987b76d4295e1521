// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeCategory } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { snippetHtml } from './present';

let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
let spanish: { id: number };
beforeAll(async () => {
  t = await startTestApp();
  f = await forumFixture(t);
  spanish = await makeCategory(t, { slug: 'espanol', name: 'Español', locale: 'es' });
  await startThread(f.member, f.category.id, 'Battery drains overnight', 'My battery loses 20% while idle.');
  await startThread(
    f.member,
    f.category.id,
    'Camera night mode',
    'Night photos are blurry <script>alert(1)</script> battery',
  );
  await startThread(
    f.member,
    spanish.id,
    'La canción del arranque',
    'Quiero cambiar la canción de inicio del teléfono.',
  );
  await startThread(f.member, f.category.id, '中文 论坛 测试 主题', '我们需要更好的电池续航');
  const deleted = await startThread(f.member, f.category.id, 'Deleted battery thread', 'battery secrets');
  await f.member.request('DELETE', `/api/threads/${deleted.id}`);
});
afterAll(() => t.close());

const search = async (qs: string) => {
  const res = await new Client(t.app).get(`/api/search?${qs}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.results as any[];
};

describe('search', () => {
  it('finds titles and bodies, ranks title hits first, and highlights', async () => {
    const results = await search('q=battery');
    expect(results.map((r) => r.threadTitle)).toEqual(['Battery drains overnight', 'Camera night mode']);
    expect(results[0].snippet).toContain('<mark>battery</mark>');
  });

  it('escapes snippets and never shows deleted content', async () => {
    const results = await search('q=blurry');
    expect(results[0].snippet).toContain('<mark>blurry</mark>');
    expect(results[0].snippet.replace(/<\/?mark>/g, '')).not.toContain('<'); // only our <mark> tags are markup
    expect((await search('q=secrets')).length).toBe(0);
  });

  it('matches Latin-script words without accents', async () => {
    for (const q of ['cancion', 'canción', 'CANCIÓN', 'telefono']) {
      const results = await search(`q=${encodeURIComponent(q)}`);
      expect(
        results.map((r) => r.threadTitle),
        q,
      ).toContain('La canción del arranque');
    }
  });

  it('falls back to substring matching for scripts without spaces', async () => {
    const results = await search(`q=${encodeURIComponent('电池')}`);
    expect(results[0].threadTitle).toBe('中文 论坛 测试 主题');
    expect(results[0].snippet).toContain('<mark>电池</mark>');
  });

  it('filters by category, author, kind and date', async () => {
    expect((await search('q=cancion&category=espanol')).length).toBe(1);
    expect((await search(`q=cancion&category=${f.category.slug}`)).length).toBe(0);
    expect((await search(`q=battery&author=${f.memberUser.username.toUpperCase()}`)).length).toBe(2);
    expect((await search('q=battery&author=someone_else')).length).toBe(0);
    expect((await search('q=battery&kind=idea')).length).toBe(0);
    expect((await search('q=battery&after=2000-01-01')).length).toBe(2);
    expect((await search('q=battery&before=2000-01-01')).length).toBe(0);
  });

  it('refuses bad queries with 400 and takes operators as text', async () => {
    for (const qs of ['', 'q=a', `q=${'x'.repeat(201)}`, 'q=ok&after=yesterday', 'q=ok&page=0', 'q=ok&kind=poll']) {
      expect((await new Client(t.app).get(`/api/search?${qs}`)).status, qs).toBe(400);
    }
    for (const q of ["' or 1=1 --", '!!! & | :*', '"unbalanced', '-battery', '%_\\']) {
      expect((await new Client(t.app).get(`/api/search?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    }
  });

  it('makes snippet HTML from marked text', () => {
    expect(snippetHtml('a \u0001b<i>\u0002 c')).toBe('a <mark>b&lt;i&gt;</mark> c');
  });
});

describe('profiles', () => {
  it('shows counts and activity, paginated', async () => {
    const liker = new Client(t.app);
    const likerUser = await signUp(liker);
    const thread = await startThread(f.member, f.category.id, 'Profile activity thread', 'hello **profile**');
    await liker.put(`/api/posts/${thread.posts[0]?.id}/like`);
    await liker.post(`/api/threads/${thread.id}/posts`, { body: 'a reply' });

    const profile = await new Client(t.app).get(`/api/users/${f.memberUser.username.toUpperCase()}`);
    expect(profile.body).toMatchObject({
      username: f.memberUser.username,
      role: 'member',
      threadCount: 5, // the deleted one does not count
      replyCount: 0,
      likesReceived: 1,
    });
    const likerProfile = await new Client(t.app).get(`/api/users/${likerUser.username}`);
    expect(likerProfile.body).toMatchObject({ likesGiven: 1, replyCount: 1 });

    const threads = await new Client(t.app).get(`/api/users/${f.memberUser.username}/activity?type=threads&limit=2`);
    expect(threads.body.items).toHaveLength(2);
    expect(threads.body.items[0]).toMatchObject({ threadTitle: 'Profile activity thread', excerpt: 'hello profile' });
    const more = await new Client(t.app).get(
      `/api/users/${f.memberUser.username}/activity?type=threads&limit=2&cursor=${threads.body.nextCursor}`,
    );
    expect(more.body.items[0].threadId).toBeLessThan(threads.body.items[1].threadId);
    const likes = await new Client(t.app).get(`/api/users/${likerUser.username}/activity?type=likes`);
    expect(likes.body.items.map((i: any) => i.threadId)).toEqual([thread.id]);
    const replies = await new Client(t.app).get(`/api/users/${likerUser.username}/activity?type=replies`);
    expect(replies.body.items[0]).toMatchObject({ postNumber: 2, excerpt: 'a reply' });

    expect((await new Client(t.app).get('/api/users/nobody_here')).status).toBe(404);
    expect((await new Client(t.app).get(`/api/users/${likerUser.username}/activity?type=secrets`)).status).toBe(400);
  });

  it('shows strangers only the day a member was last seen, and nothing when they hide it', async () => {
    const fan = new Client(t.app);
    const user = await signUp(fan);
    await fan.get('/api/me'); // a signed-in request records last_seen_at
    await expect
      .poll(
        async () =>
          (await t.db.selectFrom('users').select('last_seen_at').where('id', '=', user.id).executeTakeFirst())
            ?.last_seen_at,
      )
      .not.toBeNull();
    const seen = (await new Client(t.app).get(`/api/users/${user.username}`)).body;
    expect(seen).not.toHaveProperty('lastSeenAt');
    expect(seen.lastSeenOn).toBe(new Date().toISOString().slice(0, 10));

    expect((await fan.get('/api/me')).body.user.showLastSeen).toBe(true);
    const hidden = await fan.patch('/api/me', { showLastSeen: false });
    expect(hidden.status).toBe(200);
    expect(hidden.body.user).toMatchObject({ showLastSeen: false, locale: null });
    expect((await new Client(t.app).get(`/api/users/${user.username}`)).body.lastSeenOn).toBeNull();
    // changing the language leaves the choice alone; an empty change is refused
    expect((await fan.patch('/api/me', { locale: 'es' })).body.user).toMatchObject({
      locale: 'es',
      showLastSeen: false,
    });
    expect((await fan.patch('/api/me', {})).status).toBe(400);
  });
});

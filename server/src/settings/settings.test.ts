// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { ErrorCodes } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let admin: Member;
let moderator: Member;
let member: Member;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  admin = await makeUser(t, { role: 'admin' });
  moderator = await makeUser(t, { role: 'moderator' });
  member = await makeUser(t);
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

const stored = () => t.db.selectFrom('site_settings').selectAll().orderBy('key').execute();
const lastAudit = () =>
  t.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'settings.updated')
    .orderBy('id', 'desc')
    .executeTakeFirst();

describe('site settings', () => {
  it('are for admins: members and moderators are refused, anonymous must sign in', async () => {
    expect((await member.client.get('/api/admin/settings')).status).toBe(403);
    expect((await moderator.client.patch('/api/admin/settings', { flagHideScore: 9 })).body.error.code).toBe(
      ErrorCodes.forbidden,
    );
    const anonymous = await new (member.client.constructor as any)(t.app).get('/api/admin/settings');
    expect(anonymous.status).toBe(401);
    expect(await stored()).toEqual([]);
  });

  it('answers the values in force with their defaults, then changes, audits and restores them', async () => {
    const first = await admin.client.get('/api/admin/settings');
    expect(first.status).toBe(200);
    expect(first.body.values).toEqual(first.body.defaults);
    expect(first.body.values.flagHideScore).toBe(3);
    expect(first.body.changed).toEqual([]);

    const res = await admin.client.patch('/api/admin/settings', {
      flagHideScore: 4.5,
      watchedWordsBlock: ['casino', 'free money'],
      postLimit: { max: 5, windowSeconds: 120 },
    });
    expect(res.status).toBe(200);
    expect(res.body.values).toMatchObject({
      flagHideScore: 4.5,
      watchedWordsBlock: ['casino', 'free money'],
      postLimit: { max: 5, windowSeconds: 120 },
    });
    expect(res.body.changed.map((c: any) => [c.key, c.changedBy])).toEqual([
      ['flagHideScore', admin.user.username],
      ['postLimit', admin.user.username],
      ['watchedWordsBlock', admin.user.username],
    ]);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ actor_id: admin.user.id, target_type: 'site', target_id: null });
    expect(audit?.data).toEqual({
      changes: {
        flagHideScore: [3, 4.5],
        watchedWordsBlock: [[], ['casino', 'free money']],
        postLimit: [first.body.defaults.postLimit, { max: 5, windowSeconds: 120 }],
      },
    });

    // The same value again changes nothing and writes no audit entry.
    const auditCount = async () =>
      (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'settings.updated').execute()).length;
    const before = await auditCount();
    await admin.client.patch('/api/admin/settings', { flagHideScore: 4.5 });
    expect(await auditCount()).toBe(before);

    // null, or the default itself, restores the default: the stored row goes.
    const restored = await admin.client.patch('/api/admin/settings', {
      flagHideScore: null,
      postLimit: first.body.defaults.postLimit,
      watchedWordsBlock: null,
    });
    expect(restored.body.values).toEqual(first.body.defaults);
    expect(restored.body.changed).toEqual([]);
    expect(await stored()).toEqual([]);
    expect((await lastAudit())?.data).toMatchObject({ changes: { flagHideScore: [4.5, 3] } });
  });

  it.each([
    ['an unknown setting', { noSuchSetting: 1 }],
    ['nothing', {}],
    ['a number out of range', { flagHideScore: 1000 }],
    ['a fraction where a whole number belongs', { reviewClaimMinutes: 1.5 }],
    ['text for a number', { reviewDeferHours: '24' }],
    ['a string for a switch', { newMemberImages: 'yes' }],
    ['a limit without its window', { postLimit: { max: 5 } }],
    ['a limit with more', { postLimit: { max: 5, windowSeconds: 60, burst: 2 } }],
    ['a limit of zero', { postLimit: { max: 0, windowSeconds: 60 } }],
    ['the same word twice', { watchedWordsBlock: ['spam', 'spam'] }],
    ['a blank word', { watchedWordsBlock: ['   '] }],
    ['a word too long', { watchedWordsBlock: ['x'.repeat(101)] }],
    ['too many words', { watchedWordsBlock: Array.from({ length: 501 }, (_, i) => `w${i}`) }],
    ['one bad value among good ones', { flagHideScore: 5, reviewClaimMinutes: -1 }],
  ])('refuses %s with 400 and changes nothing', async (_, body) => {
    const res = await admin.client.patch('/api/admin/settings', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(ErrorCodes.validationFailed);
    expect(await stored()).toEqual([]);
  });

  it('apply at once: the hide score, posting limits and watched words', async () => {
    await admin.client.patch('/api/admin/settings', {
      flagHideScore: 1,
      postLimit: { max: 2, windowSeconds: 600 },
      watchedWordsBlock: ['casino*'],
    });
    try {
      const { id } = await makeThread(t, moderator.user, { categoryId });
      const postId = await makePost(t, member.user, id, 'A reply to flag.');
      const flagger = await makeUser(t);
      const flagged = await flagger.client.post(`/api/posts/${postId}/flags`, { reason: 'spam' });
      expect(flagged.body).toEqual({ hidden: true });

      const poster = await makeUser(t);
      const word = await poster.client.post(`/api/threads/${id}/posts`, { body: 'Visit my CASINOS tonight' });
      expect(word.status).toBe(422);
      expect(word.body.error).toMatchObject({ code: ErrorCodes.watchedWord, details: { word: 'CASINOS' } });
      // whole words only
      expect((await poster.client.post(`/api/threads/${id}/posts`, { body: 'Occasinos are not a word' })).status).toBe(
        201,
      );
      // the refused attempt counted too: this is the third in the window
      const third = await poster.client.post(`/api/threads/${id}/posts`, { body: 'Third reply' });
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe(ErrorCodes.rateLimited);
      // staff are not held to watched words
      expect((await moderator.client.post(`/api/threads/${id}/posts`, { body: 'About the casino spam' })).status).toBe(
        201,
      );
    } finally {
      await admin.client.patch('/api/admin/settings', {
        flagHideScore: null,
        postLimit: null,
        watchedWordsBlock: null,
      });
    }
  });

  it('reach every process: another server on the database follows a change without being asked', async () => {
    const other = await startTestApp({ database: t.database });
    try {
      const writer = await makeUser(other);
      const { id } = await makeThread(other, writer.user, { categoryId });
      expect((await writer.client.post(`/api/threads/${id}/posts`, { body: 'a word: zorblax' })).status).toBe(201);
      await admin.client.patch('/api/admin/settings', { watchedWordsBlock: ['zorblax'] });
      const deadline = Date.now() + 3_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await writer.client.post(`/api/threads/${id}/posts`, { body: `zorblax again ${Date.now()}` })).status;
        if (status === 422) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(422);
    } finally {
      await admin.client.patch('/api/admin/settings', { watchedWordsBlock: null });
      await other.close();
    }
  });

  it('ignore a stored value this version does not accept (the default applies)', async () => {
    await t.db
      .insertInto('site_settings')
      .values([
        { key: 'flagHideScore', value: JSON.stringify('three') },
        { key: 'aRemovedSetting', value: JSON.stringify(1) },
      ])
      .execute();
    try {
      // a change reads the table again, bad rows and all
      const res = await admin.client.patch('/api/admin/settings', { reviewDeferHours: 12 });
      expect(res.status).toBe(200);
      expect(res.body.values.flagHideScore).toBe(3);
      expect(res.body.values.reviewDeferHours).toBe(12);
      expect(res.body.changed.map((c: any) => c.key)).toEqual(['reviewDeferHours']);
      // the store the rules read holds the same
      expect((await admin.client.get('/api/admin/settings')).body.values.flagHideScore).toBe(3);
    } finally {
      await t.db.deleteFrom('site_settings').where('key', 'in', ['flagHideScore', 'aRemovedSetting']).execute();
      await admin.client.patch('/api/admin/settings', { reviewDeferHours: null });
    }
  });
});

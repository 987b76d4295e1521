// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let categoryId: number;
let moderator: Member;
let admin: Member;
beforeAll(async () => {
  // the same-text rule at its production setting (tests elsewhere run with every limit generous)
  t = await startTestApp({ settings: { repeatPostMinutes: 5 } });
  categoryId = (await makeCategory(t)).id;
  moderator = await makeUser(t, { role: 'moderator' });
  admin = await makeUser(t, { role: 'admin' });
});
afterAll(() => t.close());

const reply = (m: Member, threadId: number, body: string) => m.client.post(`/api/threads/${threadId}/posts`, { body });

describe('sanctions by staff', () => {
  it('silences with a reason the member sees; it lifts by itself at its end, with no job running', async () => {
    const member = await makeUser(t);
    const thread = await makeThread(t, moderator.user, { categoryId });
    const res = await moderator.client.put(`/api/moderation/users/${member.user.id}/sanction`, {
      kind: 'silence',
      days: 2,
      reason: 'Cooling off after a heated thread',
    });
    expect(res.status).toBe(204);
    const me = (await member.client.get('/api/me')).body.user;
    expect(me.silenceReason).toBe('Cooling off after a heated thread');
    expect(new Date(me.silencedUntil).getTime()).toBeGreaterThan(Date.now() + 1.9 * 86_400_000);
    expect((await reply(member, thread.id, 'I am still here')).body.error.code).toBe('silenced');
    // the end passes: nothing runs, and the member may post again
    await t.db
      .updateTable('users')
      .set({ silenced_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', member.user.id)
      .execute();
    expect((await reply(member, thread.id, 'Back again, calmer')).status).toBe(201);
    expect((await member.client.get('/api/me')).body.user).toMatchObject({ silencedUntil: null, silenceReason: null });
  });

  it('suspends: every session ends, sign-in says why; it lifts by itself, or early by a moderator', async () => {
    const member = await makeUser(t);
    const other = new Client(t.app);
    expect((await other.post('/api/auth/sign-in', { login: member.user.username, password: PASSWORD })).status).toBe(
      200,
    );
    expect(
      (
        await moderator.client.put(`/api/moderation/users/${member.user.id}/sanction`, {
          kind: 'suspend',
          days: 7,
          reason: 'Ban evasion',
        })
      ).status,
    ).toBe(204);
    expect((await member.client.get('/api/me')).body.user).toBeNull();
    expect((await other.get('/api/me')).body.user).toBeNull();
    const refused = await new Client(t.app).post('/api/auth/sign-in', {
      login: member.user.username,
      password: PASSWORD,
    });
    expect([refused.status, refused.body.error.code, refused.body.error.details?.reason]).toEqual([
      403,
      'suspended',
      'Ban evasion',
    ]);
    await t.db
      .updateTable('users')
      .set({ suspended_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', member.user.id)
      .execute();
    expect(
      (await new Client(t.app).post('/api/auth/sign-in', { login: member.user.username, password: PASSWORD })).status,
    ).toBe(200);

    // and early: suspend again, then lift
    await moderator.client.put(`/api/moderation/users/${member.user.id}/sanction`, {
      kind: 'suspend',
      days: 7,
      reason: 'Again',
    });
    expect(
      (await moderator.client.request('DELETE', `/api/moderation/users/${member.user.id}/sanction/suspend`)).status,
    ).toBe(204);
    expect(
      (await new Client(t.app).post('/api/auth/sign-in', { login: member.user.username, password: PASSWORD })).status,
    ).toBe(200);
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', member.user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['user.suspended', 'user.suspended', 'user.unsuspended']);
  });

  it('never sanctions staff or oneself, and only staff sanction; refusals change nothing', async () => {
    const member = await makeUser(t);
    const body = { kind: 'silence', days: 1, reason: 'x' };
    const cases: [Client, number, number, string][] = [
      [new Client(t.app), member.user.id, 401, 'unauthenticated'],
      [member.client, (await makeUser(t)).user.id, 403, 'forbidden'],
      [moderator.client, admin.user.id, 403, 'forbidden'],
      [moderator.client, moderator.user.id, 403, 'forbidden'],
      [admin.client, moderator.user.id, 403, 'forbidden'],
    ];
    for (const [client, target, status, code] of cases) {
      const res = await client.put(`/api/moderation/users/${target}/sanction`, body);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    expect((await moderator.client.put('/api/moderation/users/99999999/sanction', body)).status).toBe(404);
    for (const bad of [
      { ...body, days: 0 },
      { ...body, days: 3651 },
      { ...body, reason: '' },
      { ...body, kind: 'ban' },
      {},
    ]) {
      expect((await moderator.client.put(`/api/moderation/users/${member.user.id}/sanction`, bad)).status).toBe(400);
    }
    const rows = await t.db
      .selectFrom('users')
      .select(['silenced_until', 'suspended_until'])
      .where('silenced_until', 'is not', null)
      .where('id', 'in', [member.user.id, admin.user.id, moderator.user.id])
      .execute();
    expect(rows).toHaveLength(0);
  });
});

describe('staff notes', () => {
  it('are kept per member for staff only; deleted by their author or an admin', async () => {
    const member = await makeUser(t);
    const other = await makeUser(t, { role: 'moderator' });
    const added = await moderator.client.post(`/api/moderation/users/${member.user.id}/notes`, {
      body: 'Warned about self-promotion in #phones',
    });
    expect(added.status).toBe(201);
    const standing = (await other.client.get(`/api/moderation/users/${member.user.id}`)).body;
    expect(standing).toMatchObject({
      user: { username: member.user.username },
      canSanction: true,
      notes: [{ body: 'Warned about self-promotion in #phones', author: { username: moderator.user.username } }],
    });
    expect((await member.client.get(`/api/moderation/users/${member.user.id}`)).status).toBe(403);
    expect((await other.client.request('DELETE', `/api/moderation/notes/${added.body.id}`)).status).toBe(403);
    expect((await admin.client.request('DELETE', `/api/moderation/notes/${added.body.id}`)).status).toBe(204);
    expect((await other.client.get(`/api/moderation/users/${member.user.id}`)).body.notes).toEqual([]);
    for (const bad of [{ body: '' }, { body: 'x'.repeat(2001) }, { text: 'x' }]) {
      expect((await moderator.client.post(`/api/moderation/users/${member.user.id}/notes`, bad)).status).toBe(400);
    }
  });
});

describe('the same text twice', () => {
  it('is refused within minutes, in any thread, even when sent at once; allowed again later', async () => {
    const member = await makeUser(t);
    const [a, b] = [
      await makeThread(t, moderator.user, { categoryId }),
      await makeThread(t, moderator.user, { categoryId }),
    ];
    const text = 'Great deals on chargers, message me';
    expect((await reply(member, a.id, text)).status).toBe(201);
    const again = await reply(member, b.id, text);
    expect([again.status, again.body.error.code]).toEqual([409, 'duplicate_post']);
    const thread = await member.client.post('/api/threads', {
      categoryId,
      title: 'Great deals on chargers',
      body: text,
    });
    expect([thread.status, thread.body.error.code]).toEqual([409, 'duplicate_post']);

    const burst = 'The same words twenty times at once';
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => reply(member, i % 2 ? a.id : b.id, burst)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'duplicate_post')).toHaveLength(19);

    await t.db
      .updateTable('posts')
      .set({ created_at: sql<Date>`now() - interval '6 minutes'` })
      .where('author_id', '=', member.user.id)
      .execute();
    expect((await reply(member, b.id, text)).status).toBe(201);
    // another member may say the same
    expect((await reply(await makeUser(t), b.id, burst)).status).toBe(201);
  });
});

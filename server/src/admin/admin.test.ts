// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeAccount, makeCategory, makeThread, makeUser } from '../../test/factories';
import { withTx } from '../db/tx';
import { sanctionUser } from '../moderation/actions';

let t: TestApp;
let admin: Client;
let adminId: number;
beforeAll(async () => {
  t = await startTestApp();
  const root = await makeUser(t, { username: 'root_admin', role: 'admin' });
  adminId = root.user.id;
  admin = root.client;
});
afterAll(() => t.close());

describe('admin: users and roles', () => {
  it('keeps members out, and moderators out of the audit log', async () => {
    const member = new Client(t.app);
    const memberUser = await signUp(member);
    expect((await member.get('/api/admin/users')).status).toBe(403);
    expect((await member.get(`/api/admin/users/${memberUser.id}`)).status).toBe(403);
    expect((await member.get('/api/admin/audit-log')).status).toBe(403);
    expect((await new Client(t.app).get('/api/admin/users')).status).toBe(401);
    expect((await new Client(t.app).get('/api/admin/audit-log')).status).toBe(401);
    const { client: moderator } = await makeUser(t, { role: 'moderator' });
    expect((await moderator.get('/api/admin/users')).status).toBe(200);
    expect((await moderator.get('/api/admin/audit-log')).status).toBe(403);
  });

  it('tells each viewer which admin tabs they may open (Me flags from the policy)', async () => {
    const flags = (body: any) => ({
      users: body.user.canSeeUsers,
      categories: body.user.canManageCategories,
      audit: body.user.canReadAuditLog,
    });
    expect(flags((await admin.get('/api/me')).body)).toEqual({ users: true, categories: true, audit: true });
    const { client: moderator } = await makeUser(t, { role: 'moderator' });
    expect(flags((await moderator.get('/api/me')).body)).toEqual({ users: true, categories: false, audit: false });
    for (const role of ['member', 'product_manager'] as const) {
      const { client } = await makeUser(t, { role });
      expect(flags((await client.get('/api/me')).body)).toEqual({ users: false, categories: false, audit: false });
    }
  });

  it('shows moderators no email addresses and lets them search usernames only', async () => {
    const target = await makeAccount(t, { username: 'quiet_quokka' });
    const { client: moderator } = await makeUser(t, { role: 'moderator' });
    const byName = await moderator.get('/api/admin/users?q=QUIET_q');
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([expect.objectContaining({ id: target.id, email: null, canChangeRole: false })]);
    // the address starts with the username: search by a part only the address has
    await t.db.updateTable('users').set({ email: 'hidden.box@example.org' }).where('id', '=', target.id).execute();
    expect((await moderator.get('/api/admin/users?q=hidden.box')).body.items).toEqual([]);
    const asAdmin = await admin.get('/api/admin/users?q=hidden.box');
    expect(asAdmin.body.items).toEqual([
      expect.objectContaining({ id: target.id, email: 'hidden.box@example.org', canChangeRole: true }),
    ]);
    expect((await moderator.get(`/api/admin/users/${target.id}`)).body).toMatchObject({ email: null, role: 'member' });
  });

  it('filters by role and by sanctions in force, and shows until when', async () => {
    const mod = await makeAccount(t, { role: 'moderator' });
    const quiet = await makeAccount(t, { username: 'filter_silenced' });
    const gone = await makeAccount(t, { username: 'filter_suspended' });
    const fine = await makeAccount(t, { username: 'filter_fine' });
    await withTx(t.db, (tx) => sanctionUser(tx, mod, quiet.id, { kind: 'silence', days: 2, reason: 'Heated' }, null));
    await withTx(t.db, (tx) => sanctionUser(tx, mod, gone.id, { kind: 'suspend', days: 3, reason: 'Spam' }, null));
    // a silence that ended yesterday is no sanction
    await t.db
      .updateTable('users')
      .set({ silenced_until: new Date(Date.now() - 86_400_000) })
      .where('id', '=', fine.id)
      .execute();
    const names = async (query: string) =>
      (await admin.get(`/api/admin/users?q=filter_&${query}`)).body.items.map((u: any) => u.username).sort();
    expect(await names('sanction=silenced')).toEqual(['filter_silenced']);
    expect(await names('sanction=suspended')).toEqual(['filter_suspended']);
    expect(await names('sanction=any')).toEqual(['filter_silenced', 'filter_suspended']);
    expect(await names('sanction=none')).toEqual(['filter_fine']);
    const silenced = (await admin.get('/api/admin/users?q=filter_silenced')).body.items[0];
    expect(Date.parse(silenced.silencedUntil)).toBeGreaterThan(Date.now() + 86_400_000);
    expect(silenced.suspendedUntil).toBeNull();
    expect((await admin.get('/api/admin/users?q=filter_fine')).body.items[0].silencedUntil).toBeNull();
    const mods = (await admin.get('/api/admin/users?role=moderator&limit=100')).body.items;
    expect(mods.length).toBeGreaterThan(0);
    expect(mods.every((u: any) => u.role === 'moderator')).toBe(true);
    for (const bad of ['sanction=banned', 'role=emperor', 'limit=0', 'limit=101', `q=${'x'.repeat(255)}`]) {
      const res = await admin.get(`/api/admin/users?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('opens one user, 404 for none, 400 for a bad id', async () => {
    const user = await makeAccount(t);
    const res = await admin.get(`/api/admin/users/${user.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, username: user.username, email: user.email, canChangeRole: true });
    expect((await admin.get(`/api/admin/users/${adminId}`)).body.canChangeRole).toBe(false); // never one's own
    expect((await admin.get('/api/admin/users/999999')).status).toBe(404);
    expect((await admin.get('/api/admin/users/abc')).status).toBe(400);
  });

  it('pages through users with keyset cursors, no duplicates, no gaps', async () => {
    for (let i = 0; i < 7; i++) await signUp(new Client(t.app), `pager_${i}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await admin.get(
        `/api/admin/users?limit=3&q=pager_${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((u: { id: number }) => u.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen); // newest first
  });

  it('rejects a forged or malformed cursor', async () => {
    for (const cursor of [
      'not-base64!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["x"]').toString('base64url'),
    ]) {
      const res = await admin.get(`/api/admin/users?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
  });

  it('treats LIKE wildcards in the search as text', async () => {
    const res = await admin.get('/api/admin/users?q=%25');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(0);
  });

  it('changes a role and writes the audit log in the same transaction', async () => {
    const member = new Client(t.app);
    const user = await signUp(member);
    const res = await admin.put(`/api/admin/users/${user.id}/role`, { role: 'moderator' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('moderator');
    expect((await member.get('/api/me')).body.user.role).toBe('moderator');
    const log = await admin.get('/api/admin/audit-log?limit=5');
    expect(log.body.items[0]).toMatchObject({
      action: 'user.role_changed',
      actorId: adminId,
      actorUsername: 'root_admin',
      targetType: 'user',
      targetId: user.id,
      data: { from: 'member', to: 'moderator' },
    });
  });

  it('refuses bad role changes without writing anything', async () => {
    const user = await signUp(new Client(t.app));
    const before = (await admin.get('/api/admin/audit-log?limit=100')).body.items.length;
    expect((await admin.put(`/api/admin/users/${user.id}/role`, { role: 'emperor' })).status).toBe(400);
    expect((await admin.put('/api/admin/users/999999/role', { role: 'admin' })).status).toBe(404);
    expect((await admin.put('/api/admin/users/abc/role', { role: 'admin' })).status).toBe(400);
    expect((await admin.put(`/api/admin/users/${adminId}/role`, { role: 'member' })).status).toBe(409);
    const { client: moderator } = await makeUser(t, { role: 'moderator' });
    expect((await moderator.put(`/api/admin/users/${user.id}/role`, { role: 'admin' })).status).toBe(403);
    expect((await admin.get('/api/admin/audit-log?limit=100')).body.items.length).toBe(before);
  });
});

describe('admin: the audit log', () => {
  it('names each target as it is today, with where it is shown', async () => {
    const category = await makeCategory(t, { slug: 'audit-cat', name: 'Audit Cat' });
    const member = await makeAccount(t, { username: 'audit_target' });
    const moderator = await makeAccount(t, { role: 'moderator', username: 'audit_mod' });
    const thread = await makeThread(t, member, { categoryId: category.id, title: 'A thread the log names' });
    await admin.put(`/api/admin/users/${member.id}/role`, { role: 'product_manager' });
    const loud = await makeAccount(t);
    await withTx(t.db, (tx) =>
      sanctionUser(tx, moderator, loud.id, { kind: 'silence', days: 1, reason: 'Loud' }, null),
    );
    const modClient = new Client(t.app);
    await modClient.post('/api/auth/sign-in', { login: 'audit_mod', password: PASSWORD });
    expect((await modClient.patch(`/api/threads/${thread.id}/moderation`, { locked: true })).status).toBe(200);

    const log = (await admin.get('/api/admin/audit-log?limit=10')).body.items;
    const role = log.find((e: any) => e.action === 'user.role_changed' && e.targetId === member.id);
    expect(role).toMatchObject({ targetLabel: 'audit_target', targetPath: '/u/audit_target' });
    const locked = log.find((e: any) => e.action === 'thread.moderated');
    expect(locked).toMatchObject({
      actorUsername: 'audit_mod',
      targetType: 'thread',
      targetLabel: 'A thread the log names',
      targetPath: `/t/${thread.id}`,
      data: { locked: [false, true] },
    });
    const created = (await admin.get(`/api/admin/audit-log?action=category.created&targetId=${category.id}`)).body
      .items[0];
    expect(created).toMatchObject({ targetLabel: 'Audit Cat', targetPath: '/c/audit-cat', actorUsername: null });
  });

  it('filters by actor, action, target type and time range, and pages with keyset cursors', async () => {
    const actor = await makeUser(t, { role: 'admin', username: 'filter_admin' });
    const targets = await Promise.all([0, 1, 2, 3, 4].map(() => makeAccount(t)));
    const started = new Date();
    for (const target of targets) {
      expect((await actor.client.put(`/api/admin/users/${target.id}/role`, { role: 'moderator' })).status).toBe(200);
    }
    const category = await actor.client.post('/api/admin/categories', { slug: 'filter-cat', name: 'Filter cat' });
    expect(category.status).toBe(201);

    const mine = (await admin.get('/api/admin/audit-log?actor=FILTER_ADMIN&limit=100')).body.items;
    expect(mine.map((e: any) => e.action)).toEqual(['category.created', ...targets.map(() => 'user.role_changed')]);
    const roles = (await admin.get('/api/admin/audit-log?actor=filter_admin&action=user.role_changed')).body.items;
    expect(roles.map((e: any) => e.targetId)).toEqual(targets.map((u) => u.id).reverse());
    const categories = (await admin.get('/api/admin/audit-log?actor=filter_admin&targetType=category')).body.items;
    expect(categories.map((e: any) => e.action)).toEqual(['category.created']);
    expect((await admin.get('/api/admin/audit-log?actor=nobody_at_all')).body.items).toEqual([]);

    const from = encodeURIComponent(started.toISOString());
    const inRange = (await admin.get(`/api/admin/audit-log?from=${from}&limit=100`)).body.items;
    expect(inRange.length).toBe(6);
    const before = (await admin.get(`/api/admin/audit-log?to=${from}&limit=100`)).body.items;
    expect(before.every((e: any) => Date.parse(e.createdAt) < started.getTime())).toBe(true);
    expect(before.some((e: any) => e.actorUsername === 'filter_admin')).toBe(false);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await admin.get(
        `/api/admin/audit-log?actor=filter_admin&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { id: number }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(mine.map((e: any) => e.id));
  });

  it('refuses bad filters with 400, never 500', async () => {
    for (const bad of [
      'action=user.exploded',
      'targetType=planet',
      'targetId=0',
      'targetId=abc',
      'from=yesterday',
      'from=2026-13-45',
      'to=2026-02-30T25:00Z',
      'from=2026-05-02&to=2026-05-01',
      `actor=${'a'.repeat(21)}`,
      'actor=',
      'limit=500',
      'cursor=bm9wZQ',
    ]) {
      const res = await admin.get(`/api/admin/audit-log?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(['validation_failed', 'invalid_cursor']).toContain(res.body.error.code);
    }
  });
});

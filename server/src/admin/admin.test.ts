// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeUser } from '../../test/factories';

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
  it('keeps members and moderators out', async () => {
    const member = new Client(t.app);
    await signUp(member);
    expect((await member.get('/api/admin/users')).status).toBe(403);
    expect((await member.get('/api/admin/audit-log')).status).toBe(403);
    expect((await new Client(t.app).get('/api/admin/users')).status).toBe(401);
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
    const moderator = new Client(t.app);
    await signUp(moderator);
    expect((await moderator.put(`/api/admin/users/${user.id}/role`, { role: 'admin' })).status).toBe(403);
    expect((await admin.get('/api/admin/audit-log?limit=100')).body.items.length).toBe(before);
  });
});

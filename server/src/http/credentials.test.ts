import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { makeAccount } from '../../test/factories';
import { apiOperations } from '../../test/operations';

let t: TestApp;
let admin: Client;
let adminId: number;
beforeAll(async () => {
  t = await startTestApp();
  adminId = (await makeAccount(t, { username: 'bearer_admin', role: 'admin' })).id;
  admin = new Client(t.app);
  expect((await admin.post('/api/auth/sign-in', { login: 'bearer_admin', password: PASSWORD })).status).toBe(200);
});
afterAll(() => t.close());

const operations = () => apiOperations(t);

describe('credentials in the Authorization header', () => {
  it('refuses a bearer header beside an admin cookie on every route, with or without Origin', async () => {
    const ops = await operations();
    expect(ops.filter((op) => op.method !== 'GET').length).toBeGreaterThan(20);
    const noOrigin = new Client(t.app, { origin: null });
    noOrigin.cookie = admin.cookie;
    for (const { method, url } of ops) {
      for (const client of [noOrigin, admin]) {
        const res = await client.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {}, {
          authorization: 'Bearer junk',
        });
        expect({ method, url, status: res.status, code: res.body?.error?.code }).toEqual({
          method,
          url,
          status: 401,
          code: 'invalid_token',
        });
      }
    }
  });

  it('changes nothing: the role change that used to pass with "Bearer junk" and no Origin', async () => {
    const target = await makeAccount(t, { username: 'bearer_target' });
    const noOrigin = new Client(t.app, { origin: null });
    noOrigin.cookie = admin.cookie;
    const res = await noOrigin.request(
      'PUT',
      `/api/admin/users/${target.id}/role`,
      { role: 'admin' },
      {
        authorization: 'Bearer junk',
      },
    );
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    const row = await t.db.selectFrom('users').select('role').where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('member');
    // other schemes are no way around it either
    for (const authorization of ['Basic YTpi', 'bearer junk', '']) {
      const again = await noOrigin.request(
        'PUT',
        `/api/admin/users/${target.id}/role`,
        { role: 'admin' },
        {
          authorization,
        },
      );
      expect(again.status).toBe(401);
    }
    // without the header, the cookie alone still needs a same-origin Origin
    expect((await noOrigin.put(`/api/admin/users/${target.id}/role`, { role: 'admin' })).status).toBe(403);
    expect((await admin.get('/api/me')).body.user.id).toBe(adminId);
  });
});

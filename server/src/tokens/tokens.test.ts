// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { TOKENS_PER_USER } from '@fanlab/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeIdea, makeUser } from '../../test/factories';
import { apiOperations } from '../../test/operations';
import { secretHash } from './secrets';

let t: TestApp;
let pm: Member;
let admin: Member;
let moderator: Member;
let member: Member;
let ideaId: number;
beforeAll(async () => {
  t = await startTestApp();
  pm = await makeUser(t, { role: 'product_manager' });
  admin = await makeUser(t, { role: 'admin' });
  moderator = await makeUser(t, { role: 'moderator' });
  member = await makeUser(t);
  const category = await makeCategory(t, { allowIdeas: true });
  ideaId = (await makeIdea(t, member.user, { categoryId: category.id })).id;
});
afterAll(() => t.close());

const BOTH = ['read:ideas', 'read:exports'];

async function newToken(owner: Member, body: Record<string, unknown> = {}) {
  const res = await owner.client.post('/api/me/tokens', { name: 'exports', scopes: BOTH, expiresInDays: 30, ...body });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body as { token: { id: number; prefix: string; scopes: string[] }; secret: string };
}

/** A request with only the token (no cookie), or with someone else's cookie beside it. */
function withToken(secret: string, method: string, url: string, body?: unknown, cookieOf?: Member) {
  const client = new Client(t.app);
  client.cookie = cookieOf?.client.cookie;
  return client.request(method, url, body, { authorization: `Bearer ${secret}` });
}

const tokenRow = (id: number) =>
  t.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('API tokens', () => {
  it('are created with scopes and an expiry, shown once, stored hashed, listed without secrets and audited', async () => {
    const res = await pm.client.post('/api/me/tokens', {
      name: '  weekly export  ',
      scopes: ['read:exports'],
      expiresInDays: 7,
    });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { token, secret } = res.body;
    expect(secret).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'weekly export', scopes: ['read:exports'], state: 'active', lastUsedAt: null });
    expect(secret.startsWith(token.prefix)).toBe(true);
    const expires = new Date(token.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(6.9 * 86_400_000);
    expect(expires).toBeLessThan(7.1 * 86_400_000);

    const row = await tokenRow(token.id);
    expect(row.secret_hash).toBe(secretHash(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const list = await pm.client.get('/api/me/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: token.id, name: 'weekly export' });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    // another member never sees them
    expect((await moderator.client.get('/api/me/tokens')).body.items.some((i: any) => i.id === token.id)).toBe(false);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.token_created')
      .where('target_id', '=', pm.user.id)
      .execute();
    expect(audit.at(-1)?.data).toMatchObject({ token: token.id, name: 'weekly export', scopes: ['read:exports'] });
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('are for staff and product managers only, and refuse bad input with nothing written', async () => {
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from api_tokens`.execute(t.db)).rows[0]?.n);
    const before = await count();
    expect((await new Client(t.app).post('/api/me/tokens', { name: 'x', scopes: BOTH, expiresInDays: 1 })).status).toBe(
      401,
    );
    const refused = await member.client.post('/api/me/tokens', { name: 'x', scopes: BOTH, expiresInDays: 1 });
    expect(refused.status).toBe(403);
    expect((await member.client.get('/api/me/tokens')).status).toBe(403);
    expect((await member.client.get('/api/me')).body.user.canUseApiTokens).toBe(false);
    expect((await pm.client.get('/api/me')).body.user.canUseApiTokens).toBe(true);
    for (const body of [
      {},
      { name: '', scopes: BOTH, expiresInDays: 1 },
      { name: '   ', scopes: BOTH, expiresInDays: 1 },
      { name: 'x'.repeat(81), scopes: BOTH, expiresInDays: 1 },
      { name: 'x', scopes: [], expiresInDays: 1 },
      { name: 'x', scopes: ['write:everything'], expiresInDays: 1 },
      { name: 'x', scopes: ['read:ideas', 'read:ideas'], expiresInDays: 1 },
      { name: 'x', scopes: BOTH, expiresInDays: 0 },
      { name: 'x', scopes: BOTH, expiresInDays: 366 },
      { name: 'x', scopes: BOTH, expiresInDays: 1.5 },
      { name: 'x', scopes: BOTH, expiresInDays: 1, userId: admin.user.id },
    ]) {
      const res = await pm.client.post('/api/me/tokens', body);
      expect({ body, status: res.status, code: res.body.error?.code }).toMatchObject({ status: 400 });
    }
    expect((await pm.client.request('DELETE', '/api/me/tokens/abc')).status).toBe(400);
    expect((await pm.client.request('DELETE', '/api/me/tokens/999999999')).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('are capped per member, exactly, however many requests race for the last ones', async () => {
    const owner = await makeUser(t, { role: 'product_manager' });
    const answers = await Promise.all(
      Array.from({ length: TOKENS_PER_USER + 15 }, (_, i) =>
        owner.client.post('/api/me/tokens', { name: `t${i}`, scopes: BOTH, expiresInDays: 1 }),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(TOKENS_PER_USER);
    const over = answers.filter((r) => r.status !== 201);
    expect(over.every((r) => r.status === 409 && r.body.error.code === 'too_many_tokens')).toBe(true);
    // revoking one frees a place
    const first = answers.find((r) => r.status === 201)?.body.token.id;
    expect((await owner.client.request('DELETE', `/api/me/tokens/${first}`)).status).toBe(204);
    expect((await owner.client.post('/api/me/tokens', { name: 'again', scopes: BOTH, expiresInDays: 1 })).status).toBe(
      201,
    );
  });

  it('read the routes of their scopes, as their owner, and record their last use', async () => {
    const { token, secret } = await newToken(pm, { scopes: ['read:ideas'] });
    const board = await withToken(secret, 'GET', '/api/ideas?sort=top');
    expect(board.status).toBe(200);
    expect(board.headers['set-cookie']).toBeUndefined();
    const idea = await withToken(secret, 'GET', `/api/ideas/${ideaId}`);
    expect(idea.status).toBe(200);
    expect(idea.body.canTriage).toBe(true); // as the product manager
    const outside = await withToken(secret, 'GET', `/api/ideas/${ideaId}/voters`);
    expect(outside.status).toBe(403);
    expect(outside.body.error).toMatchObject({
      code: 'token_scope',
      details: { needed: 'read:exports', scopes: ['read:ideas'] },
    });
    const exportsToken = await newToken(pm, { scopes: ['read:exports'] });
    expect((await withToken(exportsToken.secret, 'GET', `/api/ideas/${ideaId}/voters`)).status).toBe(200);
    // the role checks of the route still apply: a moderator's token for voters, too
    const modToken = await newToken(moderator, { scopes: ['read:exports'] });
    expect((await withToken(modToken.secret, 'GET', `/api/ideas/${ideaId}/voters`)).status).toBe(200);

    await new Promise((r) => setTimeout(r, 50));
    const used = (await pm.client.get('/api/me/tokens')).body.items.find((i: any) => i.id === token.id);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('ignore a cookie beside them: an admin cookie gives a product manager’s token no admin reach', async () => {
    const { secret } = await newToken(pm);
    const settings = await withToken(secret, 'GET', '/api/admin/settings', undefined, admin);
    expect(settings.status).toBe(403);
    expect(settings.body.error.code).toBe('token_scope');
    const idea = await withToken(secret, 'GET', `/api/ideas/${ideaId}`, undefined, member);
    expect(idea.body.canTriage).toBe(true); // the token's owner, not the cookie's member
  });

  it('reach no route outside their scopes: no write, no staff screen, no live channel, on every route', async () => {
    const adminToken = await newToken(admin);
    const ops = await apiOperations(t);
    const takesTokens = ops.filter((op) => op.security.includes('token')).map((op) => `${op.method} ${op.path}`);
    expect(takesTokens.sort()).toEqual(
      [
        'GET /api/beta/programs/{id}/testers.csv',
        'GET /api/dashboard/charts',
        'GET /api/dashboard/top',
        'GET /api/dashboard/top/export',
        'GET /api/ideas',
        'GET /api/ideas/similar',
        'GET /api/ideas/{id}',
        'GET /api/ideas/{id}/voters',
        'GET /api/ideas/{id}/voters/export',
      ].sort(),
    );
    const threadsBefore = await sql<{ n: string }>`select count(*) as n from threads`.execute(t.db);
    for (const op of ops) {
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
      const res = await withToken(adminToken.secret, op.method, op.url, body, admin);
      if (op.security.includes('token')) {
        expect({ op: `${op.method} ${op.path}`, code: res.body?.error?.code }).not.toMatchObject({
          code: 'token_scope',
        });
      } else {
        expect({ op: `${op.method} ${op.path}`, status: res.status, code: res.body?.error?.code }).toEqual({
          op: `${op.method} ${op.path}`,
          status: 403,
          code: 'token_scope',
        });
      }
    }
    const live = await withToken(adminToken.secret, 'GET', '/api/live');
    expect(live.status).toBe(403);
    expect((await sql<{ n: string }>`select count(*) as n from threads`.execute(t.db)).rows).toEqual(
      threadsBefore.rows,
    );
  });

  it('stop working when revoked, expired, their owner demoted or suspended, or every session ends', async () => {
    const revoked = await newToken(pm);
    expect((await pm.client.request('DELETE', `/api/me/tokens/${revoked.token.id}`)).status).toBe(204);
    expect((await pm.client.request('DELETE', `/api/me/tokens/${revoked.token.id}`)).status).toBe(204);
    const gone = await withToken(revoked.secret, 'GET', '/api/ideas');
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('invalid_token');
    expect(gone.headers['www-authenticate']).toContain('invalid_token');
    expect((await pm.client.get('/api/me/tokens')).body.items.find((i: any) => i.id === revoked.token.id).state).toBe(
      'revoked',
    );
    // somebody else's token cannot be revoked (404: it is not theirs to know of)
    const mine = await newToken(pm);
    expect((await moderator.client.request('DELETE', `/api/me/tokens/${mine.token.id}`)).status).toBe(404);
    expect((await withToken(mine.secret, 'GET', '/api/ideas')).status).toBe(200);

    const expired = await newToken(pm);
    await t.db
      .updateTable('api_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 second'`, created_at: sql<Date>`now() - interval '2 days'` })
      .where('id', '=', expired.token.id)
      .execute();
    expect((await withToken(expired.secret, 'GET', '/api/ideas')).body.error.code).toBe('invalid_token');
    expect((await withToken(`${expired.secret.slice(0, -1)}A`, 'GET', '/api/ideas')).status).toBe(401);

    const demoted = await makeUser(t, { role: 'product_manager' });
    const demotedToken = await newToken(demoted);
    expect((await admin.client.put(`/api/admin/users/${demoted.user.id}/role`, { role: 'member' })).status).toBe(200);
    const refused = await withToken(demotedToken.secret, 'GET', '/api/ideas');
    expect(refused.status).toBe(403);

    const suspended = await makeUser(t, { role: 'product_manager' });
    const suspendedToken = await newToken(suspended);
    // staff and product managers cannot be sanctioned through the API; were one suspended (by
    // the operator's database), their tokens stop at once
    await t.db
      .updateTable('users')
      .set({ suspended_until: sql<Date>`now() + interval '1 day'` })
      .where('id', '=', suspended.user.id)
      .execute();
    expect((await withToken(suspendedToken.secret, 'GET', '/api/ideas')).status).toBe(401);

    const everywhere = await makeUser(t, { role: 'product_manager' });
    const everywhereToken = await newToken(everywhere);
    expect((await everywhere.client.post('/api/auth/sign-out-everywhere')).status).toBe(204);
    expect((await withToken(everywhereToken.secret, 'GET', '/api/ideas')).status).toBe(401);
    expect((await tokenRow(everywhereToken.token.id)).revoked_at).not.toBeNull();

    const changed = await makeUser(t, { role: 'product_manager' });
    const changedToken = await newToken(changed);
    const password = await changed.client.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'copper-lantern-meadow-42',
    });
    expect(password.status).toBe(204);
    expect((await withToken(changedToken.secret, 'GET', '/api/ideas')).status).toBe(401);
  });
});

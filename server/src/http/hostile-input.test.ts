import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { makeCategory } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { type Caller, describeFindings, type Samples, walkOperations } from '../../test/hostile';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const anonymous: Caller = { name: 'anonymous', cookie: () => undefined, afterOperation: async () => {} };

/** A signed-in caller that signs in again whenever an operation ended its session. */
function signedIn(name: string, client: Client, login: string): Caller {
  return {
    name,
    cookie: () => client.cookie,
    async afterOperation() {
      const me = await client.get('/api/me');
      if (me.body?.user) return;
      const res = await client.post('/api/auth/sign-in', { login, password: PASSWORD });
      if (res.status !== 200) throw new Error(`${name} could not sign in again: ${res.status}`);
    },
  };
}

describe('hostile input', () => {
  /** The targets every caller's walk uses (made once), and the callers. */
  let samples: Samples;
  let callers: Caller[];
  beforeAll(async () => {
    const f = await forumFixture(t);
    const admin = await f.admin.get('/api/me');
    const ideas = await makeCategory(t, { slug: 'fuzz-ideas', name: 'Fuzz ideas', allowIdeas: true });
    const spare = await makeCategory(t, { slug: 'fuzz-spare', name: 'Spare' });
    const thread = await startThread(f.member, f.category.id);
    const reply = await f.admin.post(`/api/threads/${thread.id}/posts`, { body: `A reply @${f.memberUser.username}` });
    await f.member.put(`/api/posts/${reply.body.id}/like`);
    const newIdea = async (client: Client, title: string) =>
      (await client.post('/api/threads', { categoryId: ideas.id, kind: 'idea', title, body: 'Please build it.' })).body
        .id as number;
    const idea = await newIdea(f.member, 'Dark mode for everything');
    const otherIdea = await newIdea(f.admin, 'Offline reading of threads');
    await f.member.put(`/api/ideas/${otherIdea}/vote`);
    await f.admin.put(`/api/ideas/${idea}/status`, { status: 'planned', response: 'Soon.' });

    const pathParams: [RegExp, Record<string, string>][] = [
      [/^\/api\/admin\/users\//, { id: String(f.memberUser.id) }],
      [/^\/api\/admin\/categories\//, { id: String(spare.id) }],
      [/^\/api\/categories\//, { slug: f.category.slug }],
      [/^\/api\/threads\//, { id: String(thread.id) }],
      [/^\/api\/posts\//, { id: String(reply.body.id) }],
      [/^\/api\/ideas\//, { id: String(idea) }],
      [/^\/api\/users\//, { username: f.memberUser.username }],
    ];
    const fields: Record<string, unknown> = {
      categoryId: f.category.id,
      intoId: otherIdea,
      ids: [idea],
      postNumber: 1,
      replyToPostNumber: 1,
      parentId: null,
      login: f.memberUser.username,
      password: PASSWORD,
      currentPassword: PASSWORD,
      newPassword: PASSWORD,
      category: f.category.slug,
      author: f.memberUser.username,
      q: 'phones',
    };
    samples = {
      pathParam: (path, name) => pathParams.find(([re]) => re.test(path))?.[1][name] ?? '1',
      field: (_path, name) => fields[name],
    };
    callers = [
      anonymous,
      signedIn('member', f.member, f.memberUser.username),
      signedIn('admin', f.admin, admin.body.user.username),
    ];
  });

  // One walk per caller, each with its own time limit: the walk grows with every route.
  it.each(['anonymous', 'member', 'admin'])(
    'no operation of the OpenAPI description answers 5xx or a non-JSON error (as %s)',
    async (name) => {
      const caller = callers.find((c) => c.name === name) as Caller;
      const started = performance.now();
      const result = await walkOperations(t.app, [caller], samples);
      const seconds = (performance.now() - started) / 1000;
      if (process.env.HOSTILE_REPORT) {
        writeFileSync(`${process.env.HOSTILE_REPORT}.${name}`, JSON.stringify(result, null, 1));
      }
      console.info(
        `hostile input (${name}): ${result.operations} operations, ${result.requests} requests, ${seconds.toFixed(1)} s`,
      );
      expect(result.operations).toBeGreaterThan(40);
      expect(result.findings.length, describeFindings(result.findings)).toBe(0);
    },
    120_000,
  );

  it('catches a route added later that forgets the bounds or the error shape (self-test)', async () => {
    const broken = await startTestApp({
      extend(app) {
        // Forgets the shared Id schema: an id over `integer` reaches PostgreSQL.
        app.get(
          '/api/selftest/rows/:id',
          { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } },
          async (request) => {
            await sql`select ${request.params.id}::integer`.execute(app.db);
            return { ok: true };
          },
        );
        // Same in a body.
        app.post(
          '/api/selftest/counters',
          { schema: { body: Type.Object({ n: Type.Integer() }) } },
          async (request) => {
            await sql`select ${request.body.n}::integer`.execute(app.db);
            return { ok: true };
          },
        );
        // Answers an error that is not JSON.
        app.get('/api/selftest/plain', async (_request, reply) => reply.code(400).type('text/plain').send('no'));
        // Passes text straight to SQL, but the app-wide text check stands in front of it.
        app.get(
          '/api/selftest/echo',
          { schema: { querystring: Type.Object({ q: Type.String() }) } },
          async (request) => (await sql<{ q: string }>`select ${request.query.q}::text as q`.execute(app.db)).rows[0],
        );
      },
    });
    try {
      const samples: Samples = { pathParam: () => '1', field: () => undefined };
      const result = await walkOperations(broken.app, [anonymous], samples, (path) =>
        path.startsWith('/api/selftest/'),
      );
      expect(result.operations).toBe(4);
      const found = (operation: string) =>
        result.findings.filter((f) => f.operation === operation).map((f) => `${f.what} → ${f.problem}`);
      expect(found('GET /api/selftest/rows/{id}')).toEqual(
        expect.arrayContaining(['path id: huge integer → server error 500', 'path id: int32 + 1 → server error 500']),
      );
      expect(found('POST /api/selftest/counters')).toEqual(
        expect.arrayContaining(['body n: huge integer → server error 500', 'body n: int32 + 1 → server error 500']),
      );
      expect(found('GET /api/selftest/plain')).toEqual(
        expect.arrayContaining([expect.stringMatching(/^valid sample → error answer is text\/plain.*, not JSON$/)]),
      );
      expect(found('GET /api/selftest/echo')).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

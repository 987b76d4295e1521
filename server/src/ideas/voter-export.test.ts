// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import http from 'node:http';
import { VOTER_EXPORT_COLUMNS } from '@fanlab/shared';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeIdea, makeUser, vote } from '../../test/factories';

let t: TestApp;
let pm: Member;
let admin: Member;
let member: Member;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  pm = await makeUser(t, { role: 'product_manager' });
  admin = await makeUser(t, { role: 'admin' });
  member = await makeUser(t);
  categoryId = (await makeCategory(t, { allowIdeas: true })).id;
});
afterAll(() => t.close());

const newIdea = async () => (await makeIdea(t, member.user, { categoryId })).id;
const exportOf = (client: Client, id: number, query = '') => client.get(`/api/ideas/${id}/voters/export${query}`);

/** Every page of the voter list API, as usernames newest first. */
async function listed(id: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await pm.client.get(`/api/ideas/${id}/voters?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    names.push(...page.body.items.map((v: any) => v.user.username));
    cursor = page.body.nextCursor;
  } while (cursor);
  return names;
}

/** Inserts `count` voters for an idea straight into the tables (far faster than the API). */
async function manyVoters(id: number, count: number) {
  await sql`
    with made as (
      insert into users (username, email, password_hash, trust_level)
      select 'bulk_' || ${id} || '_' || g, 'bulk_' || ${id} || '_' || g || '@example.com', 'x', g % 4
      from generate_series(1, ${count}) g
      returning id
    )
    insert into idea_votes (idea_id, user_id, created_at)
    select ${id}, id, now() - make_interval(secs => id) from made`.execute(t.db);
  await sql`update threads set vote_count = (select count(*) from idea_votes where idea_id = ${id}) where id = ${id}`.execute(
    t.db,
  );
}

describe('voter list export', () => {
  it('is for staff and product managers, and a token needs read:exports', async () => {
    const id = await newIdea();
    expect((await exportOf(new Client(t.app), id)).status).toBe(401);
    expect((await exportOf(member.client, id)).status).toBe(403);
    expect((await exportOf(pm.client, 999_999_999)).status).toBe(404);
    expect((await exportOf(pm.client, id, '?format=xml')).status).toBe(400);
    const ok = await exportOf(pm.client, id);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ok.headers['content-disposition']).toBe(`attachment; filename="idea-${id}-voters.csv"`);
    expect(ok.body).toBe(`${VOTER_EXPORT_COLUMNS.join(',')}\r\n`); // no voters: the header alone

    const tokenOf = async (scopes: string[]) =>
      (await admin.client.post('/api/me/tokens', { name: 'export', scopes, expiresInDays: 1 })).body.secret;
    const bearer = (secret: string) =>
      new Client(t.app).request('GET', `/api/ideas/${id}/voters/export?format=json`, undefined, {
        authorization: `Bearer ${secret}`,
      });
    expect((await bearer(await tokenOf(['read:exports']))).status).toBe(200);
    expect((await bearer(await tokenOf(['read:ideas']))).body.error.code).toBe('token_scope');
  });

  it('lists each voter once with merged duplicates’ voters, the same in CSV, JSON Lines and JSON, and as the API', async () => {
    const target = await newIdea();
    const duplicate = await newIdea();
    const [both, onlyTarget, onlyDuplicate] = await Promise.all([makeUser(t), makeUser(t), makeUser(t)]);
    await vote(both as Member, target);
    await vote(onlyTarget as Member, target);
    await vote(both as Member, duplicate);
    await vote(onlyDuplicate as Member, duplicate);
    expect((await admin.client.post(`/api/ideas/${duplicate}/merge`, { intoId: target })).status).toBe(200);

    const csv = parse((await exportOf(pm.client, target)).body, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.username).sort()).toEqual(
      [both, onlyTarget, onlyDuplicate].map((m) => (m as Member).user.username).sort(),
    );
    expect(csv.find((r) => r.username === onlyDuplicate?.user.username)?.via_merge_of).toBe(String(duplicate));
    expect(csv.find((r) => r.username === both?.user.username)?.via_merge_of).toBe('');
    expect(csv.map((r) => r.username)).toEqual(await listed(target));

    const lines = (await exportOf(pm.client, target, '?format=jsonl')).body as string;
    const fromLines = lines
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const json = (await exportOf(pm.client, target, '?format=json')).body as any[];
    expect(fromLines).toEqual(json);
    expect(json.map((r) => r.username)).toEqual(csv.map((r) => r.username));
    expect(Object.keys(json[0])).toEqual([...VOTER_EXPORT_COLUMNS]);
    expect(json.find((r) => r.username === onlyDuplicate?.user.username).via_merge_of).toBe(duplicate);
    expect(json[0].trust_level).toBe(1);
  });

  it('streams thousands of voters in chunks, newest first, equal to the API, with a BOM when asked', async () => {
    const id = await newIdea();
    await manyVoters(id, 4_500);
    const res = await exportOf(pm.client, id, '?bom=true');
    expect(res.status).toBe(200);
    expect((res.body as string).charCodeAt(0)).toBe(0xfeff);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4_500);
    expect(rows.map((r) => r.username)).toEqual(await listed(id));
    const times = rows.map((r) => Date.parse(r.voted_at as string));
    expect(times.every((time, i) => i === 0 || time <= (times[i - 1] as number))).toBe(true);
  });

  it('ends its COPY and transaction when the client goes away mid-download', async () => {
    const id = await newIdea();
    await manyVoters(id, 100_000);
    // looked at over a connection of its own: a pooled one could be the very connection the
    // export left behind, which would not see itself
    const watcher = new pg.Client({ connectionString: t.database.url });
    await watcher.connect();
    const copies = async () =>
      (
        await watcher.query<{ state: string; wait: string | null; q: string }>(
          `select state, wait_event as wait, left(query, 60) as q from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid()
             and (state like 'idle in transaction%' or (state = 'active' and query ilike 'copy%'))`,
        )
      ).rows;
    const until = async (what: string, done: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(await copies())}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    // a client that reads the first bytes and stops reading: the export waits on it, mid-COPY
    // (or, when the kernel's socket buffers took the rest, with its transaction still open)
    const req = http.get(new URL(`${t.baseUrl}/api/ideas/${id}/voters/export`), {
      headers: { cookie: pm.client.cookie ?? '', host: 'fanlab.test' },
    });
    req.on('error', () => {});
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
      });
      expect(response.statusCode).toBe(200);
      response.once('data', () => response.pause());
      await until('the export should be waiting on its slow client', async () =>
        (await copies()).some((c) => c.q.startsWith('copy')),
      );
      await new Promise((r) => setTimeout(r, 200));
      expect((await copies()).some((c) => c.q.startsWith('copy'))).toBe(true);
      // then it hangs up: the COPY ends, and no transaction is left open on any connection
      req.destroy();
      await until('the export stayed open after the client left', async () => (await copies()).length === 0);
    } finally {
      req.destroy();
      await watcher.end();
    }
  });
});

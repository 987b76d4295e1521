// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeAccount, makeUser } from '../../test/factories';

let t: TestApp;
let member: Client;
beforeAll(async () => {
  t = await startTestApp();
  member = (await makeUser(t)).client;
  for (const username of ['Mira_k', 'mirabelle', 'miranda', 'mir', 'mira', 'mir4x', 'other_one']) {
    await makeAccount(t, { username });
  }
  // seen recently first, after an exact name
  await sql`update users set last_seen_at = now() - interval '1 day' where username = 'mirabelle'`.execute(t.db);
  await sql`update users set last_seen_at = now() where username = 'miranda'`.execute(t.db);
});
afterAll(() => t?.close());

const names = async (query: string) => {
  const res = await member.get(`/api/users?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.users.map((u: any) => u.username);
};

describe('username suggestions for @mentions', () => {
  it('lists names by prefix ignoring case: the exact name first, then who was seen last', async () => {
    expect(await names('q=MIRA')).toEqual(['mira', 'miranda', 'mirabelle', 'Mira_k']);
    expect(await names('q=mir&limit=2')).toEqual(['mir', 'miranda']);
    expect(await names('q=nobody_here')).toEqual([]);
  });

  it('reads an underscore as itself, not as LIKE’s any-character', async () => {
    expect(await names('q=mira_')).toEqual(['Mira_k']);
    expect(await names('q=mir_')).toEqual([]);
  });

  it('leaves out suspended members', async () => {
    await sql`update users set suspended_until = now() + interval '1 day' where username = 'miranda'`.execute(t.db);
    expect(await names('q=miran')).toEqual([]);
    await sql`update users set suspended_until = now() - interval '1 minute' where username = 'miranda'`.execute(t.db);
    expect(await names('q=miran')).toEqual(['miranda']);
  });

  it('is for members only, and refuses a query that is no name', async () => {
    const anonymous = await new Client(t.app).get('/api/users?q=mira');
    expect(anonymous.status).toBe(401);
    for (const bad of [
      '',
      'q=',
      'q=a%25',
      'q=mi%20ra',
      `q=${'a'.repeat(21)}`,
      'q=mira&limit=0',
      'q=mira&limit=11',
      'q=mira&x=1',
    ]) {
      const res = await member.get(`/api/users?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBeTypeOf('string');
    }
  });
});

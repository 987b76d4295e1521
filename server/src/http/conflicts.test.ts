import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    extend(app) {
      // Real PostgreSQL errors with the SQLSTATEs it gives a transaction it aborted for a conflict.
      for (const [path, code] of [
        ['deadlock', '40P01'],
        ['serialization', '40001'],
        ['other', '22012'],
      ] as const) {
        app.post(`/api/selftest/${path}`, async () => {
          await sql`do $$ begin raise exception using errcode = ${sql.lit(code)}, message = 'conflict'; end $$`.execute(
            app.db,
          );
          return { ok: true };
        });
      }
    },
  });
});
afterAll(() => t.close());

describe('a transaction PostgreSQL aborted for a conflict', () => {
  it.each(['deadlock', 'serialization'])('(%s) is a 503 to retry, not a 500', async (path) => {
    const res = await new Client(t.app).post(`/api/selftest/${path}`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect((res.body as { error: { code: string } }).error.code).toBe('unavailable');
  });

  it('leaves other database errors a 500', async () => {
    expect((await new Client(t.app).post('/api/selftest/other')).status).toBe(500);
  });
});

import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { connect } from './connect';
import { isDatabaseUnavailable } from './unavailable';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A TCP relay to the test database whose open connections can be frozen (no byte gets through). */
async function freezableRelay(target: URL) {
  const frozen = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  let freezeNew = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(client);
    if (freezeNew) frozen.add(client);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (!frozen.has(client)) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    /** Freezes every connection open now; `andNew` freezes later ones from their first byte. */
    freeze(andNew = false) {
      for (const s of open) frozen.add(s);
      freezeNew = andNew;
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const elapsed = async (run: () => Promise<unknown>) => {
  const started = Date.now();
  const error = await run().then(
    () => undefined,
    (err: unknown) => err,
  );
  return { ms: Date.now() - started, error };
};

describe('bounded database waits', () => {
  it('cancels a statement past the query timeout and keeps serving on the same pool', async () => {
    const db = connect(database.url, { max: 1, queryTimeoutMs: 300 });
    try {
      const { ms, error } = await elapsed(() => sql`select pg_sleep(10)`.execute(db));
      expect((error as { code?: string }).code).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeLessThan(3_000);
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('gives up on a server that stops answering, and replaces that connection', async () => {
    const relay = await freezableRelay(new URL(database.url));
    const db = connect(relay.url, { max: 1, queryTimeoutMs: 300, connectTimeoutMs: 500 });
    try {
      await sql`select 1`.execute(db); // the pool's one connection is open
      relay.freeze();
      const silent = await elapsed(() => sql`select 1`.execute(db));
      expect((silent.error as Error).message).toBe('Query read timeout');
      expect(isDatabaseUnavailable(silent.error)).toBe(true);
      expect(silent.ms).toBeLessThan(3_000);
      // the frozen connection was closed: the next query runs on a new one
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);

      relay.freeze(true); // now even new connections never get an answer
      const connecting = await elapsed(() => sql`select 1`.execute(db));
      expect(isDatabaseUnavailable(connecting.error)).toBe(true);
      expect(connecting.ms).toBeLessThan(3_000);
    } finally {
      await relay.close();
      await db.destroy();
    }
  });

  it('survives the connection of a checked-out client dying between two queries', async () => {
    const db = connect(database.url, { max: 1 });
    try {
      const failed = await db
        .transaction()
        .execute(async (tx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(database.db);
          // the server's FATAL message arrives while no query runs: 'error' on the checked-out client
          await new Promise((r) => setTimeout(r, 300));
          await sql`select 1`.execute(tx);
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(isDatabaseUnavailable(failed)).toBe(true);
      // the dead client left the pool; the next query gets a fresh connection
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});

describe('limits', () => {
  it('are written into the SQL, so each plan knows how many rows it reads, and still limit', async () => {
    const db = connect(database.url, { max: 1 });
    try {
      const query = db
        .selectFrom(sql<{ n: number }>`(select generate_series(1, 5) as n)`.as('g'))
        .select(sql<number>`n`.as('n'))
        .limit(2);
      const compiled = query.compile();
      expect(compiled.sql).toMatch(/ limit 2$/);
      expect(compiled.parameters).toEqual([]);
      expect(await query.execute()).toEqual([{ n: 1 }, { n: 2 }]);
      // a limit given as SQL of its own is left as it is
      expect(db.selectFrom('categories').select('id').limit(sql<number>`${3}`).compile().parameters).toEqual([3]);
    } finally {
      await db.destroy();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it('tells the database being gone from other errors', () => {
    const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    for (const err of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01'),
      withCode('57P02'),
      withCode('57P03'),
      withCode('08006'),
      new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(isDatabaseUnavailable(err), err.message).toBe(true);
    }
    for (const err of [
      withCode('23505'), // unique violation
      withCode('42P01'), // undefined table: a bug, not an outage
      new TypeError('Cannot read properties of undefined'),
      'ECONNREFUSED',
      undefined,
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(false);
    }
  });
});

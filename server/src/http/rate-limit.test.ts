import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { hitMany } from './rate-limit';

const limit = { max: 100, windowSeconds: 60 };
const hits = (...keys: string[]) => keys.map((key) => ({ key, hits: 1 }));

describe('hitMany', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('locks its rows in key order, so two transactions counting the same keys never deadlock', async () => {
    // T1 holds k1. T2 counts [k2, k1]: in the order given it would take k2, then wait for k1;
    // T1 then counting k2 would wait for T2: a deadlock. In key order T2 waits for k1 before it
    // takes k2, and T1 goes on.
    const db = database.db;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let t1Done!: () => void;
    const t1HasK1 = new Promise<void>((r) => {
      t1Done = r;
    });
    const first = db.transaction().execute(async (tx) => {
      await hitMany(tx, hits('k1'), limit);
      t1Done();
      await released;
      await hitMany(tx, hits('k2'), limit);
    });
    await t1HasK1;
    const second = db.transaction().execute((tx) => hitMany(tx, hits('k2', 'k1'), limit));
    await new Promise((r) => setTimeout(r, 200)); // T2 is waiting now
    release();
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    const rows = await db.selectFrom('rate_limits').select(['key', 'hits']).orderBy('key').execute();
    expect(rows).toEqual([
      { key: 'k1', hits: 2 },
      { key: 'k2', hits: 2 },
    ]);
  });
});

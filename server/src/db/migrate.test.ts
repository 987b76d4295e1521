import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect } from './connect';
import { MIGRATIONS_DIR, migrateToLatest } from './migrate';
import { ensureDatabase } from './open';

const adminUrl = inject('pgAdminUrl');
const name = `migrate_${randomBytes(6).toString('hex')}`;
afterAll(async () => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  await client.end();
});

describe('migrations', () => {
  it('are applied exactly once when several replicas start on an empty database at the same moment', async () => {
    await ensureDatabase(adminUrl, name); // empty: not a clone of the migrated template
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const replicas = Array.from({ length: 3 }, () => connect(url.toString(), { max: 2 }));
    try {
      const applied = await Promise.all(replicas.map((db) => migrateToLatest(db)));
      const files = readdirSync(MIGRATIONS_DIR)
        .filter((f) => /^\d{4}_.*\.ts$/.test(f))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort();
      // one replica applied them all (in one transaction, under Kysely's advisory lock); the others found nothing to do
      expect(applied.map((a) => a.length).sort()).toEqual([0, 0, files.length]);
      expect(applied.flat().sort()).toEqual(files);
      const db = replicas[0] as (typeof replicas)[number];
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(rows.rows.map((r) => r.name)).toEqual(files);
      // and a later start is a no-op
      expect(await migrateToLatest(db)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((db) => db.destroy()));
    }
  });
});

import { mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../../web/e2e/chromium';
import { connect } from '../src/db/connect';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { migrateToLatest } from '../src/db/migrate';
import { ensureDatabase } from '../src/db/open';
import { freePort } from './ports';

export const TEMPLATE_DATABASE = 'fanlab_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser connection string to the test cluster's `postgres` database. */
    pgAdminUrl: string;
    /** Migrated database that every test database is cloned from. */
    pgTemplate: string;
  }
}

/** Starts one throw-away cluster for the whole run (fsync off: tests are not about durability). */
export default async function setup(project: TestProject) {
  // Find (or unpack) the browser once, before parallel workers look for it. When there is none,
  // the browser tests fail with the one-line reason; the other tests still run.
  const browser = findChromium((m) => console.log(`[browser] ${m}`)).catch((err: Error) => {
    console.log(`[browser] ${err.message}`);
  });
  const root = mkdtempSync(path.join(os.tmpdir(), 'fanlab-test-'));
  await fs.chmod(root, 0o755); // the postgres user must be able to enter it when we run as root
  const cluster = await startEmbeddedPostgres({
    dir: path.join(root, 'pg'),
    port: await freePort(),
    ephemeral: true,
    log: () => {},
  });
  await ensureDatabase(cluster.url('postgres'), TEMPLATE_DATABASE);
  const db = connect(cluster.url(TEMPLATE_DATABASE), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();

  await browser;
  project.provide('pgAdminUrl', cluster.url('postgres'));
  project.provide('pgTemplate', TEMPLATE_DATABASE);

  return async () => {
    await cluster.stop();
    await fs.rm(root, { recursive: true, force: true });
  };
}

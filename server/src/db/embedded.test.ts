import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/ports';
import { postmasterPid, processAlive } from '../../test/process';
import { startEmbeddedPostgres } from './embedded';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function clusterDir() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fanlab-embedded-'));
  await fs.chmod(root, 0o755); // the postgres user must be able to enter it when we run as root
  cleanups.push(() => fs.rm(root, { recursive: true, force: true }));
  return path.join(root, 'pg');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = processAlive;

async function accepts(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe('embedded PostgreSQL supervision', () => {
  it('restarts a postmaster that was killed, keeping its data, and stops it for good on stop()', async () => {
    const dir = await clusterDir();
    const logs: string[] = [];
    const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), log: (m) => logs.push(m) });
    cleanups.push(() => cluster.stop());
    const url = cluster.url('postgres');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('create table kept (n int); insert into kept values (42)');
    await client.end();

    const killed = postmasterPid(dir);
    process.kill(killed, 'SIGKILL');
    await waitUntil('it restarted', () => logs.some((l) => l.includes('PostgreSQL restarted')));
    expect(logs.join('\n')).toContain('exited unexpectedly (signal SIGKILL); restarting it');
    const restarted = postmasterPid(dir);
    expect(restarted).not.toBe(killed);
    const after = new pg.Client({ connectionString: url });
    await after.connect();
    expect((await after.query('select n from kept')).rows).toEqual([{ n: 42 }]);
    await after.end();
    expect(readFileSync(path.join(dir, 'owner.pid'), 'utf8').trim()).toBe(String(process.pid));

    await cluster.stop();
    expect(alive(restarted)).toBe(false);
    await sleep(1_500); // a restart would have begun by now
    expect(await accepts(url)).toBe(false);
    expect(existsSync(path.join(dir, 'owner.pid'))).toBe(false);
  });

  it.each([
    ['it decides to restart', 'decided'],
    ['the new postmaster starts up', 'starting'],
  ] as const)('does not start the cluster again when stop() comes as %s', async (_, when) => {
    const dir = await clusterDir();
    const logs: string[] = [];
    let stopped: Promise<void> | undefined;
    const cluster = await startEmbeddedPostgres({
      dir,
      port: await freePort(),
      log: (m) => {
        logs.push(m);
        if (when === 'decided' && m.includes('restarting it')) stopped = cluster.stop();
      },
    });
    cleanups.push(() => cluster.stop());
    const url = cluster.url('postgres');
    const killed = postmasterPid(dir);
    process.kill(killed, 'SIGKILL');
    if (when === 'starting') {
      await waitUntil('a new postmaster runs', () => {
        try {
          return postmasterPid(dir) !== killed;
        } catch {
          return false; // between the old file and the new one
        }
      });
      stopped = cluster.stop();
    }
    await waitUntil('stop() was called', () => stopped !== undefined);
    await stopped;
    const stoppedAt = logs.length;
    await sleep(2_000); // a restart would have begun by now
    expect(await accepts(url)).toBe(false);
    // whatever postmaster.pid names now (the killed one, or the one stopped while starting) is gone
    if (existsSync(path.join(dir, 'pgdata', 'postmaster.pid'))) expect(alive(postmasterPid(dir))).toBe(false);
    expect(logs.slice(stoppedAt).filter((l) => l.includes('restart'))).toEqual([]);
    expect(existsSync(path.join(dir, 'owner.pid'))).toBe(false);
  });
});

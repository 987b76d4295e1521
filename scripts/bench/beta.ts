// npm run bench:beta: the application-storm target of issue 10 (beta programs), end to end.
//
//   "Application storm: 2,000 members applying to a 100-seat program within one second: exactly
//    100 accepted, throughput and p95 reported."
//
// A throw-away durable embedded PostgreSQL is seeded with SQL (members with sessions, a product
// manager, a category), the real server runs as a child process, the product manager creates and
// opens a first-come program over HTTP, and this process sends every member's application
// (POST /api/beta/programs/:id/applications) spread evenly over one second (an open loop: each
// request leaves at its planned time, whatever the answers do). Every answer must be 201; then the
// database must hold exactly `seats` accepted with tester numbers 1..seats and the rest waitlisted
// with line numbers 1..N, in the order the applications were numbered (their commit order).
// Everything it started is stopped and removed at the end, also on failure or Ctrl-C.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CreateBetaProgramBody } from '@fanlab/shared';
import pg from 'pg';
import {
  benchOptions,
  Cleanups,
  cpuMsOf,
  freePort,
  machineCpuMs,
  machineLine,
  percentile,
  type ServerProcess,
  seconds,
  seedSessions,
  startServer,
  stopServer,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:beta [-- --members 2000 --seats 100 --window 1000]

Seeds --members members (with sessions) into a throw-away durable embedded PostgreSQL, starts the
real server, opens a first-come program of --seats seats and sends every member's application
spread evenly over --window ms. Checks: every answer 201, exactly --seats accepted (tester numbers
1..seats), the rest waitlisted (1..N), both in commit order. Reports throughput and latency.`;

const DATABASE = 'fanlab_beta_bench';
const WATCHDOG_MS = 5 * 60_000;
const HOST = '127.0.0.1'; // the only address this script sends load to

interface Seeded {
  cookies: string[];
  managerCookie: string;
  categoryId: number;
}

async function seed(client: pg.Client, members: number): Promise<Seeded> {
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  await q('begin');
  try {
    const users = await q(
      `insert into users (username, email, password_hash, created_at)
       select 'fan_' || g, 'fan_' || g || '@bench.example', '!', now() - interval '400 days'
       from generate_series(1, $1::int) g returning id`,
      [members],
    );
    const ids = (users.rows as { id: string }[]).map((r) => Number(r.id)).sort((a, b) => a - b);
    const manager = await q(
      `insert into users (username, email, password_hash, role)
       values ('bench_pm', 'pm@bench.example', '!', 'product_manager') returning id`,
    );
    const managerId = Number((manager.rows[0] as { id: string }).id);
    const cookies = await seedSessions(client, [...ids, managerId]);
    const category = await q(`insert into categories (slug, name) values ('phones', 'Phones') returning id`);
    await q('commit');
    await q('vacuum (analyze)');
    await q('checkpoint');
    return {
      cookies: cookies.slice(0, members),
      managerCookie: cookies[members] as string,
      categoryId: Number((category.rows[0] as { id: string }).id),
    };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Answer {
  status: number;
  body: string;
  ms: number;
  endedAt: number;
}

function send(port: number, method: string, url: string, headers: http.OutgoingHttpHeaders, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise<Answer>((resolve) => {
    const done = (status: number, text: string) => {
      const endedAt = performance.now();
      resolve({ status, body: text, ms: endedAt - started, endedAt });
    };
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path: url,
        agent,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => done(res.statusCode ?? 0, text));
        res.on('error', (err) => done(0, err.message));
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('timeout after 60 s')));
    req.on('error', (err) => done(0, err.message));
    req.end(payload);
  });
}

const sleepUntil = (at: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, at - performance.now())));

async function main(): Promise<number> {
  const options = benchOptions(usage, {
    members: { default: '2000', min: 10, max: 20_000, integer: true },
    seats: { default: '100', min: 1, max: 20_000, integer: true },
    window: { default: '1000', min: 0, max: 60_000, integer: true },
  });
  if (typeof options === 'number') return options;
  const { members, seats, window } = options;
  const began = performance.now();
  const cleanups = new Cleanups(WATCHDOG_MS);
  try {
    console.log(machineLine());
    let t = performance.now();
    const { url, postmasterPid } = await throwAwayDatabase(cleanups, 'beta', DATABASE);
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => {});
    await admin.connect();
    cleanups.push('admin connection', () => admin.end());
    const seeded = await seed(admin, members);
    console.log(`cluster migrated and seeded in ${seconds(performance.now() - t)}: ${members} members with sessions`);

    t = performance.now();
    const port = await freePort();
    const server: ServerProcess = await startServer(url, port);
    cleanups.push('server', () => stopServer(server));
    const baseUrl = server.baseUrl;
    if (new URL(baseUrl).hostname !== HOST) throw new Error(`refusing to send load to ${baseUrl}`);
    console.log(`server ready at ${baseUrl} in ${seconds(performance.now() - t)} (NODE_ENV=production)`);

    const manager = { origin: baseUrl, cookie: seeded.managerCookie };
    const body: CreateBetaProgramBody = {
      name: 'Phone OS 5 beta',
      slug: 'os-5-beta',
      categoryId: seeded.categoryId,
      description: 'The first **OS 5** builds.',
      terms: 'Builds may break.',
      seats,
      devices: [{ model: 'Fan One', quota: null }],
      regions: [],
      minAccountAgeDays: 30,
      minTrustLevel: 0,
      quiz: {
        questions: [{ prompt: 'Which day do builds ship?', choices: ['Monday', 'Friday'], correct: 1 }],
        passMark: 1,
      },
      mode: 'first_come',
      opensAt: null,
      closesAt: null,
      feedbackCategoryId: seeded.categoryId,
    };
    const made = await send(port, 'POST', '/api/beta/programs', manager, body);
    if (made.status !== 201) throw new Error(`create: ${made.status} ${made.body}`);
    const programId = (JSON.parse(made.body) as { id: number }).id;
    const opened = await send(port, 'PATCH', `/api/beta/programs/${programId}`, manager, { state: 'open' });
    if (opened.status !== 200) throw new Error(`open: ${opened.status} ${opened.body}`);

    // Every session's first request extends it and records the visit: done now, not in the storm.
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < seeded.cookies.length) {
          const cookie = seeded.cookies[next++] as string;
          const res = await send(port, 'GET', `/api/beta/programs/${programId}`, { origin: baseUrl, cookie });
          if (res.status !== 200) throw new Error(`warm-up: ${res.status} ${res.body}`);
        }
      }),
    );
    console.log(`${members} sessions used once (program page read) in ${seconds(performance.now() - t)}`);

    console.log(
      `\nstorm: ${members} applications to program ${programId} (${seats} seats, first come, a quiz of one ` +
        `question), sent open-loop, evenly over ${window} ms`,
    );
    const cpu0 = { server: cpuMsOf(server.child.pid, true), pg: cpuMsOf(postmasterPid, true), machine: machineCpuMs() };
    const start = performance.now() + 50;
    const answers = await Promise.all(
      seeded.cookies.map(async (cookie, i) => {
        await sleepUntil(start + (i * window) / members);
        return send(
          port,
          'POST',
          `/api/beta/programs/${programId}/applications`,
          { origin: baseUrl, cookie },
          { deviceModel: 'Fan One', region: 'ES', consent: true, quizAnswers: [1] },
        );
      }),
    );
    const end = Math.max(...answers.map((a) => a.endedAt));
    const cpu1 = { server: cpuMsOf(server.child.pid, true), pg: cpuMsOf(postmasterPid, true), machine: machineCpuMs() };
    const elapsed = end - start;
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    const outcomes = new Map<string, number>();
    for (const a of answers) {
      if (a.status !== 201) continue;
      const outcome = (JSON.parse(a.body) as { outcome: string }).outcome;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const pct = (ms: number) => `${((ms / elapsed) * 100).toFixed(0)} %`;
    const machineBusy = cpu1.machine.busy - cpu0.machine.busy;
    const serverMs = cpu1.server - cpu0.server;
    const pgMs = cpu1.pg - cpu0.pg;
    console.log(
      `answers: ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(', ')}; outcomes: ` +
        `${[...outcomes].map(([o, n]) => `${o} ×${n}`).join(', ')}`,
    );
    console.log(
      `all answered ${seconds(elapsed)} after the first was sent: ${(members / (elapsed / 1000)).toFixed(0)} applications/s; ` +
        `latency p50 ${percentile(latencies, 50).toFixed(0)} p95 ${percentile(latencies, 95).toFixed(0)} ` +
        `p99 ${percentile(latencies, 99).toFixed(0)} max ${(latencies.at(-1) ?? 0).toFixed(0)} ms`,
    );
    console.log(
      `cpu during the storm (% of one core): server ${pct(serverMs)}, PostgreSQL ${pct(pgMs)}, ` +
        `rest of the machine (this load generator, other work) ${pct(Math.max(0, machineBusy - serverMs - pgMs))}; ` +
        `per application: ${(serverMs / members).toFixed(2)} ms server + ${(pgMs / members).toFixed(2)} ms PostgreSQL CPU`,
    );

    // The truth, from the database.
    const rows = (
      await admin.query(
        `select status, tester_number, waitlist_seq from beta_applications where program_id = $1 order by id`,
        [programId],
      )
    ).rows as { status: string; tester_number: number | null; waitlist_seq: string | null }[];
    const program = (
      await admin.query(`select accepted_count, next_tester_number from beta_programs where id = $1`, [programId])
    ).rows[0] as { accepted_count: number; next_tester_number: number };
    const accepted = rows.filter((r) => r.status === 'accepted');
    const waitlisted = rows.filter((r) => r.status === 'waitlisted');
    const inOrder = (values: number[]) => values.every((v, i) => v === i + 1);
    const expectedAccepted = Math.min(seats, members);
    const verdicts: [string, boolean][] = [
      [`every application answered 201 (${statuses.get(201) ?? 0}/${members})`, statuses.get(201) === members],
      [
        `exactly ${expectedAccepted} accepted (${accepted.length}; counter ${program.accepted_count}), tester numbers 1..${expectedAccepted} in commit order`,
        accepted.length === expectedAccepted &&
          program.accepted_count === expectedAccepted &&
          program.next_tester_number === expectedAccepted + 1 &&
          rows.slice(0, expectedAccepted).every((r) => r.status === 'accepted') &&
          inOrder(accepted.map((r) => r.tester_number as number)),
      ],
      [
        `the other ${members - expectedAccepted} waitlisted, line 1..${members - expectedAccepted} without gaps in commit order`,
        waitlisted.length === members - expectedAccepted && inOrder(waitlisted.map((r) => Number(r.waitlist_seq))),
      ],
    ];
    console.log('');
    for (const [label, ok] of verdicts) console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
    const serverLog = server.output().trim();
    if (serverLog) console.log(`\nserver output (warn and above):\n${serverLog.slice(-3000)}`);
    const failed = verdicts.some(([, ok]) => !ok);
    console.log(`\ntotal ${seconds(performance.now() - began)}; result: ${failed ? 'FAIL' : 'PASS'}`);
    return failed ? 1 : 0;
  } finally {
    agent.destroy();
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

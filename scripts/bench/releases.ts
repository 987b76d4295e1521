// npm run bench:releases: the release fan-out target of issue 10, measured end to end.
//
//   "A stable release linking 50 ideas whose voters number 100,000 in total: every voter has the
//    notification within 5 s, each once, and reads on other pages keep p95 < 50 ms meanwhile
//    (fan-out must not block the request or hold locks for seconds)."
//
// A throw-away durable embedded PostgreSQL is seeded with set-based SQL (100,000 members, 50
// ideas to release and 50 others, every member voting for one to three of the 50), --servers real
// server processes run on it (each with its fan-out worker: they share the job, never a chunk),
// a product manager writes the release over HTTP, --sockets sampled voters listen on their
// user channels (sessions made with the server's Lucia), and readers send GET /api/threads/:id
// and GET /api/ideas to the servers: --rate a second in an open loop (default), or --clients
// closed-loop readers with --rate 0. Then the release is published and
// this process measures the publish request, the time until every voter's notification is in
// the database (each exactly once), the live delivery to the sampled sockets, and the readers'
// latency while the fan-out runs. Only 127.0.0.1 is used; a 5-minute watchdog bounds the run and
// everything it started is stopped and removed at the end, also on failure or Ctrl-C.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import WebSocket from 'ws';
import { createLucia } from '../../server/src/auth/sessions';
import {
  benchOptions,
  benchProductManager,
  Cleanups,
  freePort,
  machineLine,
  percentile,
  type ServerProcess,
  seconds,
  seedVotersAndIdeas,
  sleep,
  startServer,
  stopServer,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:releases [-- --voters 100000 --ideas 50 --servers 2 --parts 1 --rate 150 --clients 20 --sockets 150 --warmup 3]

Seeds --voters members voting for one to three of --ideas ideas (plus as many other ideas) into a
throw-away embedded PostgreSQL, starts --servers server processes, opens --sockets voters' live
channels (each server's worker splitting the job into --parts) and readers of other pages (GET /api/threads/:id, GET /api/ideas): --rate reads a second
in an open loop, or with --rate 0 --clients closed-loop readers that saturate the cores; then publishes
one stable release linking the ideas and reports: the publish request's latency, when every
voter had their notification (and that nobody had two), live delivery to the sockets, and the
readers' p50/p95/p99 before and during the fan-out.`;

const HOST = '127.0.0.1';
const WATCHDOG_MS = 5 * 60_000;
const PASSWORD = 'bench-release-password-42';
const f1 = (n: number) => n.toFixed(1);

function request(port: number, origin: string, agent: http.Agent) {
  return (method: string, path: string, cookie?: string, body?: unknown) =>
    new Promise<{ status: number; body: string; ms: number; cookie?: string }>((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const started = performance.now();
      const req = http.request(
        {
          host: HOST,
          port,
          method,
          path,
          agent,
          headers: {
            origin,
            accept: 'application/json',
            ...(cookie ? { cookie } : {}),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
              cookie: ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]?.split(';')[0],
            }),
          );
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => resolve({ status: 0, body: err.message, ms: performance.now() - started }));
      req.end(payload);
    });
}

async function main(): Promise<number> {
  const options = benchOptions(usage, {
    voters: { default: '100000', min: 100, max: 1_000_000, integer: true },
    ideas: { default: '50', min: 1, max: 200, integer: true },
    servers: { default: '2', min: 1, max: 4, integer: true },
    parts: { default: '1', min: 1, max: 16, integer: true },
    rate: { default: '150', min: 0, max: 5_000, integer: true },
    clients: { default: '20', min: 1, max: 200, integer: true },
    sockets: { default: '150', min: 0, max: 190, integer: true },
    warmup: { default: '3', min: 0, max: 30 },
  });
  if (typeof options === 'number') return options;
  const cleanups = new Cleanups(WATCHDOG_MS);
  try {
    console.log(machineLine());
    let t = performance.now();
    const { url } = await throwAwayDatabase(cleanups, 'releases', 'fanlab_releases_bench');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push('seed connection', () => client.end());
    const q = (text: string, values?: unknown[]) => client.query(text, values);
    await q('begin');
    const { userIds, ideaIds } = await seedVotersAndIdeas(client, options.voters, options.ideas * 2);
    const released = ideaIds.slice(0, options.ideas);
    // every member votes for one to three of the released ideas (a voter of several gets one notification)
    await q(
      `insert into idea_votes (idea_id, user_id, created_at)
       select distinct ($2::bigint[])[1 + ((u.id * k) % $3::int)], u.id, now() - (u.id % 1000) * interval '1 minute'
       from unnest($1::bigint[]) as u(id), generate_series(1, 1 + (hashint4(u.id::int) & 2147483647) % 3) k`,
      [userIds, released, released.length],
    );
    await q(`update threads t set vote_count = (select count(*) from idea_votes v where v.idea_id = t.id)`);
    await q('commit');
    await q('analyze');
    const votes = (await q('select count(*)::int as n, count(distinct user_id)::int as voters from idea_votes'))
      .rows[0];
    console.log(
      `seeded ${options.voters} members, ${ideaIds.length} ideas, ${votes.n} votes by ${votes.voters} voters ` +
        `for the ${released.length} ideas to release in ${seconds(performance.now() - t)}`,
    );

    const db = await benchProductManager(cleanups, url, PASSWORD);

    t = performance.now();
    const servers: ServerProcess[] = [];
    for (let i = 0; i < options.servers; i += 1) {
      const server = await startServer(url, await freePort(), { RELEASE_FANOUT_PARTS: String(options.parts) });
      cleanups.push(`server ${i + 1}`, () => stopServer(server));
      if (new URL(server.baseUrl).hostname !== HOST) throw new Error(`refusing to send load to ${server.baseUrl}`);
      servers.push(server);
    }
    console.log(`${servers.length} servers ready in ${seconds(performance.now() - t)} (NODE_ENV=production)`);
    const agents: http.Agent[] = [];
    const senderOf = (server: ServerProcess) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return request(Number(new URL(server.baseUrl).port), server.baseUrl, agent);
    };
    cleanups.push('agents', async () => {
      for (const agent of agents) agent.destroy();
    });

    // the product manager writes the draft (the publish is what is measured)
    const pmSend = senderOf(servers[0] as ServerProcess);
    const signIn = await pmSend('POST', '/api/auth/sign-in', undefined, { login: 'bench_pm', password: PASSWORD });
    if (signIn.status !== 200 || !signIn.cookie) throw new Error(`sign-in: ${signIn.status} ${signIn.body}`);
    const draft = await pmSend('POST', '/api/releases', signIn.cookie, {
      version: '4.3.7',
      channel: 'stable',
      date: '2026-05-08',
      notes: 'Battery care, **camera** and more.',
      ideaIds: released,
    });
    if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${draft.body}`);
    const releaseId = (JSON.parse(draft.body) as { id: number }).id;

    // sampled voters listen on their channels, spread over the servers
    const auth = createLucia(db, { secureCookies: false });
    const sampled = Array.from(
      { length: options.sockets },
      (_, i) => userIds[Math.floor((i * userIds.length) / Math.max(1, options.sockets))] as number,
    );
    const heardAt = new Map<number, number>();
    const sockets: WebSocket[] = [];
    cleanups.push('sockets', async () => {
      for (const ws of sockets) ws.terminate();
    });
    await Promise.all(
      sampled.map(async (userId, i) => {
        const session = await auth.createSession(userId, {});
        const server = servers[i % servers.length] as ServerProcess;
        const ws = new WebSocket(`${server.baseUrl.replace(/^http/, 'ws')}/api/live`, {
          headers: { origin: server.baseUrl, cookie: `${auth.sessionCookieName}=${session.id}` },
        });
        sockets.push(ws);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel: `user:${userId}` })));
          ws.on('message', (raw) => {
            const m = JSON.parse(raw.toString()) as {
              type: string;
              event?: string;
              data?: { notification?: { kind: string } };
            };
            if (m.type === 'subscribed') resolve();
            if (m.type === 'event' && m.data?.notification?.kind === 'released' && !heardAt.has(userId)) {
              heardAt.set(userId, performance.now());
            }
          });
          ws.once('error', reject);
        });
      }),
    );
    console.log(`${sockets.length} voters' sockets subscribed to their user channels`);

    // readers on other pages
    const other = ideaIds[ideaIds.length - 1] as number;
    const readPaths = [`/api/threads/${other}`, '/api/ideas?sort=top', '/api/ideas?sort=new'];
    const readings: { at: number; ms: number; status: number }[] = [];
    let reading = true;
    // Open loop (the default): --rate reads a second in all, spread over the servers, each timed
    // from the moment it was due (a slow answer cannot hide the reads that queued behind it).
    // Closed loop (--rate 0): --clients readers each send the next read when the last returned,
    // which saturates the two cores and measures contention for them rather than blocking.
    const readers: Promise<void>[] = [];
    if (options.rate > 0) {
      const sends = servers.map((server) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
        agents.push(agent);
        return request(Number(new URL(server.baseUrl).port), server.baseUrl, agent);
      });
      readers.push(
        (async () => {
          const start = performance.now();
          const inFlight: Promise<void>[] = [];
          let sent = 0;
          while (reading) {
            const due = Math.floor(((performance.now() - start) * options.rate) / 1000);
            for (; sent < due; sent += 1) {
              const dueAt = start + (sent * 1000) / options.rate;
              const send = sends[sent % sends.length] as ReturnType<typeof request>;
              inFlight.push(
                send('GET', readPaths[sent % readPaths.length] as string).then((res) => {
                  const at = performance.now();
                  readings.push({ at, ms: at - dueAt, status: res.status });
                }),
              );
            }
            await sleep(5);
          }
          await Promise.all(inFlight);
        })(),
      );
    } else {
      for (let i = 0; i < options.clients; i += 1) {
        const send = senderOf(servers[i % servers.length] as ServerProcess);
        readers.push(
          (async () => {
            let k = i;
            while (reading) {
              const res = await send('GET', readPaths[k++ % readPaths.length] as string);
              readings.push({ at: performance.now(), ms: res.ms, status: res.status });
            }
          })(),
        );
      }
    }
    await sleep(options.warmup * 1000);
    const before = performance.now();
    await sleep(2_000);

    // publish, then watch the notifications arrive
    const expected = (
      await q('select count(distinct user_id)::int as n from idea_votes where idea_id = any($1)', [released])
    ).rows[0].n as number;
    const authors = (
      await q(
        'select count(distinct author_id)::int as n from threads where id = any($1) and author_id not in (select user_id from idea_votes where idea_id = any($1))',
        [released],
      )
    ).rows[0].n as number;
    const everyone = expected + authors;
    const started = performance.now();
    const published = await pmSend('POST', `/api/releases/${releaseId}/publish`, signIn.cookie);
    if (published.status !== 200) throw new Error(`publish: ${published.status} ${published.body}`);
    const publishMs = published.ms;
    // Poll the job rows (cheap), not the notifications (a count over a growing table every 25 ms
    // would take the CPU the fan-out needs); the rows are counted once it is done.
    let allAt = Number.NaN;
    let count = 0;
    while (performance.now() - started < 60_000) {
      const jobs = (
        await q(
          'select count(*)::int as n, count(done_at)::int as done, coalesce(sum(notified), 0)::int as notified from release_fanouts where release_id = $1',
          [releaseId],
        )
      ).rows[0] as { n: number; done: number; notified: number };
      count = jobs.notified;
      if (jobs.n > 0 && jobs.done === jobs.n) {
        allAt = performance.now();
        break;
      }
      await sleep(25);
    }
    const deadline = performance.now() + 3_000;
    while (heardAt.size < sampled.length && performance.now() < deadline) await sleep(25);
    await sleep(500);
    reading = false;
    await Promise.all(readers);

    const facts = (
      await q(
        `select count(*)::int as rows, count(distinct user_id)::int as people,
                (select sum(chunks)::int from release_fanouts where release_id = $1) as chunks,
                (select count(*)::int from threads where id = any($2) and status = 'shipped') as shipped
         from notifications where kind = 'released' and (data->>'releaseId')::bigint = $1`,
        [releaseId, released],
      )
    ).rows[0] as { rows: number; people: number; chunks: number; shipped: number };
    const lat = (from: number, to: number) =>
      readings
        .filter((r) => r.at >= from && r.at <= to)
        .map((r) => r.ms)
        .sort((a, b) => a - b);
    const during = lat(started, Number.isNaN(allAt) ? performance.now() : allAt);
    const quiet = lat(before, started);
    const errors = readings.filter((r) => r.status !== 200).length;
    const live = [...heardAt.values()].map((at) => at - started).sort((a, b) => a - b);
    const line = (name: string, xs: number[]) =>
      `${name}: ${xs.length} reads, p50 ${f1(percentile(xs, 50))} ms, p95 ${f1(percentile(xs, 95))} ms, p99 ${f1(percentile(xs, 99))} ms, max ${f1(xs.at(-1) ?? Number.NaN)} ms`;
    console.log(`
publish request (50 ideas → shipped, the job queued): ${f1(publishMs)} ms
every voter notified: ${Number.isNaN(allAt) ? `NOT within 60 s (${count} of ${everyone})` : `${f1(allAt - started)} ms after the publish was sent`} (target 5000 ms)
notifications: ${facts.rows} rows for ${facts.people} people (expected ${everyone}: ${expected} voters + ${authors} authors who did not vote); duplicates: ${facts.rows - facts.people}; ${facts.chunks} chunks; ${facts.shipped} ideas shipped
live: ${live.length} of ${sampled.length} sockets got their notification event; p50 ${f1(percentile(live, 50))} ms, p95 ${f1(percentile(live, 95))} ms, max ${f1(live.at(-1) ?? Number.NaN)} ms after the publish was sent
readers: ${options.rate > 0 ? `open loop, ${options.rate} reads/s over ${servers.length} servers` : `closed loop, ${options.clients} clients`}
${line('reads before (2 s)', quiet)}
${line('reads during the fan-out', during)} (target p95 < 50 ms)
read errors: ${errors}`);
    const ok =
      !Number.isNaN(allAt) &&
      allAt - started <= 5_000 &&
      facts.rows === facts.people &&
      facts.people === everyone &&
      percentile(during, 95) < 50 &&
      errors === 0;
    console.log(ok ? '\nall targets met' : '\nTARGETS MISSED');
    return ok ? 0 : 1;
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

// npm run bench:exports: the dashboard and export targets of issue 11, measured on a real server.
//
//   Full CSV export of every idea < 5 s (first byte < 0.5 s, server memory growth < 100 MB) and
//   no more than 1.5× a COPY of the same query; dashboard p95 < 50 ms for every filter
//   combination under 10 concurrent clients; the voter list of a 200,000-voter idea < 2 s.
//
// A throw-away durable embedded PostgreSQL is seeded with set-based SQL: --voters members,
// --ideas ideas over a year in categories with sub-categories and locales, with tags and every
// status, and --votes votes spread over the year with a power law (idea number 1 has every
// member's vote; the others follow Zipf's law). The real server (as npm start runs it) is on it; a
// product manager made with createUser takes a personal API token through the token API, and
// every measured request carries only that token. This process measures the export as a client
// would (time to first byte, total, rows, bytes) while it samples the server's VmRSS every
// 50 ms, runs COPY (<the export's own query>) TO STDOUT over pg-copy-streams for comparison,
// runs closed-loop dashboard clients over the filter combinations, and exports the big idea's
// voters. Only 127.0.0.1 is used; a watchdog bounds the run; everything it started is stopped
// and removed at the end, also on failure or Ctrl-C. Exit code 0 only when every target is met.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { ideaStatuses, type TopRequestsFilters } from '@fanlab/shared';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { RowCounter } from '../../server/src/cli-export';
import { resolveFilters, topRequestsExportQuery } from '../../server/src/dashboard/queries';
import { readCategoryPlaces } from '../../server/src/forum/category-places';
import { inlineParameters } from '../../server/src/http/exports';
import {
  benchOptions,
  benchProductManager,
  Cleanups,
  freePort,
  machineLine,
  percentile,
  seconds,
  seedVotersAndIdeas,
  sleep,
  startServer,
  stopServer,
  throwAwayDatabase,
  treeRssOf,
} from './lib/harness';

const usage = `npm run bench:exports [-- --ideas 100000 --votes 2000000 --voters 200000 --clients 10 --seconds 10 --warmup 2 --hold 0 --processes 0]

Seeds --voters members, --ideas ideas (categories, sub-categories, locales, tags, every status,
created over a year) and --votes votes over the year (power law; idea 1 has every member's vote)
into a throw-away embedded PostgreSQL, starts one server, and reports with a product manager's
API token: the full CSV export of every idea (first byte, total, server RSS growth, rows, bytes)
against COPY of the same query, dashboard p50/p95 per filter combination under --clients
closed-loop clients for --seconds (after --warmup seconds), and the big idea's voter export.
--hold N keeps the seeded database and the server up N minutes before measuring (it prints their
addresses and the token), for EXPLAIN and profiling by hand. The server runs as \`npm start\` runs it
(compiled; BENCH_SOURCES=1: from its sources) with --processes server processes (0: one per
core, the default); its memory is that of all of them. BENCH_CPU_PROF=DIR starts the server with
node --cpu-prof writing there on exit.`;

const HOST = '127.0.0.1';
const WATCHDOG_MS = 25 * 60_000;
const PASSWORD = 'bench-exports-password-42';
const TARGETS = { exportMs: 5_000, firstByteMs: 500, rssGrowthMb: 100, copyRatio: 1.5, p95Ms: 50, votersMs: 2_000 };
const f1 = (n: number) => n.toFixed(1);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Categories: [slug, name, parent slug, locale]. Parents first. */
const CATEGORIES: [string, string, string | null, string | null][] = [
  ['phones', 'Phones', null, null],
  ['tablets', 'Tablets', null, null],
  ['watches', 'Watches', null, null],
  ['comunidad', 'Comunidad', null, 'es-ES'],
  ['comunidade', 'Comunidade', null, 'pt-BR'],
  ['communaute', 'Communauté', null, 'fr-FR'],
  ['camera', 'Camera', 'phones', null],
  ['battery', 'Battery', 'phones', null],
  ['display', 'Display', 'phones', null],
  ['apps', 'Apps', 'tablets', null],
  ['stylus', 'Stylus', 'tablets', null],
  ['mexico', 'México', 'comunidad', 'es-MX'],
  ['argentina', 'Argentina', 'comunidad', 'es-AR'],
  ['portugal', 'Portugal', 'comunidade', 'pt-PT'],
  ['quebec', 'Québec', 'communaute', 'fr-CA'],
];
const TAGS = ['battery', 'camera', 'display', 'wifi', 'bluetooth', 'gps', 'audio', 'charging', 'ui', 'dark-mode'];

/** Every status, so the export is every listed idea. */
const ALL_STATUSES = ideaStatuses.join(',');

/** Dashboard filters as query parameters (the server validates them as TopRequestsFilters). */
type Filters = Partial<Record<keyof TopRequestsFilters, string>>;

/** The dashboard's filter combinations: every window, every sort, categories, statuses, space, region, tag. */
const COMBINATIONS: Filters[] = [
  {},
  { window: '7d' },
  { window: '90d' },
  { window: '365d' },
  { window: 'all' },
  { sort: 'window', window: '7d' },
  { sort: 'window', window: '30d' },
  { sort: 'window', window: '365d' },
  { sort: 'trending' },
  { sort: 'discussed' },
  { sort: 'newest' },
  { category: 'phones' },
  { category: 'camera' },
  { category: 'comunidad', sort: 'window', window: '30d' },
  { category: 'stylus', sort: 'newest' },
  { status: 'planned' },
  { status: 'shipped,declined', window: 'all' },
  { status: 'in_beta', sort: 'trending' },
  { space: 'es' },
  { space: 'pt-BR', sort: 'window', window: '90d' },
  { region: 'MX' },
  { region: 'CA', sort: 'discussed' },
  { tag: 'camera' },
  { tag: 'dark-mode', sort: 'window', window: '7d' },
  { tag: 'wifi', category: 'phones', status: ALL_STATUSES, window: 'all' },
];

const queryOf = (filters: Filters) =>
  new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined)).toString();

interface Download {
  status: number;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  rows: number;
  /** The body when it is not 200 (the error). */
  error: string;
}

/** Streams a GET to its end, counting rows and bytes, keeping nothing (an error body is kept). */
function download(port: number, path: string, token: string, agent: http.Agent): Promise<Download> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { host: HOST, port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let firstByteMs = Number.NaN;
        let error = '';
        const counter = new RowCounter(new URL(path, 'http://x').searchParams.get('format') ?? 'csv');
        res.on('data', (chunk: Buffer) => {
          if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
          if (res.statusCode !== 200) error += chunk.toString('utf8');
          counter.count(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            firstByteMs,
            totalMs: performance.now() - started,
            bytes: counter.bytes,
            rows: counter.rows,
            error,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A small JSON request (sign-in, the token), with the session cookie and a same-origin Origin. */
function jsonRequest(port: number, method: string, path: string, body: unknown, cookie?: string) {
  return new Promise<{ status: number; body: string; cookie?: string }>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path,
        headers: {
          origin: `http://${HOST}:${port}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]?.split(';')[0],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function seed(client: pg.Client, options: { voters: number; ideas: number; votes: number }) {
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  await q('begin');
  await q('select setseed(0.42)');
  // members and ideas (one post each) from the harness, in its category `ideas`, then spread
  const { userIds, ideaIds } = await seedVotersAndIdeas(client, options.voters, options.ideas);
  const categoryIds: number[] = [];
  for (const [slug, name, parent, locale] of CATEGORIES) {
    const row = await q(
      `insert into categories (slug, name, parent_id, locale, allow_ideas)
       values ($1, $2, (select id from categories where slug = $3), $4, true) returning id`,
      [slug, name, parent, locale],
    );
    categoryIds.push(Number((row.rows[0] as { id: string }).id));
  }
  // skewed over the categories (the first ones busiest), statuses mostly open work, 0–3 tags (the
  // count refers to the row: an uncorrelated generate_series would be evaluated once, for all),
  // created over the last year, a reply count for the discussion order
  await q(
    `update threads t set
       category_id = ($1::bigint[])[1 + floor(power(random(), 1.6) * cardinality($1::bigint[]))::int],
       status = (array['open','open','open','open','open','under_review','under_review','planned','planned',
                       'in_progress','in_beta','shipped','shipped','declined','duplicate'])[1 + floor(random() * 15)::int],
       tags = array(select ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                    from generate_series(1, floor(random() * 4)::int + 0 * t.id)),
       created_at = now() - random() * interval '365 days',
       post_count = 1 + floor(power(random(), 3) * 60)::int
     where t.kind = 'idea'`,
    [categoryIds, TAGS],
  );
  await q(`update threads set tags = array(select distinct unnest(tags) order by 1) where kind = 'idea'`);
  await q(
    `update threads set status_changed_at = created_at + random() * (now() - created_at),
            official_response_raw = case when status in ('shipped', 'declined') then 'Thanks: **' || status || '** in 4.3.' end
     where kind = 'idea' and status <> 'open'`,
  );
  await q(`update categories c set thread_count = (select count(*) from threads t where t.category_id = c.id)`);
  // idea 1 (the big one): every member's vote; the others: Zipf over a shuffled rank, each vote
  // by a distinct member (104729 is prime to the member count unless it divides it), cast after the idea
  const big = ideaIds[0] as number;
  await q(`update threads set status = 'open', created_at = now() - interval '360 days' where id = $1`, [big]);
  await q(
    `insert into idea_votes (idea_id, user_id, created_at)
     select $1, u, now() - random() * interval '359 days' from unnest($2::bigint[]) u`,
    [big, userIds],
  );
  const others = ideaIds.slice(1);
  const harmonic = others.reduce((sum, _, i) => sum + 1 / (i + 1), 0);
  const scale = Math.max(0, options.votes - userIds.length) / harmonic;
  await q(
    `insert into idea_votes (idea_id, user_id, created_at)
     select i.id, ($3::bigint[])[1 + ((i.n * 7919 + j::bigint * 104729) % cardinality($3::bigint[]))],
            t.created_at + random() * (now() - t.created_at)
     from unnest($1::bigint[]) with ordinality as i(id, n)
     join threads t on t.id = i.id
     cross join lateral generate_series(1, least(cardinality($3::bigint[]),
       floor($2::float8 / (1 + (i.n * 7919) % cardinality($1::bigint[])))::int)) j`,
    [others, scale, userIds],
  );
  // (the votes' trigger keeps the sort keys and statistics of idea_recent_votes)
  await q(
    `update threads t set vote_count = v.n
     from (select idea_id, count(*)::int as n from idea_votes group by idea_id) v
     where v.idea_id = t.id`,
  );
  await q('commit');
  await q('vacuum analyze');
  // the seed's writes on disk now, not during the measurements
  await q('checkpoint');
  const counts = (
    await q(`select (select count(*)::int from threads where kind = 'idea') as ideas,
                    (select count(*)::int from idea_votes) as votes,
                    (select max(vote_count)::int from threads) as top,
                    (select count(*)::int from threads where kind = 'idea' and vote_count >= 100) as over100,
                    (select count(*)::int from idea_vote_months) as months`)
  ).rows[0] as { ideas: number; votes: number; top: number; over100: number; months: number };
  return { big, ...counts };
}

async function main(): Promise<number> {
  const options = benchOptions(usage, {
    ideas: { default: '100000', min: 100, max: 1_000_000, integer: true },
    votes: { default: '2000000', min: 1_000, max: 20_000_000, integer: true },
    voters: { default: '200000', min: 100, max: 1_000_000, integer: true },
    clients: { default: '10', min: 1, max: 100, integer: true },
    seconds: { default: '10', min: 1, max: 600 },
    warmup: { default: '2', min: 0, max: 60 },
    hold: { default: '0', min: 0, max: 60 },
    processes: { default: '0', min: 0, max: 64, integer: true },
  });
  if (typeof options === 'number') return options;
  const cleanups = new Cleanups(WATCHDOG_MS + options.hold * 60_000);
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
    return ok ? 'ok' : 'MISSED';
  };
  try {
    console.log(machineLine());
    let t = performance.now();
    const { url } = await throwAwayDatabase(cleanups, 'exports', 'fanlab_exports_bench');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push('seed connection', () => client.end());
    const seeded = await seed(client, options);
    console.log(
      `seeded ${options.voters} members, ${seeded.ideas} ideas in ${CATEGORIES.length} categories, ${seeded.votes} votes ` +
        `(top idea ${seeded.top}, ${seeded.over100} ideas with ≥ 100), ${seeded.months} idea-months in ${seconds(performance.now() - t)}`,
    );

    const db = await benchProductManager(cleanups, url, PASSWORD);

    t = performance.now();
    // as `npm start` runs it: compiled, one process per core unless --processes says otherwise
    const server = await startServer(
      url,
      await freePort(),
      { WEB_CONCURRENCY: options.processes > 0 ? String(options.processes) : '' },
      {
        compiled: process.env.BENCH_SOURCES !== '1',
        nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
      },
    );
    cleanups.push('server', () => stopServer(server));
    if (new URL(server.baseUrl).hostname !== HOST) throw new Error(`refusing to send load to ${server.baseUrl}`);
    const port = Number(new URL(server.baseUrl).port);
    const pid = server.child.pid as number;
    console.log(
      `server ready in ${seconds(performance.now() - t)} (NODE_ENV=production, pid ${pid}, ` +
        `${options.processes || 'one per core'} process(es), ${process.env.BENCH_SOURCES === '1' ? 'sources' : 'compiled'})`,
    );

    const signIn = await jsonRequest(port, 'POST', '/api/auth/sign-in', { login: 'bench_pm', password: PASSWORD });
    if (signIn.status !== 200 || !signIn.cookie) throw new Error(`sign-in: ${signIn.status} ${signIn.body}`);
    const made = await jsonRequest(
      port,
      'POST',
      '/api/me/tokens',
      { name: 'bench', scopes: ['read:exports', 'read:ideas'], expiresInDays: 1 },
      signIn.cookie,
    );
    if (made.status !== 201) throw new Error(`token: ${made.status} ${made.body}`);
    const token = (JSON.parse(made.body) as { secret: string }).secret;

    if (options.hold > 0) {
      // for EXPLAIN and profiling by hand: the seeded database and the server stay up a while
      console.log(`holding ${options.hold} min: DATABASE_URL=${url} server ${server.baseUrl} token ${token}`);
      await sleep(options.hold * 60_000);
    }

    const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients + 2 });
    cleanups.push('agent', async () => agent.destroy());

    // ---------------------------------------------------------------- full export vs COPY
    const exportFilters = { status: ALL_STATUSES, window: 'all' } as const;
    const resolved = resolveFilters(await readCategoryPlaces(db), exportFilters);
    const exportPath = `/api/dashboard/top/export?${queryOf(exportFilters)}&format=csv`;
    // one small export first: the route, its schema and the pool are warm, as in use
    await download(port, `/api/dashboard/top/export?${queryOf(exportFilters)}&limit=10`, token, agent);
    await sleep(500);
    const rssBefore = treeRssOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, treeRssOf(pid));
    }, 50);
    const full = await download(port, exportPath, token, agent).finally(() => clearInterval(sampler));
    rssPeak = Math.max(rssPeak, treeRssOf(pid));
    if (full.status !== 200) throw new Error(`export: ${full.status} ${full.error}`);
    const listed = (
      await client.query(
        `select count(*)::int as n from threads where kind = 'idea' and deleted_at is null and not unlisted and hidden_at is null`,
      )
    ).rows[0] as { n: number };
    const growthMb = (rssPeak - rssBefore) / 1024 / 1024;

    const copySql = inlineParameters(topRequestsExportQuery(db, resolved).compile());
    const copyOnce = async () => {
      const started = performance.now();
      let firstByteMs = Number.NaN;
      const counter = new RowCounter('csv');
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyTo(`COPY (${copySql}) TO STDOUT (FORMAT csv, HEADER)`));
        stream.on('data', (chunk: Buffer) => {
          if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
          counter.count(chunk);
        });
        stream.on('end', () => resolve());
        stream.on('error', reject);
      });
      return { ms: performance.now() - started, firstByteMs, rows: counter.rows, bytes: counter.bytes };
    };
    // each twice, alternating, and the better of each compared: the first of the four read the
    // tables cold, and the machine's noise is not the export's
    const copies = [await copyOnce()];
    const again = await download(port, exportPath, token, agent);
    copies.push(await copyOnce());
    const copy = copies.reduce((a, b) => (b.ms < a.ms ? b : a));
    if (again.status !== 200) throw new Error(`export again: ${again.status} ${again.error}`);
    const ratio = Math.min(full.totalMs, again.totalMs) / copy.ms;

    console.log(
      '\nfull CSV export of every idea (GET /api/dashboard/top/export, all statuses, window all), token only',
    );
    console.log(
      `  total ${f1(full.totalMs)} ms (target < ${TARGETS.exportMs}) ${check(full.totalMs < TARGETS.exportMs, 'export total')}`,
    );
    console.log(
      `  first byte ${f1(full.firstByteMs)} ms (target < ${TARGETS.firstByteMs}) ${check(full.firstByteMs < TARGETS.firstByteMs, 'export first byte')}`,
    );
    console.log(
      `  server RSS ${mib(rssBefore)} → peak ${mib(rssPeak)}: growth ${f1(growthMb)} MB (target < ${TARGETS.rssGrowthMb}) ` +
        check(growthMb < TARGETS.rssGrowthMb, 'export memory'),
    );
    console.log(
      `  ${full.rows} rows (listed ideas: ${listed.n}) ${check(full.rows === listed.n, 'export rows')}, ${mib(full.bytes)}`,
    );
    console.log(
      `COPY (the same query) TO STDOUT (FORMAT csv, HEADER): ${f1(copy.ms)} ms, first byte ${f1(copy.firstByteMs)} ms, ` +
        `${copy.rows} rows, ${mib(copy.bytes)}`,
    );
    console.log(
      `  ratio export/COPY ${ratio.toFixed(2)}× (better of two runs each: export ${f1(full.totalMs)} / ${f1(again.totalMs)} ms, ` +
        `COPY ${copies.map((c) => f1(c.ms)).join(' / ')} ms; goal ≤ ${TARGETS.copyRatio}×) ${check(ratio <= TARGETS.copyRatio, 'export/COPY ratio')}`,
    );

    // ---------------------------------------------------------------- dashboard under load
    const paths = COMBINATIONS.map((f) => `/api/dashboard/top?${queryOf(f) ? `${queryOf(f)}&` : ''}limit=50`);
    for (const path of paths) {
      const res = await download(port, path, token, agent);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.error}`);
    }
    const latencies = paths.map(() => [] as number[]);
    let errors = 0;
    const loop = async (clientIndex: number, until: number, record: boolean) => {
      for (let i = clientIndex; performance.now() < until; i += 1) {
        const combination = i % paths.length;
        const res = await download(port, paths[combination] as string, token, agent);
        if (res.status !== 200) errors += 1;
        else if (record) latencies[combination]?.push(res.totalMs);
      }
    };
    const run = (ms: number, record: boolean) => {
      const until = performance.now() + ms;
      return Promise.all(Array.from({ length: options.clients }, (_, c) => loop(c, until, record)));
    };
    await run(options.warmup * 1000, false);
    const loadStarted = performance.now();
    await run(options.seconds * 1000, true);
    const loadMs = performance.now() - loadStarted;
    const all = latencies.flat().sort((a, b) => a - b);
    console.log(
      `\ndashboard GET /api/dashboard/top?…&limit=50, ${options.clients} closed-loop clients for ${seconds(loadMs)} ` +
        `(after ${options.warmup} s warm-up): ${all.length} requests, ${f1((all.length * 1000) / loadMs)}/s, ${errors} errors`,
    );
    for (const [i, samples] of latencies.entries()) {
      samples.sort((a, b) => a - b);
      const p95 = percentile(samples, 95);
      console.log(
        `  ${(queryOf(COMBINATIONS[i] ?? {}) || '(defaults)').padEnd(60)} n=${String(samples.length).padStart(4)} ` +
          `p50 ${f1(percentile(samples, 50)).padStart(6)} p95 ${f1(p95).padStart(6)} ms ${check(p95 < TARGETS.p95Ms, `p95 ${queryOf(COMBINATIONS[i] ?? {}) || '(defaults)'}`)}`,
      );
    }
    console.log(
      `  overall p50 ${f1(percentile(all, 50))} p95 ${f1(percentile(all, 95))} p99 ${f1(percentile(all, 99))} ms ` +
        `(target p95 < ${TARGETS.p95Ms} for every combination above); no errors ${check(errors === 0, 'dashboard errors')}`,
    );

    // ---------------------------------------------------------------- voter export
    const voters = await download(port, `/api/ideas/${seeded.big}/voters/export?format=csv`, token, agent);
    if (voters.status !== 200) throw new Error(`voter export: ${voters.status} ${voters.error}`);
    console.log(
      `\nvoter export of idea ${seeded.big} (CSV): ${f1(voters.totalMs)} ms (target < ${TARGETS.votersMs}) ` +
        `${check(voters.totalMs < TARGETS.votersMs, 'voter export time')}, first byte ${f1(voters.firstByteMs)} ms, ` +
        `${voters.rows} rows ${check(voters.rows === options.voters, 'voter export rows')}, ${mib(voters.bytes)}`,
    );

    console.log(`\n${machineLine()}`);
    console.log(failures.length ? `\nMISSED: ${failures.join('; ')}` : '\nevery target met');
    return failures.length ? 1 : 0;
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

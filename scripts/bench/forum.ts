// npm run bench:forum: the forum-core target of issue 3, measured end to end.
//
//   "With 10,000 threads and 200,000 posts seeded: category thread list and thread page API
//    p95 under 20 ms at 20 concurrent clients on our 2-core machine."
//
// A throw-away embedded PostgreSQL (durable settings, in a temp folder) is bulk-seeded with
// set-based SQL, the real server (server/src/main.ts) runs as a child process against it, and a
// closed-loop load generator in this process measures each scenario. Everything it started is
// stopped and removed at the end, also on failure or Ctrl-C. See scripts/bench/README.md.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { User } from 'lucia';
import pg from 'pg';
import { createUser } from '../../server/src/auth/actions';
import { REPO_ROOT } from '../../server/src/config';
import { connect } from '../../server/src/db/connect';
import { type EmbeddedCluster, startEmbeddedPostgres } from '../../server/src/db/embedded';
import { migrateToLatest } from '../../server/src/db/migrate';
import { ensureDatabase } from '../../server/src/db/open';
import type { Database, UserRow } from '../../server/src/db/schema';
import { placesFrom } from '../../server/src/forum/category-places';
import { getThreadDetail, listThreads } from '../../server/src/forum/queries';
import { randomPicker } from '../lib/random';
import { benchOptions, cpuMsOf, freePort, machineCpuMs, percentile, seconds, sleep } from './lib/harness';

const usage = `npm run bench:forum [-- --clients 20 --warmup 3 --seconds 15]

Seeds 2,000 users, 10 categories, 10,000 threads and 200,000 posts into a throw-away embedded
PostgreSQL, starts the real server against it and measures the thread list and thread page APIs.`;

const USERS = 2_000;
const THREADS = 10_000;
const POSTS = 200_000;
const TARGET_P95_MS = 20;
const DATABASE = 'fanlab_bench';
/** Safety net: whatever happens, stop everything after this long. */
const WATCHDOG_MS = 8 * 60_000;

/* ----------------------------------------------------------------- helpers */

/** CPU milliseconds the whole machine has been busy (all cores, kernel included). */
const machineBusyMs = () => machineCpuMs().busy;

/* ----------------------------------------------------------------- seeding */

interface CategorySpec {
  slug: string;
  name: string;
  parent?: string;
  threads: number;
  ideas?: boolean;
}

/** 10 categories; "phones" is the big one (3,000 threads of its own, 2,600 more in its sub-categories). */
const CATEGORIES: CategorySpec[] = [
  { slug: 'phones', name: 'Phones', threads: 3_000, ideas: true },
  { slug: 'nova-12', name: 'Nova 12', parent: 'phones', threads: 1_200, ideas: true },
  { slug: 'nova-12-pro', name: 'Nova 12 Pro', parent: 'phones', threads: 900, ideas: true },
  { slug: 'lite-5', name: 'Lite 5', parent: 'phones', threads: 500, ideas: true },
  { slug: 'fanos', name: 'FanOS', threads: 1_500, ideas: true },
  { slug: 'tv', name: 'TV', threads: 1_000, ideas: true },
  { slug: 'smart-home', name: 'Smart home', threads: 800, ideas: true },
  { slug: 'beta-feedback', name: 'Beta feedback', threads: 600, ideas: true },
  { slug: 'announcements', name: 'Announcements', threads: 100 },
  { slug: 'espanol', name: 'Español', threads: 400 },
];
const BIG_CATEGORY = 'phones';
const SUB_CATEGORY = 'nova-12';

const SUBJECTS = [
  'Battery drain',
  'Wi-Fi drops',
  'Camera focus hunting',
  'Screen flicker',
  'Bluetooth pairing fails',
  'Slow charging',
  'Notifications arrive late',
  'Gallery app crashes',
  'GPS accuracy',
  'Speaker crackle',
  'Update stuck at 45%',
  'Phone gets hot',
  'Touch lag',
  'HDR looks washed out',
  'Remote stops pairing',
  'Night mode is blurry',
  'Dark mode ignored',
  'Storage almost full',
  'Keyboard lag',
  'Lock screen widget missing',
];
const CONTEXTS = [
  'after the update',
  'on the Nova 12',
  'on the Nova 12 Pro',
  'on the Lite 5',
  'since FanOS 4.2',
  'at night',
  'on mobile data',
  'in game mode',
  'with a case on',
  'after a factory reset',
];
const ENDINGS = ['', '?', ': any fix?', ' (solved)', ': is this normal?', ', anyone else?'];

/** Sentences the posts are made of (plain text: cooked is '<p>' || raw || '</p>'). */
const SENTENCES = [
  'Same here since the last update.',
  'A restart fixes it for a day or two, then it comes back.',
  'Did you try safe mode? If it is fine there, an app is to blame.',
  'Support asked me for a bug report and answered within a day.',
  'I reported it through the Feedback app with logs attached.',
  'The shop told me a fix is coming with the next monthly patch.',
  'A factory reset cleared it for me, but that is a big hammer.',
  'Mine went back for a replacement and the new unit is fine.',
  'It seems to depend on the region and the carrier.',
  'Did you set it up from a backup? A clean setup fixed a lot of weirdness for me.',
  'Happens to me too, but only now and then.',
  'Which firmware version are you on? Settings, About shows it.',
  'It got better for me after the latest update.',
  'I would honestly pay for that.',
  'Please make it optional, not everyone will want it.',
  'This should really be the default.',
  'Great write-up, thanks for taking the time.',
  'Thanks for sharing, I learned something today.',
  'Bookmarked, this is really useful.',
  'Mostly agree, although my experience was a bit different.',
  'I tried this last night and it works great.',
  'Turn off motion smoothing first, it is the main reason football looks weird.',
  'These plugs are 2.4 GHz only, a separate network name for them helped a lot.',
  'Battery is noticeably better than on the previous build.',
  'I can reproduce it three times out of five.',
  'The new quick settings look nice but I keep hitting the wrong tile.',
  'Screen-on time went from 5 to 7 hours once I turned off the always-on display.',
  'Give each device a fixed IP address in your router, it makes a difference.',
  'The comparison page on the website answers most of this.',
  'Short answer: yes. Long answer: it depends on how you use it.',
  'Following this thread, I am curious what the team says.',
  'Voted, and I asked my friends to vote too.',
];

interface ThreadPlan {
  category: number[];
  size: number[];
  author: number[];
  createdS: number[];
  spanS: number[];
  kind: string[];
  title: string[];
  pinned: boolean[];
  deleted: boolean[];
}

function shuffle<T>(items: T[], rng: ReturnType<typeof randomPicker>): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Per-thread facts decided here (exact counts, skewed sizes), everything else in SQL.
 * Sizes: most threads 5–30 posts, 250 threads of 50–350, and 8 huge ones that take the rest,
 * so that the total is exactly POSTS.
 */
function planThreads(categoryIds: Map<string, number>, userBase: number): ThreadPlan {
  const rng = randomPicker(3);
  const now = Date.now() / 1000;
  const day = 86_400;
  const cats: number[] = [];
  for (const c of CATEGORIES) for (let i = 0; i < c.threads; i++) cats.push(categoryIds.get(c.slug) ?? 0);
  shuffle(cats, rng);

  const HUGE = 8;
  const LARGE = 250;
  const order = shuffle(
    Array.from({ length: THREADS }, (_, i) => i),
    rng,
  );
  const sizeClass = new Array<'normal' | 'large' | 'huge'>(THREADS).fill('normal');
  for (const i of order.slice(0, HUGE)) sizeClass[i] = 'huge';
  for (const i of order.slice(HUGE, HUGE + LARGE)) sizeClass[i] = 'large';
  const sizes: number[] = [];
  let used = 0;
  for (let i = 0; i < THREADS; i++) {
    const r = rng.next();
    const size =
      sizeClass[i] === 'normal'
        ? 5 + Math.floor(26 * r ** 1.6)
        : sizeClass[i] === 'large'
          ? 50 + Math.floor(300 * r)
          : 0;
    sizes.push(size);
    used += size;
  }
  const rest = POSTS - used;
  if (rest < HUGE * 500) throw new Error(`the size plan leaves only ${rest} posts for the huge threads`);
  order.slice(0, HUGE).forEach((i, k) => {
    sizes[i] = k < HUGE - 1 ? Math.floor(rest / HUGE) : rest - Math.floor(rest / HUGE) * (HUGE - 1);
  });

  const plan: ThreadPlan = {
    category: cats,
    size: sizes,
    author: [],
    createdS: [],
    spanS: [],
    kind: [],
    title: [],
    pinned: [],
    deleted: [],
  };
  const pinnedPerCategory = new Map<number, number>();
  const ideaCategories = new Set(CATEGORIES.filter((c) => c.ideas).map((c) => categoryIds.get(c.slug)));
  for (let i = 0; i < THREADS; i++) {
    // ids follow time: thread i+1 is created a little after thread i, over two years
    const created = now - 730 * day + (i / THREADS) * 725 * day + rng.next() * 3600;
    const maxSpan = sizeClass[i] === 'huge' ? 365 * day : sizeClass[i] === 'large' ? 90 * day : 14 * day;
    const span = Math.min(maxSpan * rng.next() ** 2, now - 120 - created);
    const cat = cats[i] as number;
    const pins = pinnedPerCategory.get(cat) ?? 0;
    const pinned = pins < 2 && rng.next() < 0.01;
    if (pinned) pinnedPerCategory.set(cat, pins + 1);
    plan.author.push(userBase + Math.floor(USERS * rng.next() ** 2));
    plan.createdS.push(created);
    plan.spanS.push(Math.max(span, 60));
    plan.kind.push(ideaCategories.has(cat) && rng.next() < 0.1 ? 'idea' : 'discussion');
    plan.title.push(`${rng.pick(SUBJECTS)} ${rng.pick(CONTEXTS)}${rng.pick(ENDINGS)}`);
    plan.pinned.push(pinned);
    plan.deleted.push(!pinned && rng.next() < 0.005);
  }
  return plan;
}

/** Bulk seed with set-based SQL, in one transaction on one connection. Returns what the load needs. */
async function seed(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  const report = (label: string, started: number) =>
    console.log(`  ${label.padEnd(36)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
  const step = async (label: string, text: string, values?: unknown[]) => {
    const started = performance.now();
    await q(text, values);
    report(label, started);
  };
  try {
    await q("set maintenance_work_mem = '512MB'");
    await q('begin');

    // Secondary indexes are built once after the load (much faster than maintained row by row).
    const { rows: indexes } = await q(`
      select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
      from pg_index i join pg_class t on t.oid = i.indrelid
      where t.relname in ('threads', 'posts', 'post_likes', 'thread_reads')
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`);
    for (const ix of indexes) await q(`drop index ${ix.name}`);

    await step(
      `users (${USERS})`,
      `insert into users (username, email, password_hash, created_at, password_changed_at)
       select 'fan_' || g, 'fan_' || g || '@bench.example', '!', now() - interval '3 years' + g * interval '5 minutes',
              now() - interval '3 years'
       from generate_series(1, $1::int) g`,
      [USERS],
    );
    const userBase = (await q('select min(id)::int as id from users')).rows[0].id as number;

    const categoryIds = new Map<string, number>();
    for (const [i, c] of CATEGORIES.entries()) {
      const { rows } = await q(
        `insert into categories (parent_id, slug, name, position, allow_ideas, who_can_start)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [
          c.parent ? categoryIds.get(c.parent) : null,
          c.slug,
          c.name,
          i,
          c.ideas ?? false,
          c.slug === 'announcements' ? 'staff' : 'everyone',
        ],
      );
      categoryIds.set(c.slug, rows[0].id);
    }

    const plan = planThreads(categoryIds, userBase);
    await q(
      `create temp table bench_plan on commit drop as
       select g::bigint as id, category_id, size, author_id, to_timestamp(created_s) as created_at,
              make_interval(secs => span_s) as span, kind, title, pinned, deleted
       from unnest($1::bigint[], $2::int[], $3::bigint[], $4::float8[], $5::float8[], $6::text[], $7::text[],
                   $8::bool[], $9::bool[])
            with ordinality as t(category_id, size, author_id, created_s, span_s, kind, title, pinned, deleted, g)`,
      [
        plan.category,
        plan.size,
        plan.author,
        plan.createdS,
        plan.spanS,
        plan.kind,
        plan.title,
        plan.pinned,
        plan.deleted,
      ],
    );
    await step(
      `threads (${THREADS})`,
      `insert into threads (id, category_id, kind, title, author_id, created_at, bumped_at, last_poster_id,
                            highest_post_number, post_count, pinned_at, deleted_at, deleted_by)
       overriding system value
       select id, category_id, kind, title, author_id, created_at, created_at, author_id, size, size,
              case when pinned then created_at end,
              case when deleted then created_at + span + interval '1 hour' end,
              case when deleted then author_id end
       from bench_plan order by id`,
    );
    await q(`select setval(pg_get_serial_sequence('threads', 'id'), (select max(id) from threads))`);

    // Posts in time order (a thread's posts are spread over the table, as in real life).
    // Each post decides its like count here; post_likes gets exactly that many rows below.
    await step(
      `posts (${POSTS})`,
      `insert into posts (thread_id, post_number, author_id, reply_to_post_number, raw, cooked, created_at,
                          like_count, deleted_at, deleted_by)
       select thread_id, n, author_id, reply_to, raw, '<p>' || raw || '</p>', created_at,
              case when deleted then 0 else likes end,
              case when deleted then created_at + interval '1 hour' end,
              case when deleted then author_id end
       from (
         select p.id as thread_id, n,
                case when n = 1 then p.author_id else $2::bigint + floor($3::int * random() ^ 2)::bigint end
                  as author_id,
                case when n > 1 and random() < 0.2 then 1 + floor(random() * (n - 1))::int end as reply_to,
                ($1::text[])[1 + floor(random() * $4::int)::int] || ' ' || ($1::text[])[1 + floor(random() * $4::int)::int]
                  || case when random() < 0.6 then ' ' || ($1::text[])[1 + floor(random() * $4::int)::int] else '' end
                  || case when random() < 0.3 then ' ' || ($1::text[])[1 + floor(random() * $4::int)::int] else '' end
                  as raw,
                p.created_at + p.span * ((n - 1)::float8 / greatest(p.size - 1, 1)) as created_at,
                case when n = 1 then floor(40 * random() ^ 3)::int else floor(8 * random() ^ 4)::int end as likes,
                n > 1 and random() < 0.01 as deleted
         from bench_plan p cross join lateral generate_series(1, p.size) n
         offset 0
       ) x
       order by created_at`,
      [SENTENCES, userBase, USERS, SENTENCES.length],
    );
    // Likers: distinct per post (author + j·37 mod USERS, j ≥ 1: never the author, never twice).
    await step(
      'post_likes',
      `insert into post_likes (post_id, user_id, created_at)
       select p.id, $1::bigint + (p.author_id - $1::bigint + j * 37) % $2::int,
              least(now(), p.created_at + j * interval '7 minutes')
       from posts p cross join lateral generate_series(1, p.like_count) j
       where p.like_count > 0`,
      [userBase, USERS],
    );
    // Thread counters from their posts, as the rules keep them: post_count counts visible posts,
    // bumped_at / last_poster_id are those of the last post written (deleting it does not un-bump).
    await step(
      'thread counters',
      `update threads t set post_count = a.visible, like_count = a.likes, bumped_at = a.last_at,
                            last_poster_id = a.last_author
       from (
         select thread_id, count(*) filter (where deleted_at is null)::int as visible,
                coalesce(sum(like_count), 0)::int as likes, max(created_at) as last_at,
                (array_agg(author_id order by post_number desc))[1] as last_author
         from posts group by thread_id
       ) a
       where a.thread_id = t.id`,
    );
    await step(
      'category counters',
      `update categories c set thread_count = coalesce(
         (select count(*) from threads t where t.category_id = c.id and t.deleted_at is null), 0)`,
    );
    // Read markers: each user has read 50 threads (some to the end, some part-way); authors read theirs.
    await step(
      'thread_reads',
      `insert into thread_reads (user_id, thread_id, last_read_post_number, updated_at)
       select u.id, t.id, case when random() < 0.6 then t.highest_post_number
                               else 1 + floor(random() * t.highest_post_number)::int end, now()
       from users u cross join lateral generate_series(1, 50) j
       join threads t on t.id = 1 + (u.id * 7919 + j * 104729) % $1::int
       union all
       select author_id, id, 1, created_at from threads
       on conflict do nothing`,
      [THREADS],
    );
    // The counters must be what the rules would have written; stop here if not.
    const { rows: broken } = await q(`
      select 'threads: post counters' as what, count(*)::int as n from threads t
        join (select thread_id, count(*) as all_posts, count(*) filter (where deleted_at is null) as visible,
                     max(post_number) as highest, coalesce(sum(like_count), 0) as likes
              from posts group by thread_id) p on p.thread_id = t.id
        where t.post_count <> p.visible or t.highest_post_number <> p.highest or p.highest <> p.all_posts
           or t.like_count <> p.likes
      union all
      select 'posts: like_count', count(*)::int from posts p
        left join (select post_id, count(*) as likes from post_likes group by post_id) l on l.post_id = p.id
        where p.like_count <> coalesce(l.likes, 0)
      union all
      select 'categories: thread_count', count(*)::int from categories c
        where thread_count <> (select count(*) from threads t where t.category_id = c.id and t.deleted_at is null)`);
    const wrong = broken.filter((r) => r.n > 0);
    if (wrong.length) throw new Error(`inconsistent seed: ${wrong.map((r) => `${r.what} (${r.n} rows)`).join(', ')}`);
    const started = performance.now();
    for (const ix of indexes) await q(ix.def);
    report(`indexes (${indexes.length})`, started);
    await q('commit');
    // Vacuum now (visibility map, hint bits) and checkpoint, so neither autovacuum nor a
    // checkpoint of the load runs while we measure.
    await step('vacuum analyze', 'vacuum (analyze)');
    await step('checkpoint', 'checkpoint');

    const { rows: threads } = await q(
      'select id::int, highest_post_number::int as size from threads where deleted_at is null order by id',
    );
    const { rows: facts } = await q(`
      select (select count(*)::int from posts) as posts,
             (select count(*)::int from post_likes) as likes,
             (select count(*)::int from thread_reads) as reads,
             (select max(highest_post_number)::int from threads) as biggest,
             pg_size_pretty(pg_database_size(current_database())) as size`);
    return { threads: threads as { id: number; size: number }[], facts: facts[0] };
  } catch (err) {
    await q('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/* ------------------------------------------------------------------ server */

interface Server {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  exited: Promise<number | null>;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = { child, baseUrl, output: () => output, exited };
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/api/ready`)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stopServer(server);
  throw new Error(`the server did not become ready:\n${output}`);
}

async function stopServer(server: Server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timeout = sleep(15_000).then(() => 'timeout' as const);
  if ((await Promise.race([server.exited, timeout])) === 'timeout') {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/* -------------------------------------------------------------------- load */

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function get(baseUrl: string, url: string, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(
      `${baseUrl}${url}`,
      { agent, headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

interface Sample {
  ms: number;
  signedIn: boolean;
}

interface Result {
  samples: Sample[];
  errors: { status: number; url: string; body: string }[];
  elapsedMs: number;
  /** Share of one core (%) used during the measured window, by process. */
  cpu: { server: number; postgres: number; load: number; rest: number };
}

interface Client {
  cookie?: string;
  rng: ReturnType<typeof randomPicker>;
}

/** One unit of work for a client: one or more requests, each made through `measure`. */
type Work = (client: Client, measure: (url: string) => Promise<Answer>) => Promise<void>;

interface LoadOptions {
  baseUrl: string;
  cookie: string;
  clients: number;
  warmupMs: number;
  measureMs: number;
  pids: { server?: number; postmaster?: number };
}

/** Closed loop: `clients` concurrent clients, each starting its next request when its last one ended. */
async function runScenario(work: Work, opts: LoadOptions): Promise<Result> {
  const result: Result = {
    samples: [],
    errors: [],
    elapsedMs: opts.measureMs,
    cpu: { server: Number.NaN, postgres: Number.NaN, load: Number.NaN, rest: Number.NaN },
  };
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const stopAt = measureFrom + opts.measureMs;
  const cpuNow = () => {
    const own = process.cpuUsage();
    return {
      server: cpuMsOf(opts.pids.server, false),
      postgres: cpuMsOf(opts.pids.postmaster, true),
      load: (own.user + own.system) / 1000,
      machine: machineBusyMs(),
    };
  };
  // CPU is sampled when the measured window opens and when the last client has stopped.
  let cpuStart: (ReturnType<typeof cpuNow> & { at: number }) | undefined;
  const timer = setTimeout(() => {
    cpuStart = { ...cpuNow(), at: performance.now() };
  }, opts.warmupMs);
  const loop = async (i: number) => {
    // Half the clients are signed in (the same account: one busy reader per tab).
    const client: Client = { cookie: i % 2 === 0 ? opts.cookie : undefined, rng: randomPicker(1000 + i) };
    while (performance.now() < stopAt) {
      await work(client, async (url) => {
        const begun = performance.now();
        const answer = await get(opts.baseUrl, url, client.cookie);
        if (begun >= measureFrom && begun < stopAt) {
          result.samples.push({ ms: answer.ms, signedIn: client.cookie !== undefined });
          if (answer.status < 200 || answer.status > 299) {
            result.errors.push({ status: answer.status, url, body: answer.body.slice(0, 300) });
          }
        }
        return answer;
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.clients }, (_, i) => loop(i)));
  } finally {
    clearTimeout(timer);
  }
  if (cpuStart) {
    const end = cpuNow();
    const elapsed = performance.now() - cpuStart.at;
    const share = (k: keyof typeof end) => ((end[k] - (cpuStart?.[k] ?? Number.NaN)) / elapsed) * 100;
    const [server, postgres, load] = [share('server'), share('postgres'), share('load')];
    // whatever else kept the machine busy: other processes, and kernel time (loopback networking)
    result.cpu = { server, postgres, load, rest: share('machine') - server - postgres - load };
  }
  return result;
}

const SORTS = ['latest', 'newest', 'replies', 'likes'] as const;

/** A category list (random sort) or Latest (its default sort): the first page, then nextCursor 0–3 times. */
function listWork(category: string | undefined): Work {
  return async (client, measure) => {
    const depth = client.rng.pick([0, 0, 1, 2, 3]);
    let url = category
      ? `/api/threads?category=${category}&limit=30&sort=${client.rng.pick(SORTS)}`
      : '/api/threads?limit=30';
    for (let page = 0; page <= depth; page++) {
      const answer = await measure(url);
      if (page === depth || answer.status !== 200) return;
      const cursor = (JSON.parse(answer.body) as { nextCursor: string | null }).nextCursor;
      if (!cursor) return;
      url = `${url.replace(/&cursor=[^&]*/, '')}&cursor=${encodeURIComponent(cursor)}`;
    }
  };
}

/** A thread page: a random thread's first page, or (30%) a page deep into a thread of 100+ posts. */
function threadWork(threads: { id: number; size: number }[]): Work {
  const big = threads.filter((t) => t.size >= 100);
  return async (client, measure) => {
    if (client.rng.next() < 0.3 && big.length) {
      const t = client.rng.pick(big);
      await measure(`/api/threads/${t.id}?limit=20&after=${client.rng.int(0, Math.max(0, t.size - 20))}`);
    } else {
      await measure(`/api/threads/${client.rng.pick(threads).id}?limit=20`);
    }
  };
}

function summarise(r: Result) {
  const sorted = (samples: Sample[]) => samples.map((s) => s.ms).sort((a, b) => a - b);
  const all = sorted(r.samples);
  return {
    requests: all.length,
    rps: all.length / (r.elapsedMs / 1000),
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all[all.length - 1] ?? Number.NaN,
    p95Anon: percentile(sorted(r.samples.filter((s) => !s.signedIn)), 95),
    p95Signed: percentile(sorted(r.samples.filter((s) => s.signedIn)), 95),
    errors: r.errors.length,
  };
}

/* ----------------------------------------------------------------- explain */

/** EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the server's rules run, captured through Kysely's log. */
async function explainQueries(url: string, viewer: User) {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lines: string[] = [];
  /** Runs `run`, then explains its last query (or all of them). */
  const explain = async (label: string, run: () => Promise<unknown>, all = false) => {
    captured.length = 0;
    await run();
    for (const [i, query] of (all ? captured : captured.slice(-1)).entries()) {
      const { rows } = await client.query(`explain (analyze, buffers) ${query.sql}`, query.parameters as unknown[]);
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN'] as string);
      const scans = new Map<string, number>();
      for (const line of plan) {
        const m =
          /(Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using (\S+))? on (\S+)/.exec(
            line,
          );
        if (m) {
          const key = `${m[1]}${m[2] ? ` using ${m[2]}` : ''} on ${m[3]}`;
          scans.set(key, (scans.get(key) ?? 0) + 1);
        }
      }
      const sorts = plan.filter((l) => /Sort Method/.test(l)).length;
      const time = (what: string) => plan.find((l) => l.startsWith(what))?.replace(`${what}: `, '') ?? '?';
      lines.push(
        `  ${label}${all ? ` (query ${i + 1})` : ''}: planning ${time('Planning Time')}, execution ${time('Execution Time')}`,
      );
      lines.push(
        `    ${[...scans].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join('; ')}${sorts ? `; sort ×${sorts}` : ''}`,
      );
    }
  };
  // the categories as a process without its directory reads them: from the database each time
  const places = placesFrom(db);
  const list = (reader: User | null, query: Parameters<typeof listThreads>[2]) =>
    listThreads(db, reader, query, places);
  try {
    await explain(`${BIG_CATEGORY}, latest, anonymous`, () =>
      list(null, { category: BIG_CATEGORY, sort: 'latest', limit: 30 }),
    );
    await explain(`${BIG_CATEGORY}, latest, signed in`, () =>
      list(viewer, { category: BIG_CATEGORY, sort: 'latest', limit: 30 }),
    );
    const first = await list(null, { category: BIG_CATEGORY, sort: 'likes', limit: 30 });
    await explain(`${BIG_CATEGORY}, likes, page 2, anonymous`, () =>
      list(null, {
        category: BIG_CATEGORY,
        sort: 'likes',
        limit: 30,
        cursor: first.nextCursor ?? undefined,
      }),
    );
    await explain(`${SUB_CATEGORY}, replies, signed in`, () =>
      list(viewer, { category: SUB_CATEGORY, sort: 'replies', limit: 30 }),
    );
    await explain('Latest, anonymous', () => list(null, { limit: 30 }));
    await explain('Latest, sort=likes, anonymous (not measured)', () => list(null, { sort: 'likes', limit: 30 }));
    await explain('Latest, filter=unread, signed in (not measured)', () =>
      list(viewer, { filter: 'unread', limit: 30 }),
    );
    await explain('Latest, filter=new, signed in (not measured)', () => list(viewer, { filter: 'new', limit: 30 }));
    const { rows } = await client.query(
      'select id::int, highest_post_number::int as n from threads where deleted_at is null order by highest_post_number desc limit 1',
    );
    const big = rows[0] as { id: number; n: number };
    await explain(
      `thread ${big.id} (${big.n} posts), after=${big.n - 100}, signed in`,
      () => getThreadDetail(db, viewer, big.id, big.n - 100, 20),
      true,
    );
  } finally {
    await client.end();
    await db.destroy();
  }
  return lines;
}

/* -------------------------------------------------------------------- main */

async function main() {
  const options = benchOptions(usage, {
    clients: { default: '20', min: 1, max: 1_000, integer: true },
    warmup: { default: '3', min: 0, max: 60 },
    seconds: { default: '15', min: 1, max: 120 },
  });
  if (typeof options === 'number') return options;
  const clients = options.clients;
  const warmupMs = options.warmup * 1000;
  const measureMs = options.seconds * 1000;

  const began = performance.now();
  const cleanups: { label: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const c of cleanups.reverse()) {
        try {
          await c.run();
        } catch (err) {
          console.error(`cleanup (${c.label}) failed:`, err);
        }
      }
    })();
    return cleaning;
  };
  const abort = (why: string, code: number) => {
    console.error(`\n${why}: stopping the server and the cluster…`);
    void cleanup().then(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  setTimeout(() => abort(`still running after ${seconds(WATCHDOG_MS)}`, 1), WATCHDOG_MS).unref();

  try {
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
        `load average ${load}, Node ${process.version}`,
    );

    // 1. A throw-away cluster with durable settings (fsync and synchronous commit on).
    const root = await mkdtemp(path.join(os.tmpdir(), 'fanlab-bench-'));
    await chmod(root, 0o755); // the postgres system user must be able to enter it when we run as root
    cleanups.push({ label: 'temp folder', run: () => rm(root, { recursive: true, force: true }) });
    let t = performance.now();
    const cluster: EmbeddedCluster = await startEmbeddedPostgres({
      dir: path.join(root, 'pg'),
      port: await freePort(),
      log: () => {},
    });
    cleanups.push({ label: 'cluster', run: () => cluster.stop() });
    await ensureDatabase(cluster.url('postgres'), DATABASE);
    const url = cluster.url(DATABASE);
    const migrationDb = connect(url, { max: 1 });
    try {
      await migrateToLatest(migrationDb);
    } finally {
      await migrationDb.destroy();
    }
    console.log(`cluster started and migrated in ${seconds(performance.now() - t)}`);

    // 2. Bulk seed.
    t = performance.now();
    console.log('seeding:');
    const seeded = await seed(url);
    console.log(
      `seeded in ${seconds(performance.now() - t)}: ${USERS} users, ${CATEGORIES.length} categories, ` +
        `${THREADS} threads (${seeded.threads.length} not deleted), ${seeded.facts.posts} posts ` +
        `(biggest thread ${seeded.facts.biggest}), ${seeded.facts.likes} likes, ${seeded.facts.reads} read markers; ` +
        `database ${seeded.facts.size}`,
    );

    // 3. The real server.
    t = performance.now();
    const server = await startServer(url);
    cleanups.push({ label: 'server', run: () => stopServer(server) });
    console.log(`server ready at ${server.baseUrl} in ${seconds(performance.now() - t)}`);

    // 4. A signed-in reader who has read some threads (created as the CLI does: sign-up over HTTP
    // would wait for a mailed link).
    const accounts = connect(url, { max: 1 });
    const readerId = (
      await createUser(accounts, {
        username: 'bench_reader',
        email: 'reader@bench.example',
        password: 'bench-reader-pass',
      })
    ).id;
    await accounts.destroy();
    const signIn = await fetch(`${server.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: server.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'bench_reader', password: 'bench-reader-pass' }),
    });
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
    if (signIn.status !== 200 || !cookie) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let viewer: User;
    let postmaster: number | undefined;
    try {
      await admin.query(
        `insert into thread_reads (user_id, thread_id, last_read_post_number)
         select $1, id, greatest(1, highest_post_number - (id % 3)::int) from threads where id % 17 = 0`,
        [readerId],
      );
      await admin.query('analyze thread_reads');
      // The user as a session hands it to the rules: the account row without its password hash.
      const { password_hash: _, ...user } = (await admin.query('select * from users where id = $1', [readerId]))
        .rows[0] as UserRow;
      viewer = user;
    } finally {
      await admin.end();
    }

    // 5. Load. (The postmaster's pid, for the CPU columns: it and its children are PostgreSQL.)
    try {
      postmaster = Number(readFileSync(path.join(cluster.dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      postmaster = undefined;
    }
    const opts: LoadOptions = {
      baseUrl: server.baseUrl,
      cookie,
      clients,
      warmupMs,
      measureMs,
      pids: { server: server.child.pid, postmaster },
    };
    const scenarios = [
      {
        key: 'a',
        label: `category list, big category '${BIG_CATEGORY}' (3,000 threads + 3 sub-categories), random sort and depth`,
        work: listWork(BIG_CATEGORY),
        target: true,
      },
      {
        key: 'b',
        label: `category list, sub-category '${SUB_CATEGORY}', random sort and depth`,
        work: listWork(SUB_CATEGORY),
        target: false,
      },
      { key: 'c', label: 'Latest, all categories, random depth', work: listWork(undefined), target: false },
      {
        key: 'd',
        label: 'thread page, limit 20 (30% at a random ?after= in threads of 100+ posts)',
        work: threadWork(seeded.threads),
        target: true,
      },
    ];
    console.log(
      `\nload: ${clients} concurrent clients (half signed in), closed loop, ${seconds(warmupMs)} warm-up + ` +
        `${seconds(measureMs)} measured per scenario`,
    );
    const results: { s: (typeof scenarios)[number]; sum: ReturnType<typeof summarise>; r: Result }[] = [];
    for (const s of scenarios) {
      console.log(`  (${s.key}) ${s.label}`);
      const r = await runScenario(s.work, opts);
      results.push({ s, sum: summarise(r), r });
      if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    }

    const ms = (n: number) => (Number.isNaN(n) ? '?' : n.toFixed(1)).padStart(6);
    const pct = (n: number) => (Number.isNaN(n) ? '?' : n.toFixed(0)).padStart(4);
    console.log(
      `\n     ${'req'.padStart(6)} ${'req/s'.padStart(6)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'p99'.padStart(6)} ` +
        `${'max'.padStart(6)}  p95 anon signed  errors  CPU% server   pg load rest  target`,
    );
    for (const { s, sum, r } of results) {
      const verdict = s.target ? (sum.p95 < TARGET_P95_MS && sum.errors === 0 ? 'PASS' : 'FAIL') : '-';
      console.log(
        `(${s.key})  ${String(sum.requests).padStart(6)} ${sum.rps.toFixed(0).padStart(6)} ${ms(sum.p50)} ${ms(sum.p95)} ` +
          `${ms(sum.p99)} ${ms(sum.max)}  ${ms(sum.p95Anon).padStart(8)} ${ms(sum.p95Signed)}  ${String(sum.errors).padStart(6)}` +
          `  ${pct(r.cpu.server).padStart(11)} ${pct(r.cpu.postgres)} ${pct(r.cpu.load)} ${pct(r.cpu.rest)}  ${verdict}`,
      );
    }
    console.log(
      `(latencies in ms, request sent to response read; CPU in % of one core during the measured window, ` +
        `'rest' = other processes and kernel time; ` +
        `target: p95 < ${TARGET_P95_MS} ms and no errors for (a) and (d))`,
    );
    for (const { s, r } of results) {
      for (const e of r.errors.slice(0, 3)) console.log(`  error in (${s.key}): ${e.status} ${e.url} ${e.body}`);
    }
    const serverLog = server.output().trim();
    if (serverLog) console.log(`\nserver output (warn and above):\n${serverLog.slice(-3000)}`);

    // 6. The plans of the queries behind the measured endpoints.
    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the SQL the rules run, warm cache:');
    for (const line of await explainQueries(url, viewer)) console.log(line);

    const failed = results.some(({ s, sum }) => sum.errors > 0 || (s.target && !(sum.p95 < TARGET_P95_MS)));
    console.log(`\ntotal ${seconds(performance.now() - began)}; result: ${failed ? 'FAIL' : 'PASS'}`);
    return failed ? 1 : 0;
  } finally {
    agent.destroy();
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

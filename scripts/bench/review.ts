// npm run bench:review: the review-queue targets of issue 9 (moderation), measured end to end.
//
//   "With 10,000 pending reviewables and 50,000 flags: the queue's first page p95 < 20 ms at 20
//    clients; 200 moderators acting concurrently on overlapping items: every item decided exactly
//    once, the losers get a clear 409; hiding a post is seen by an open thread page within 1 s
//    (live)."
//
// A throw-away durable embedded PostgreSQL is seeded with set-based SQL (members, threads, posts)
// and a moderation history planned here by the real rules (flag weights from scoring.ts, score =
// summed weights, top reason, posts and threads hidden at the hide score), the real server runs as
// a child process, moderators sign in over HTTP, and this process measures (a) the queue under
// 20 closed-loop moderators, (b) 200 moderators deciding overlapping items at once, verified
// against the database, (c) flags hiding posts while their thread pages listen on websockets.
// Everything it started is stopped and removed at the end, also on failure or Ctrl-C.
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type FlagReason, flagReasons, type ServerMessage } from '@fanlab/shared';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import WebSocket from 'ws';
import { createUser } from '../../server/src/auth/actions';
import { connect } from '../../server/src/db/connect';
import type { Database } from '../../server/src/db/schema';
import { listQueue } from '../../server/src/moderation/queries';
import { flagWeight, reachesHideScore } from '../../server/src/moderation/scoring';
import { defaultModerationSettings } from '../../server/src/moderation/settings';
import { randomPicker } from '../lib/random';
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
  sleep,
  startServer,
  stopServer,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:review [-- --clients 20 --warmup 3 --seconds 15]

Seeds 5,000 members, 250 moderators, 6,000 threads, ~90,000 posts, a decided flag history and
10,000 pending reviewables with 50,000 flags into a throw-away embedded PostgreSQL, starts the real
server and measures (a) the review queue under --clients moderators, (b) 200 moderators deciding
250 items at once (1,000 requests), (c) flag → post_updated on open thread pages (50 posts).`;

const MEMBERS = 5_000;
const MODERATORS = 250;
const THREADS = 6_000;
const PENDING = 10_000;
const PENDING_FLAGS = 50_000;
/** Decided reviewables before the backlog: they give the flaggers their accuracy (weights). */
const HISTORY = 3_000;
const HIDE_SCORE = defaultModerationSettings.flagHideScore;
/** (b): moderators, items, and rounds (each moderator sends one request per round). */
const DECIDERS = 200;
const CONTESTED = 250;
const ROUNDS = 5;
/** (c): posts hidden while their thread page listens, by this many fresh members (3 flags each). */
const LIVE_POSTS = 50;
const LIVE_FLAGGERS = 10;
const TARGET_QUEUE_P95_MS = 20;
const TARGET_LIVE_P99_MS = 1_000;
const DATABASE = 'fanlab_review_bench';
const WATCHDOG_MS = 12 * 60_000;
const HOST = '127.0.0.1'; // the only address this script sends load to
/**
 * Sign-in is limited to 30 per client address per 10 minutes: the moderators sign in from
 * several loopback source addresses (127.0.0.2–17, all this machine), as they would from their
 * own machines, instead of lifting the limit.
 */
const SIGN_IN_ADDRESSES = 16;
const MODERATOR_PASSWORD = 'bench-moderator-pass-7';
const FLAGGER_PASSWORD = 'bench-flagger-pass-7';
const DAY = 86_400;

/* --------------------------------------------------------------- the plan */

const CATEGORIES = [
  { slug: 'phones', name: 'Phones' },
  { slug: 'nova-12', name: 'Nova 12', parent: 'phones' },
  { slug: 'lite-5', name: 'Lite 5', parent: 'phones' },
  { slug: 'fanos', name: 'FanOS' },
  { slug: 'tv', name: 'TV' },
  { slug: 'smart-home', name: 'Smart home' },
  { slug: 'beta-feedback', name: 'Beta feedback' },
  { slug: 'marketplace', name: 'Marketplace' },
  { slug: 'off-topic', name: 'Off topic' },
  { slug: 'espanol', name: 'Español' },
];

const SENTENCES = [
  'Same here since the last update.',
  'A restart fixes it for a day or two, then it comes back.',
  'Did you try safe mode? If it is fine there, an app is to blame.',
  'Support answered within a day.',
  'Buy cheap followers at the link in my profile!!!',
  'This is the worst forum I have ever seen, you are all clueless.',
  'Which firmware version are you on? Settings, About shows it.',
  'I would honestly pay for that.',
  'Anyone selling a used Nova 12? DM me.',
  'Great write-up, thanks for taking the time.',
  'Happens to me too, but only now and then.',
  'Limited offer: free gift cards, just enter your password here.',
  'Following this thread, I am curious what the team says.',
  'Off topic, but has anyone seen the match last night?',
];

const REASON_SHARE: [FlagReason, number][] = [
  ['spam', 0.35],
  ['rude', 0.2],
  ['off_topic', 0.25],
  ['duplicate', 0.1],
  ['other', 0.1],
];
const OTHER_MESSAGES = ['Looks like a bot account', 'Personal data of someone else', 'Posted in the wrong language'];

interface PostInfo {
  id: number;
  threadId: number;
  postNumber: number;
  authorId: number;
  categoryId: number;
  createdS: number;
}

interface PlannedFlag {
  userId: number;
  reason: FlagReason;
  message: string | null;
  duplicateOf: number | null;
  atS: number;
  id: number;
  weight: number;
}

interface PlannedItem {
  id: number;
  post: PostInfo;
  flags: PlannedFlag[];
  /** History items only: when and by whom decided, and how. */
  decision?: { status: 'agreed' | 'disagreed' | 'ignored'; atS: number; by: number };
  score: number;
  topReason: FlagReason;
  hiddenAtS: number | null;
  hiddenReason: FlagReason | null;
  hiddenBy: number | null;
  updatedS: number;
  version: number;
  deferredUntilS: number | null;
  claimedBy: number | null;
  claimedAtS: number | null;
}

interface HistoryRow {
  reviewableId: number;
  actorId: number | null;
  action: string;
  data: string;
  atS: number;
}

/**
 * The moderation state the real rules would have written, event by event in time order: each
 * flag weighs what its flagger's record at that moment gives (scoring.ts), a reviewable's score is
 * its flags' weights summed in order, its top reason the one with the most weight (first flag
 * wins a tie), the post hides when the score reaches the hide score; a decision sets every flag's
 * status and moves its flaggers' records.
 */
function planModeration(posts: PostInfo[], memberIds: number[], moderatorIds: number[], threadIds: number[]) {
  const rng = randomPicker(9);
  const now = Date.now() / 1000;
  const moderators = new Set(moderatorIds);
  const byTime = [...posts].sort((a, b) => a.createdS - b.createdS);
  const taken = new Set<number>();
  /** Member index → how often their flags are right (history outcomes follow it). */
  const reliability = memberIds.map(() => 0.15 + 0.85 * rng.next() ** 0.5);
  const memberIndex = new Map(memberIds.map((id, i) => [id, i]));
  const lowerBound = (s: number) => {
    let lo = 0;
    let hi = byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((byTime[mid] as PostInfo).createdS < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** A post written in the month before `t0`, not flagged before (10%: a thread's first post). */
  const pickPost = (t0: number): PostInfo => {
    const from = lowerBound(t0 - 30 * DAY);
    const to = Math.max(from + 1, lowerBound(t0 - 600));
    const wantFirst = rng.next() < 0.1;
    for (let tries = 0; tries < 400; tries++) {
      const p = byTime[from + Math.floor(rng.next() * (to - from))] as PostInfo;
      if (taken.has(p.id)) continue;
      if (wantFirst && p.postNumber !== 1 && tries < 300) continue;
      taken.add(p.id);
      return p;
    }
    throw new Error('no unflagged post left in the window');
  };
  const pickReason = (): FlagReason => {
    let r = rng.next();
    for (const [reason, share] of REASON_SHARE) {
      r -= share;
      if (r < 0) return reason;
    }
    return 'spam';
  };
  /** `n` distinct members, heavy flaggers first (a few members flag a lot), never the author. */
  const pickFlaggers = (n: number, authorId: number): number[] => {
    const chosen = new Set<number>();
    while (chosen.size < n) {
      const u = memberIds[Math.floor(memberIds.length * rng.next() ** 3)] as number;
      if (u !== authorId) chosen.add(u);
    }
    return [...chosen];
  };
  const newItem = (post: PostInfo): PlannedItem => ({
    id: 0,
    post,
    flags: [],
    score: 0,
    topReason: 'spam',
    hiddenAtS: null,
    hiddenReason: null,
    hiddenBy: null,
    updatedS: 0,
    version: 1,
    deferredUntilS: null,
    claimedBy: null,
    claimedAtS: null,
  });
  const addFlags = (item: PlannedItem, users: number[], t0: number, meanGapS: number) => {
    const dominant = pickReason();
    let t = t0;
    for (const userId of users) {
      const reason = rng.next() < 0.75 ? dominant : rng.pick(flagReasons);
      let duplicateOf: number | null = null;
      while (reason === 'duplicate' && (duplicateOf === null || duplicateOf === item.post.threadId)) {
        duplicateOf = rng.pick(threadIds);
      }
      item.flags.push({
        userId,
        reason,
        message: reason === 'other' ? rng.pick(OTHER_MESSAGES) : null,
        duplicateOf,
        atS: Math.min(t, now - 60),
        id: 0,
        weight: 0,
      });
      t += -Math.log(1 - rng.next()) * meanGapS;
    }
  };

  // History: decided items from 200 to 45 days ago, 1–6 flags each.
  const history: PlannedItem[] = [];
  for (let i = 0; i < HISTORY; i++) {
    const t0 = now - 200 * DAY + rng.next() * 155 * DAY;
    const item = newItem(pickPost(t0));
    const users = pickFlaggers(1 + Math.floor(6 * rng.next() ** 1.5), item.post.authorId);
    addFlags(item, users, t0, 4 * 3600);
    const last = (item.flags[item.flags.length - 1] as PlannedFlag).atS;
    const right = users.reduce((s, u) => s + (reliability[memberIndex.get(u) as number] as number), 0) / users.length;
    const status = rng.next() < right ? 'agreed' : rng.next() < 0.7 ? 'disagreed' : 'ignored';
    item.decision = { status, atS: last + 3600 + rng.next() * 47 * 3600, by: rng.pick(moderatorIds) };
    history.push(item);
  }

  // The backlog: 10,000 pending items over the last 6 weeks with exactly 50,000 flags between them.
  const sizes = Array.from({ length: PENDING }, () => {
    const r = rng.next();
    return r < 0.25
      ? 1
      : r < 0.45
        ? 2
        : r < 0.6
          ? 3
          : r < 0.8
            ? rng.int(4, 6)
            : r < 0.95
              ? rng.int(7, 15)
              : rng.int(16, 40);
  });
  let total = sizes.reduce((a, b) => a + b, 0);
  while (total !== PENDING_FLAGS) {
    const i = Math.floor(rng.next() * PENDING);
    const n = sizes[i] as number;
    if (total < PENDING_FLAGS && n < 40) {
      sizes[i] = n + 1;
      total++;
    } else if (total > PENDING_FLAGS && n > 1) {
      sizes[i] = n - 1;
      total--;
    }
  }
  const pending: PlannedItem[] = [];
  for (let i = 0; i < PENDING; i++) {
    const t0 = now - 42 * DAY + rng.next() * (42 * DAY - 3600);
    const item = newItem(pickPost(t0));
    const users = pickFlaggers(sizes[i] as number, item.post.authorId);
    // 2%: one of the flags is a moderator's (it weighs the whole hide score)
    if (rng.next() < 0.02) users[Math.floor(rng.next() * users.length)] = rng.pick(moderatorIds);
    addFlags(item, users, t0, 5 * 3600);
    pending.push(item);
  }

  // Ids follow time, as they would have been given.
  const items = [...history, ...pending].sort(
    (a, b) => (a.flags[0] as PlannedFlag).atS - (b.flags[0] as PlannedFlag).atS,
  );
  items.forEach((item, i) => {
    item.id = i + 1;
  });
  const flags = items.flatMap((item) => item.flags.map((flag) => ({ item, flag })));
  flags.sort((a, b) => a.flag.atS - b.flag.atS);
  flags.forEach(({ flag }, i) => {
    flag.id = i + 1;
  });

  // Replay in time order: flags and (history) decisions.
  type Event = { atS: number; item: PlannedItem; flag?: PlannedFlag };
  const events: Event[] = [
    ...flags.map(({ item, flag }): Event => ({ atS: flag.atS, item, flag })),
    ...history.map((item): Event => ({ atS: item.decision?.atS as number, item })),
  ];
  events.sort((a, b) => a.atS - b.atS || (a.flag ? 0 : 1) - (b.flag ? 0 : 1));
  const records = new Map<number, { agreed: number; disagreed: number }>();
  const recordOf = (u: number) => {
    let r = records.get(u);
    if (!r) {
      r = { agreed: 0, disagreed: 0 };
      records.set(u, r);
    }
    return r;
  };
  const rows: HistoryRow[] = [];
  const sums = new Map<PlannedItem, Map<FlagReason, number>>();
  for (const { atS, item, flag } of events) {
    if (flag) {
      const rec = recordOf(flag.userId);
      flag.weight = flagWeight(
        { staff: moderators.has(flag.userId), trustLevel: 1, flagsAgreed: rec.agreed, flagsDisagreed: rec.disagreed },
        defaultModerationSettings,
      );
      item.score = item.flags[0] === flag ? flag.weight : item.score + flag.weight;
      let bySum = sums.get(item);
      if (!bySum) {
        bySum = new Map();
        sums.set(item, bySum);
      }
      // Map keeps first-insertion order: the reason flagged first wins a tie, like min(id).
      bySum.set(flag.reason, (bySum.get(flag.reason) ?? 0) + flag.weight);
      let top: [FlagReason, number] = [flag.reason, Number.NEGATIVE_INFINITY];
      for (const [reason, sum] of bySum) if (sum > top[1]) top = [reason, sum];
      item.topReason = top[0];
      item.updatedS = atS;
      rows.push({
        reviewableId: item.id,
        actorId: flag.userId,
        action: 'flagged',
        data: JSON.stringify({ reason: flag.reason, weight: flag.weight }),
        atS,
      });
      if (item.hiddenAtS === null && reachesHideScore(item.score, HIDE_SCORE)) {
        item.hiddenAtS = atS;
        item.hiddenReason = item.topReason;
        rows.push({
          reviewableId: item.id,
          actorId: null,
          action: 'hidden',
          data: JSON.stringify({ score: item.score }),
          atS,
        });
      }
    } else if (item.decision) {
      const { status, by } = item.decision;
      for (const f of item.flags) {
        if (status === 'agreed') recordOf(f.userId).agreed++;
        if (status === 'disagreed') recordOf(f.userId).disagreed++;
      }
      if (status === 'agreed') {
        if (item.hiddenAtS === null) {
          item.hiddenAtS = atS;
          item.hiddenReason = item.topReason;
        }
        item.hiddenBy = by;
      } else {
        item.hiddenAtS = null;
        item.hiddenReason = null;
      }
      item.version = 2;
      item.updatedS = atS;
      rows.push({ reviewableId: item.id, actorId: by, action: status, data: JSON.stringify({ deleted: false }), atS });
    }
  }

  // A few pending items are deferred (out of the queue for up to a day) or claimed right now.
  for (const item of pending) {
    const r = rng.next();
    if (r < 0.02 && item.updatedS < now - 2 * DAY) {
      const remaining = rng.next() * DAY;
      const by = rng.pick(moderatorIds);
      item.deferredUntilS = now + remaining;
      item.version = 2;
      item.updatedS = now - DAY + remaining;
      rows.push({ reviewableId: item.id, actorId: by, action: 'deferred', data: '{}', atS: item.updatedS });
    } else if (r > 0.99) {
      item.claimedBy = rng.pick(moderatorIds);
      item.claimedAtS = now - rng.next() * 1800;
      rows.push({
        reviewableId: item.id,
        actorId: item.claimedBy,
        action: 'claimed',
        data: '{}',
        atS: item.claimedAtS,
      });
    }
  }
  rows.sort((a, b) => a.atS - b.atS);
  return { items, flags: flags.map((f) => ({ ...f.flag, reviewableId: f.item.id, item: f.item })), rows, records };
}

/* ----------------------------------------------------------------- seeding */

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

async function seedForum(q: Query, step: (label: string, run: () => Promise<unknown>) => Promise<void>) {
  await q('select setseed(0.42)');
  await step(`members (${MEMBERS})`, () =>
    q(
      `insert into users (username, email, password_hash, created_at, password_changed_at)
       select 'fan_' || g, 'fan_' || g || '@bench.example', '!', now() - interval '3 years' + g * interval '3 minutes',
              now() - interval '3 years'
       from generate_series(1, $1::int) g`,
      [MEMBERS],
    ),
  );
  // Long-standing members (trust level 2), like the live flaggers made with createUser: new
  // members (level 0) may not flag with the default site settings.
  await step('trust levels', () => q('update users set trust_level = 2'));
  const memberIds = (await q(`select id from users where username like 'fan\\_%' order by id`)).rows.map((r) =>
    Number(r.id),
  );
  const categoryIds = new Map<string, number>();
  for (const [i, c] of CATEGORIES.entries()) {
    const { rows } = await q(
      'insert into categories (parent_id, slug, name, position) values ($1, $2, $3, $4) returning id',
      [c.parent ? categoryIds.get(c.parent) : null, c.slug, c.name, i],
    );
    categoryIds.set(c.slug, Number(rows[0].id));
  }
  await step(`threads (${THREADS})`, () =>
    q(
      `insert into threads (category_id, kind, title, author_id, created_at, bumped_at, last_poster_id,
                            highest_post_number, post_count)
       select category_id, 'discussion', title, author_id, created_at, created_at, author_id, size, size
       from (
         select ($1::bigint[])[1 + floor(random() * $2::int)::int] as category_id,
                'Thread ' || g || ': ' || ($3::text[])[1 + floor(random() * $4::int)::int] as title,
                ($5::bigint[])[1 + floor($6::int * random() ^ 1.5)::int] as author_id,
                now() - interval '365 days' + (g::float8 / $7::int) * interval '364 days' as created_at,
                1 + floor(29 * random() ^ 1.4)::int as size
         from generate_series(1, $7::int) g
       ) x
       order by created_at`,
      [[...categoryIds.values()], categoryIds.size, SENTENCES, SENTENCES.length, memberIds, MEMBERS, THREADS],
    ),
  );
  await step('posts', () =>
    q(
      `insert into posts (thread_id, post_number, author_id, raw, cooked, created_at)
       select thread_id, n, author_id, raw, '<p>' || raw || '</p>', created_at
       from (
         select t.id as thread_id, n,
                case when n = 1 then t.author_id
                     else ($2::bigint[])[1 + floor($3::int * random() ^ 1.5)::int] end as author_id,
                ($1::text[])[1 + floor(random() * $4::int)::int] || ' ' || ($1::text[])[1 + floor(random() * $4::int)::int]
                  as raw,
                least(now() - interval '1 minute',
                      t.created_at + (n - 1) * interval '5 hours' + random() * interval '4 hours') as created_at
         from threads t cross join lateral generate_series(1, t.highest_post_number) n
         offset 0
       ) x
       order by created_at`,
      [SENTENCES, memberIds, MEMBERS, SENTENCES.length],
    ),
  );
  await step('thread and category counters', async () => {
    await q(
      `update threads t set bumped_at = a.last_at, last_poster_id = a.last_author
       from (select thread_id, max(created_at) as last_at, (array_agg(author_id order by post_number desc))[1] as last_author
             from posts group by thread_id) a
       where a.thread_id = t.id`,
    );
    await q(
      `update categories c set thread_count = (select count(*) from threads t where t.category_id = c.id and t.deleted_at is null)`,
    );
  });
  return { memberIds, categoryIds };
}

async function seedModeration(
  q: Query,
  step: (label: string, run: () => Promise<unknown>) => Promise<void>,
  plan: ReturnType<typeof planModeration>,
) {
  const { items, flags, rows, records } = plan;
  await step(`reviewables (${items.length})`, () =>
    q(
      `insert into reviewables (id, type, post_id, thread_id, category_id, target_author_id, status, score, flag_count,
                                top_reason, claimed_by, claimed_at, deferred_until, version, created_at, updated_at,
                                decided_at, decided_by)
       overriding system value
       select id, 'flagged_post', post_id, thread_id, category_id, author_id, status, score, flag_count, top_reason,
              claimed_by, to_timestamp(claimed_at), to_timestamp(deferred_until), version, to_timestamp(created_at),
              to_timestamp(updated_at), to_timestamp(decided_at), decided_by
       from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::float8[],
                   $8::int[], $9::text[], $10::bigint[], $11::float8[], $12::float8[], $13::int[], $14::float8[],
                   $15::float8[], $16::float8[], $17::bigint[])
            as x(id, post_id, thread_id, category_id, author_id, status, score, flag_count, top_reason, claimed_by,
                 claimed_at, deferred_until, version, created_at, updated_at, decided_at, decided_by)
       order by id`,
      [
        items.map((i) => i.id),
        items.map((i) => i.post.id),
        items.map((i) => i.post.threadId),
        items.map((i) => i.post.categoryId),
        items.map((i) => i.post.authorId),
        items.map((i) => i.decision?.status ?? 'pending'),
        items.map((i) => i.score),
        items.map((i) => i.flags.length),
        items.map((i) => i.topReason),
        items.map((i) => i.claimedBy),
        items.map((i) => i.claimedAtS),
        items.map((i) => i.deferredUntilS),
        items.map((i) => i.version),
        items.map((i) => (i.flags[0] as PlannedFlag).atS),
        items.map((i) => i.updatedS),
        items.map((i) => i.decision?.atS ?? null),
        items.map((i) => i.decision?.by ?? null),
      ],
    ),
  );
  await q(`select setval(pg_get_serial_sequence('reviewables', 'id'), (select max(id) from reviewables))`);
  await step(`flags (${flags.length})`, () =>
    q(
      `insert into flags (id, reviewable_id, post_id, user_id, reason, message, duplicate_of, weight, status, created_at)
       overriding system value
       select id, reviewable_id, post_id, user_id, reason, message, duplicate_of, weight, status, to_timestamp(created_at)
       from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
                   $8::float8[], $9::text[], $10::float8[])
            as x(id, reviewable_id, post_id, user_id, reason, message, duplicate_of, weight, status, created_at)
       order by id`,
      [
        flags.map((f) => f.id),
        flags.map((f) => f.reviewableId),
        flags.map((f) => f.item.post.id),
        flags.map((f) => f.userId),
        flags.map((f) => f.reason),
        flags.map((f) => f.message),
        flags.map((f) => f.duplicateOf),
        flags.map((f) => f.weight),
        flags.map((f) => f.item.decision?.status ?? 'pending'),
        flags.map((f) => f.atS),
      ],
    ),
  );
  await q(`select setval(pg_get_serial_sequence('flags', 'id'), (select max(id) from flags))`);
  await step(`reviewable_history (${rows.length})`, () =>
    q(
      `insert into reviewable_history (reviewable_id, actor_id, action, data, created_at)
       select reviewable_id, actor_id, action, data::jsonb, to_timestamp(created_at)
       from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::float8[])
            with ordinality as x(reviewable_id, actor_id, action, data, created_at, n)
       order by n`,
      [
        rows.map((r) => r.reviewableId),
        rows.map((r) => r.actorId),
        rows.map((r) => r.action),
        rows.map((r) => r.data),
        rows.map((r) => r.atS),
      ],
    ),
  );
  const hidden = items.filter((i) => i.hiddenAtS !== null);
  await step('hidden posts and threads', async () => {
    await q(
      `update posts p set hidden_at = to_timestamp(x.at), hidden_reason = x.reason, hidden_by = x.by
       from unnest($1::bigint[], $2::float8[], $3::text[], $4::bigint[]) as x(id, at, reason, by)
       where p.id = x.id`,
      [
        hidden.map((i) => i.post.id),
        hidden.map((i) => i.hiddenAtS),
        hidden.map((i) => i.hiddenReason),
        hidden.map((i) => i.hiddenBy),
      ],
    );
    const firsts = hidden.filter((i) => i.post.postNumber === 1);
    await q(
      `update threads t set hidden_at = to_timestamp(x.at) from unnest($1::bigint[], $2::float8[]) as x(id, at)
       where t.id = x.id`,
      [firsts.map((i) => i.post.threadId), firsts.map((i) => i.hiddenAtS)],
    );
  });
  const people = [...records];
  await q(
    `update users u set flags_agreed = x.a, flags_disagreed = x.d
     from unnest($1::bigint[], $2::int[], $3::int[]) as x(id, a, d) where u.id = x.id`,
    [people.map(([id]) => id), people.map(([, r]) => r.agreed), people.map(([, r]) => r.disagreed)],
  );
}

/** What the rules keep true of reviewables, flags, posts, threads and flaggers: each returns the rows that break it. */
const INVARIANTS: [string, string][] = [
  [
    'reviewables: flag_count and score = its flags',
    `select r.id from reviewables r left join (select reviewable_id, count(*) as n, sum(weight) as w from flags group by 1) f
       on f.reviewable_id = r.id
     where f.n is null or r.flag_count <> f.n or abs(r.score - f.w) > 1e-9`,
  ],
  [
    'reviewables: top_reason = the reason with the most weight',
    `select r.id from reviewables r
     where r.top_reason <> (select reason from flags f where f.reviewable_id = r.id
                            group by reason order by sum(weight) desc, min(id) limit 1)`,
  ],
  [
    'flags: status = its reviewable status',
    'select f.id from flags f join reviewables r on r.id = f.reviewable_id where f.status <> r.status',
  ],
  [
    'users: flags_agreed / flags_disagreed = their decided flags',
    `select u.id from users u left join (select user_id, count(*) filter (where status = 'agreed') as a,
                                                  count(*) filter (where status = 'disagreed') as d
                                           from flags group by 1) f on f.user_id = u.id
     where u.flags_agreed <> coalesce(f.a, 0) or u.flags_disagreed <> coalesce(f.d, 0)`,
  ],
  [
    'pending: post hidden (by nobody yet) iff the score reaches the hide score',
    `select r.id from reviewables r join posts p on p.id = r.post_id
     where r.status = 'pending'
       and ((p.hidden_at is not null) <> (r.score >= ${HIDE_SCORE} - 1e-9) or p.hidden_by is not null)`,
  ],
  [
    'decided: agreed stays hidden by its moderator, others shown',
    `select r.id from reviewables r join posts p on p.id = r.post_id
     where (r.status = 'agreed' and (p.hidden_at is null or p.hidden_by is distinct from r.decided_by))
        or (r.status in ('disagreed', 'ignored') and p.hidden_at is not null)`,
  ],
  [
    'threads: hidden iff the first post is',
    `select t.id from threads t join posts p on p.thread_id = t.id and p.post_number = 1
     where (t.hidden_at is null) <> (p.hidden_at is null)`,
  ],
  [
    'history: one flagged row per flag, one decision per decided item, none while pending',
    `select r.id from reviewables r
     where (select count(*) from reviewable_history h where h.reviewable_id = r.id and h.action = 'flagged') <> r.flag_count
        or (select count(*) from reviewable_history h where h.reviewable_id = r.id
              and h.action in ('agreed', 'disagreed', 'ignored')) <> case when r.status = 'pending' then 0 else 1 end`,
  ],
];

async function brokenInvariants(q: Query): Promise<string[]> {
  const broken: string[] = [];
  for (const [label, text] of INVARIANTS) {
    const { rows } = await q(`select count(*)::int as n, min(id) as example from (${text}) x`);
    if (rows[0].n > 0) broken.push(`${label}: ${rows[0].n} rows (e.g. ${rows[0].example})`);
  }
  return broken;
}

/* ------------------------------------------------------------------- HTTP */

interface Answer {
  status: number;
  body: string;
  ms: number;
  cookie?: string;
}

interface Send {
  agent: http.Agent;
  cookie?: string;
  body?: unknown;
  localAddress?: string;
}

function sender(port: number, origin: string) {
  return (method: string, path: string, opts: Send): Promise<Answer> =>
    new Promise((resolve) => {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const started = performance.now();
      const req = http.request(
        {
          host: HOST,
          port,
          method,
          path,
          agent: opts.agent,
          localAddress: opts.localAddress,
          headers: {
            origin,
            accept: 'application/json',
            ...(opts.cookie ? { cookie: opts.cookie } : {}),
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
          res.on('error', (err) => resolve({ status: 0, body: err.message, ms: performance.now() - started }));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', (err) => resolve({ status: 0, body: err.message, ms: performance.now() - started }));
      req.end(payload);
    });
}
type Sender = ReturnType<typeof sender>;

interface Session {
  userId: number;
  username: string;
  cookie: string;
  agent: http.Agent;
}

/** Signs accounts in over HTTP, 4 at a time (each costs the server one argon2 verification). */
async function signInAll(send: Sender, accounts: { id: number; username: string; password: string }[]) {
  const sessions: Session[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const i = next++;
      const a = accounts[i] as (typeof accounts)[number];
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const res = await send('POST', '/api/auth/sign-in', {
        agent,
        body: { login: a.username, password: a.password },
        localAddress: `127.0.0.${2 + (i % SIGN_IN_ADDRESSES)}`,
      });
      if (res.status !== 200 || !res.cookie) throw new Error(`sign-in of ${a.username}: ${res.status} ${res.body}`);
      sessions[i] = { userId: a.id, username: a.username, cookie: res.cookie, agent };
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return sessions;
}

/* ------------------------------------------------------------------- CPU */

interface Cpu {
  server: number;
  postgres: number;
  load: number;
  rest: number;
}

function cpuMeter(pids: { server?: number; postmaster?: number }) {
  const now = () => {
    const own = process.cpuUsage();
    return {
      server: cpuMsOf(pids.server),
      postgres: cpuMsOf(pids.postmaster, true),
      load: (own.user + own.system) / 1000,
      machine: machineCpuMs().busy,
      at: performance.now(),
    };
  };
  return () => {
    const start = now();
    return (): Cpu => {
      const end = now();
      const share = (k: 'server' | 'postgres' | 'load' | 'machine') =>
        ((end[k] - start[k]) / (end.at - start.at)) * 100;
      const [server, postgres, load] = [share('server'), share('postgres'), share('load')];
      return { server, postgres, load, rest: share('machine') - server - postgres - load };
    };
  };
}

/* ------------------------------------------------------- (a) the queue load */

type QueueKind = 'first' | 'category' | 'reason' | 'deeper';

interface QueueResult {
  samples: Map<QueueKind, number[]>;
  /** Response body bytes, summed per kind. */
  bytes: Map<QueueKind, number>;
  errors: { status: number; url: string; body: string }[];
  elapsedMs: number;
  cpu: Cpu;
}

/**
 * Closed loop: each moderator asks for the queue's first page (60%: then 35% of the time page 2,
 * and half of those page 3 through nextCursor), a category's first page (20%) or a reason's (20%).
 */
async function runQueueLoad(
  send: Sender,
  sessions: Session[],
  opts: { warmupMs: number; measureMs: number; categoryIds: number[]; meter: ReturnType<typeof cpuMeter> },
): Promise<QueueResult> {
  const samples = new Map<QueueKind, number[]>([
    ['first', []],
    ['category', []],
    ['reason', []],
    ['deeper', []],
  ]);
  const bytes = new Map<QueueKind, number>();
  const errors: QueueResult['errors'] = [];
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const stopAt = measureFrom + opts.measureMs;
  let stopCpu: (() => Cpu) | undefined;
  const timer = setTimeout(() => {
    stopCpu = opts.meter();
  }, opts.warmupMs);
  const loop = async (s: Session, i: number) => {
    const rng = randomPicker(500 + i);
    const measure = async (kind: QueueKind, url: string) => {
      const begun = performance.now();
      const answer = await send('GET', url, { agent: s.agent, cookie: s.cookie });
      if (begun >= measureFrom && begun < stopAt) {
        samples.get(kind)?.push(answer.ms);
        bytes.set(kind, (bytes.get(kind) ?? 0) + Buffer.byteLength(answer.body));
        if (answer.status !== 200) errors.push({ status: answer.status, url, body: answer.body.slice(0, 300) });
      }
      return answer;
    };
    while (performance.now() < stopAt) {
      const r = rng.next();
      if (r < 0.6) {
        let answer = await measure('first', '/api/review?limit=25');
        const depth = rng.next() < 0.35 ? (rng.next() < 0.5 ? 1 : 2) : 0;
        for (let page = 0; page < depth && answer.status === 200; page++) {
          const cursor = (JSON.parse(answer.body) as { nextCursor: string | null }).nextCursor;
          if (!cursor) break;
          answer = await measure('deeper', `/api/review?limit=25&cursor=${encodeURIComponent(cursor)}`);
        }
      } else if (r < 0.8) {
        await measure('category', `/api/review?limit=25&category=${rng.pick(opts.categoryIds)}`);
      } else {
        await measure('reason', `/api/review?limit=25&reason=${rng.pick(flagReasons)}`);
      }
    }
  };
  try {
    await Promise.all(sessions.map(loop));
  } finally {
    clearTimeout(timer);
  }
  const cpu = stopCpu?.() ?? { server: Number.NaN, postgres: Number.NaN, load: Number.NaN, rest: Number.NaN };
  for (const list of samples.values()) list.sort((a, b) => a - b);
  return { samples, bytes, errors, elapsedMs: opts.measureMs, cpu };
}

/** Reads the whole pending queue page by page (limit 100): every item once, in score order. */
async function walkQueue(send: Sender, s: Session) {
  const seen = new Set<number>();
  let duplicates = 0;
  let misordered = 0;
  let pages = 0;
  let last: [number, number] | undefined;
  let cursor: string | null = null;
  do {
    const url: string = `/api/review?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await send('GET', url, { agent: s.agent, cookie: s.cookie });
    if (res.status !== 200) throw new Error(`queue walk: ${res.status} ${res.body.slice(0, 300)}`);
    const page = JSON.parse(res.body) as { items: { id: number; score: number }[]; nextCursor: string | null };
    pages++;
    for (const item of page.items) {
      if (seen.has(item.id)) duplicates++;
      seen.add(item.id);
      if (last && !(item.score < last[0] || (item.score === last[0] && item.id > last[1]))) misordered++;
      last = [item.score, item.id];
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { items: seen.size, duplicates, misordered, pages };
}

/* ----------------------------------------------------------------- explain */

const SCAN =
  /(Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using (\S+))? on (\S+)(?: (\w+))?/;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL the queue route runs (listQueue: one query), captured
 * through Kysely's query log, as the server runs it: a prepared statement under
 * plan_cache_mode = force_generic_plan (db/connect.ts).
 */
async function explainQueue(url: string, categoryId: number) {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set plan_cache_mode = force_generic_plan');
  const lines: string[] = [];
  let n = 0;
  const literal = (v: unknown): string =>
    typeof v === 'number'
      ? String(v)
      : v === null
        ? 'null'
        : Array.isArray(v)
          ? client.escapeLiteral(`{${v.join(',')}}`)
          : client.escapeLiteral(String(v));
  const explain = async (label: string, run: () => Promise<unknown>) => {
    captured.length = 0;
    await run();
    for (const query of captured) {
      const name = `bench_q${n++}`;
      await client.query(`prepare ${name} as ${query.sql}`);
      const args = query.parameters.length ? `(${query.parameters.map(literal).join(', ')})` : '';
      const { rows } = await client.query(`explain (analyze, buffers) execute ${name}${args}`);
      await client.query(`deallocate ${name}`);
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN'] as string);
      const scans = new Map<string, number>();
      for (const line of plan) {
        const m = SCAN.exec(line);
        if (m) {
          const key = `${m[1]}${m[2] ? ` using ${m[2]}` : ''} on ${m[3]}${m[4] ? ` ${m[4]}` : ''}`;
          scans.set(key, (scans.get(key) ?? 0) + 1);
        }
      }
      const sorts = plan.filter((l) => /Sort Method/.test(l)).map((l) => l.trim().replace('Sort Method: ', ''));
      const time = (what: string) => plan.find((l) => l.startsWith(what))?.replace(`${what}: `, '') ?? '?';
      const buffers = plan.find((l) => l.trim().startsWith('Buffers:'))?.trim() ?? '';
      lines.push(
        `  ${label}, listQueue: planning ${time('Planning Time')}, execution ${time('Execution Time')}; ${buffers}`,
      );
      lines.push(
        `    ${[...scans].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join('; ')}${sorts.length ? `; sort: ${sorts.join(', ')}` : ''}`,
      );
    }
  };
  const page = (filter: Parameters<typeof listQueue>[1], after?: readonly [number, number]) =>
    listQueue(db, filter, 25, after);
  try {
    const first = await page({ status: 'pending' });
    await explain('first page', () => page({ status: 'pending' }));
    const last = first[24];
    if (last) await explain('page 2 (cursor)', () => page({ status: 'pending' }, [last.score, last.id]));
    await explain(`category ${categoryId}`, () => page({ status: 'pending', categoryId }));
    await explain('reason other', () => page({ status: 'pending', reason: 'other' }));
  } finally {
    await client.end();
    await db.destroy();
  }
  return lines;
}

/* ------------------------------------------------------ (b) the decisions */

const ACTIONS = [
  { label: 'agree', body: { action: 'agree' } },
  { label: 'disagree', body: { action: 'disagree' } },
  { label: 'ignore', body: { action: 'ignore' } },
  {
    label: 'agree, delete, silence 1 day',
    body: { action: 'agree', deletePost: true, sanction: { kind: 'silence', days: 1, reason: 'Spam (bench)' } },
  },
] as const;
const STATUS_OF = { agree: 'agreed', disagree: 'disagreed', ignore: 'ignored' } as const;

interface DecisionAnswer {
  item: number;
  moderator: number;
  slot: number;
  status: number;
  code: string | undefined;
  ms: number;
}

/**
 * 200 moderators, 5 rounds: in round r moderator m (slot s = m div 50) acts on item
 * 50r + ((m mod 50) + 7·r·s) mod 50, so every item gets 4 moderators with 4 different actions,
 * and the four meet in other groups in other rounds. Each reads its items first (the version it
 * will send), then all fire at once; each moderator sends its next request when its last is answered.
 */
async function runDecisions(send: Sender, deciders: Session[], targets: number[]) {
  const plan = deciders.map((_, m) =>
    Array.from({ length: ROUNDS }, (_, r) => {
      const slot = Math.floor(m / 50);
      return { item: targets[50 * r + (((m % 50) + 7 * r * slot) % 50)] as number, slot };
    }),
  );
  // Every moderator reads the items it will act on.
  const versions = new Map<string, number>();
  let next = 0;
  const reads = deciders.flatMap((s, m) => (plan[m] ?? []).map((p) => ({ s, m, item: p.item })));
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < reads.length) {
        const { s, m, item } = reads[next++] as (typeof reads)[number];
        const res = await send('GET', `/api/review/${item}`, { agent: s.agent, cookie: s.cookie });
        if (res.status !== 200) throw new Error(`reading review item ${item}: ${res.status} ${res.body}`);
        versions.set(`${m}:${item}`, (JSON.parse(res.body) as { version: number }).version);
      }
    }),
  );
  const answers: DecisionAnswer[] = [];
  const began = performance.now();
  await Promise.all(
    deciders.map(async (s, m) => {
      for (const { item, slot } of plan[m] ?? []) {
        const body = { ...ACTIONS[slot]?.body, version: versions.get(`${m}:${item}`) };
        const res = await send('POST', `/api/review/${item}/actions`, { agent: s.agent, cookie: s.cookie, body });
        let code: string | undefined;
        try {
          code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        answers.push({ item, moderator: s.userId, slot, status: res.status, code, ms: res.ms });
      }
    }),
  );
  return { answers, wallMs: performance.now() - began };
}

async function verifyDecisions(q: Query, targets: number[], answers: DecisionAnswer[]) {
  const problems: string[] = [];
  const { rows } = await q(
    `select r.id, r.status, r.version, r.decided_by, r.target_author_id,
            (select count(*)::int from reviewable_history h where h.reviewable_id = r.id
               and h.action in ('agreed', 'disagreed', 'ignored')) as decisions,
            (select count(*)::int from flags f where f.reviewable_id = r.id and f.status <> r.status) as flags_off,
            (select count(*)::int from audit_log a where a.action = 'review.decided'
               and (a.data->>'reviewable')::bigint = r.id) as audits,
            p.hidden_at is not null as hidden, p.hidden_by,
            case when p.post_number = 1 then t.deleted_at is not null else p.deleted_at is not null end as deleted,
            coalesce(u.silenced_until > now(), false) as author_silenced
     from reviewables r join posts p on p.id = r.post_id join threads t on t.id = r.thread_id
     join users u on u.id = r.target_author_id
     where r.id = any($1::bigint[])`,
    [targets],
  );
  const winners = new Map<number, DecisionAnswer[]>();
  for (const a of answers) {
    if (a.status === 200) winners.set(a.item, [...(winners.get(a.item) ?? []), a]);
    else if (a.status !== 409 || a.code !== 'review_conflict') {
      problems.push(`item ${a.item}: answered ${a.status} ${a.code ?? ''} (expected 200, or 409 review_conflict)`);
    }
  }
  if (rows.length !== targets.length) problems.push(`${targets.length - rows.length} target items not found`);
  for (const r of rows) {
    const id = Number(r.id);
    const won = winners.get(id) ?? [];
    if (won.length !== 1) {
      problems.push(`item ${id}: ${won.length} winning answers`);
      continue;
    }
    const w = won[0] as DecisionAnswer;
    const action = ACTIONS[w.slot]?.body.action as keyof typeof STATUS_OF;
    const expected = STATUS_OF[action];
    const wrong = [
      r.status !== expected && `status ${r.status}, the winner sent ${action}`,
      Number(r.decided_by) !== w.moderator && `decided_by ${r.decided_by}, the winner was ${w.moderator}`,
      r.decisions !== 1 && `${r.decisions} decision rows in reviewable_history`,
      r.audits !== 1 && `${r.audits} review.decided audit rows`,
      r.flags_off > 0 && `${r.flags_off} flags whose status is not the item's`,
      r.version !== 2 && `version ${r.version} (expected 2)`,
      expected === 'agreed' &&
        (!r.hidden || Number(r.hidden_by) !== w.moderator) &&
        'agreed but not hidden by the winner',
      expected !== 'agreed' && r.hidden && `${expected} but still hidden`,
      w.slot === 3 && !r.deleted && 'agreed with deletePost but not deleted',
      w.slot === 3 && !r.author_silenced && 'agreed with a silence but the author is not silenced',
    ].filter(Boolean);
    for (const why of wrong) problems.push(`item ${id}: ${why}`);
  }
  return { problems, winners: [...winners.values()].reduce((n, w) => n + w.length, 0) };
}

/* ---------------------------------------------------------------- (c) live */

interface LiveSample {
  postId: number;
  /** Third flag sent → post_updated received: an upper bound of commit → event. */
  sentToEvent: number;
  /** Its 201 answer received → post_updated received (negative: the event came first). */
  answerToEvent: number;
  /** Third flag sent → the thread page, fetched on the event, shows the post hidden. */
  sentToPage: number;
}

class PageSocket {
  readonly events: { at: number; m: Extract<ServerMessage, { type: 'event' }> }[] = [];
  private constructor(
    readonly ws: WebSocket,
    readonly channel: string,
  ) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (m.type === 'event') this.events.push({ at: performance.now(), m });
    });
  }

  /** An anonymous reader's open thread page: one socket subscribed to `thread:<id>`. */
  static open(baseUrl: string, threadId: number): Promise<PageSocket> {
    const channel = `thread:${threadId}`;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/live`, { headers: { origin: baseUrl } });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${channel}: no subscription within 10 s`)), 10_000);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel })));
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as ServerMessage;
        if (m.type === 'subscribed' && m.channel === channel) {
          clearTimeout(timer);
          resolve(new PageSocket(ws, channel));
        } else if (m.type === 'error') reject(new Error(`${channel}: ${m.code}`));
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  async postUpdated(postNumber: number, timeoutMs: number): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const e = this.events.find(
        (x) => x.m.event === 'post_updated' && (x.m.data as { postNumber?: number }).postNumber === postNumber,
      );
      if (e) return e.at;
      if (performance.now() > deadline) return undefined;
      await sleep(1);
    }
  }
}

async function runLive(send: Sender, baseUrl: string, flaggers: Session[], posts: PostInfo[]) {
  const pages = await Promise.all(posts.map((p) => PageSocket.open(baseUrl, p.threadId)));
  const reader = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: LiveSample[] = [];
  const problems: string[] = [];
  try {
    for (const [k, post] of posts.entries()) {
      const page = pages[k] as PageSocket;
      const by = [0, 1, 2].map((j) => flaggers[(k + j) % flaggers.length] as Session);
      const flag = (s: Session, reason: FlagReason) =>
        send('POST', `/api/posts/${post.id}/flags`, { agent: s.agent, cookie: s.cookie, body: { reason } });
      for (const s of by.slice(0, 2)) {
        const res = await flag(s, 'spam');
        if (res.status !== 201 || JSON.parse(res.body).hidden !== false) {
          problems.push(`post ${post.id}: an early flag answered ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
      const sent = performance.now();
      const res = await flag(by[2] as Session, 'rude');
      const answered = performance.now();
      if (res.status !== 201 || JSON.parse(res.body).hidden !== true) {
        problems.push(`post ${post.id}: the hiding flag answered ${res.status} ${res.body.slice(0, 200)}`);
        continue;
      }
      const at = await page.postUpdated(post.postNumber, 5_000);
      if (at === undefined) {
        problems.push(`post ${post.id}: no post_updated on ${page.channel} within 5 s`);
        continue;
      }
      const shown = await send('GET', `/api/threads/${post.threadId}?after=${post.postNumber - 1}&limit=1`, {
        agent: reader,
      });
      const seen = (JSON.parse(shown.body) as { posts?: { postNumber: number; hidden: boolean }[] }).posts?.[0];
      if (shown.status !== 200 || seen?.postNumber !== post.postNumber || !seen.hidden) {
        problems.push(`post ${post.id}: the page fetched on the event does not show it hidden (${shown.status})`);
      }
      samples.push({
        postId: post.id,
        sentToEvent: at - sent,
        answerToEvent: at - answered,
        sentToPage: performance.now() - sent,
      });
    }
    await sleep(200);
    // Each page heard its own post and nothing else.
    for (const page of pages) {
      const updates = page.events.filter((e) => e.m.event === 'post_updated');
      if (updates.length !== 1) problems.push(`${page.channel}: ${updates.length} post_updated events (expected 1)`);
    }
  } finally {
    for (const p of pages) p.ws.terminate();
    reader.destroy();
  }
  return { samples, problems };
}

/* -------------------------------------------------------------------- main */

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '?');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '?');
const ms = (n: number) => f1(n).padStart(6);
const pct = (n: number) => f0(n).padStart(4);

async function main() {
  const options = benchOptions(usage, {
    clients: { default: '20', min: 1, max: DECIDERS, integer: true },
    warmup: { default: '3', min: 0, max: 60 },
    seconds: { default: '15', min: 1, max: 120 },
  });
  if (typeof options === 'number') return options;
  const clients = options.clients;
  const warmupMs = options.warmup * 1000;
  const measureMs = options.seconds * 1000;

  const began = performance.now();
  const cleanups = new Cleanups(WATCHDOG_MS);
  const agents: http.Agent[] = [];
  cleanups.push('http agents', async () => {
    for (const a of agents) a.destroy();
  });
  try {
    console.log(`${machineLine()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);

    // 1. A throw-away durable cluster; the moderators and live flaggers as the CLI creates accounts.
    let t = performance.now();
    const { url, postmasterPid } = await throwAwayDatabase(cleanups, 'review', DATABASE);
    const accounts = connect(url, { max: 4 });
    const made: { id: number; username: string; password: string }[] = [];
    const wanted = [
      ...Array.from({ length: MODERATORS }, (_, i) => ({
        username: `mod_${i + 1}`,
        password: MODERATOR_PASSWORD,
        role: 'moderator' as const,
      })),
      ...Array.from({ length: LIVE_FLAGGERS }, (_, i) => ({
        username: `flagger_${i + 1}`,
        password: FLAGGER_PASSWORD,
        role: 'member' as const,
      })),
    ];
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < wanted.length) {
            const w = wanted[next++] as (typeof wanted)[number];
            const user = await createUser(accounts, { ...w, email: `${w.username}@bench.example` });
            made.push({ id: user.id, username: w.username, password: w.password });
          }
        }),
      );
    } finally {
      await accounts.destroy();
    }
    made.sort((a, b) => a.id - b.id);
    const moderatorAccounts = made.filter((m) => m.username.startsWith('mod_'));
    const flaggerAccounts = made.filter((m) => m.username.startsWith('flagger_'));
    console.log(
      `cluster started and migrated; ${MODERATORS} moderators and ${LIVE_FLAGGERS} members created with createUser ` +
        `in ${seconds(performance.now() - t)}`,
    );

    // 2. Seed, in one transaction, then check it against the rules' invariants.
    t = performance.now();
    console.log('seeding:');
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => {});
    await admin.connect();
    cleanups.push('admin connection', () => admin.end());
    const q: Query = (text, values) => admin.query(text, values);
    const step = async (label: string, run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      console.log(`  ${label.padEnd(40)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
    };
    await q('begin');
    const { memberIds, categoryIds } = await seedForum(q, step);
    const { rows: postRows } = await q(
      `select p.id, p.thread_id, p.post_number, p.author_id, t.category_id, extract(epoch from p.created_at) as created
       from posts p join threads t on t.id = p.thread_id order by p.id`,
    );
    const posts: PostInfo[] = postRows.map((r) => ({
      id: Number(r.id),
      threadId: Number(r.thread_id),
      postNumber: r.post_number,
      authorId: Number(r.author_id),
      categoryId: Number(r.category_id),
      createdS: Number(r.created),
    }));
    const threadIds = [...new Set(posts.map((p) => p.threadId))];
    const planned = performance.now();
    const plan = planModeration(
      posts,
      memberIds,
      moderatorAccounts.map((m) => m.id),
      threadIds,
    );
    console.log(
      `  ${'plan the moderation (scoring.ts)'.padEnd(40)} ${(performance.now() - planned).toFixed(0).padStart(6)} ms`,
    );
    await seedModeration(q, step, plan);
    // each item's per-reason summary, as the flag rule keeps it (migration 0013 wrote it once)
    await step('per-reason summaries', () =>
      q(`update reviewables r set reasons = s.reasons from (
           select reviewable_id, jsonb_object_agg(reason, jsonb_build_object('count', n, 'weight', w)) as reasons
             from (select reviewable_id, reason, count(*) as n, sum(weight) as w from flags group by 1, 2) g
            group by reviewable_id) s
         where s.reviewable_id = r.id`),
    );
    let broken: string[] = [];
    await step('check the invariants', async () => {
      broken = await brokenInvariants(q);
    });
    if (broken.length) throw new Error(`inconsistent seed:\n  ${broken.join('\n  ')}`);
    await q('commit');
    await step('vacuum analyze', () => q('vacuum (analyze)'));
    await step('checkpoint', () => q('checkpoint'));
    const facts = (
      await q(`
      select (select count(*)::int from posts) as posts,
             (select count(*)::int from reviewables where status = 'pending') as pending,
             (select count(*)::int from reviewables where status = 'pending' and deferred_until > now()) as deferred,
             (select count(*)::int from reviewables where status = 'pending' and claimed_by is not null) as claimed,
             (select count(*)::int from flags f join reviewables r on r.id = f.reviewable_id where r.status = 'pending') as pending_flags,
             (select count(*)::int from reviewables where status <> 'pending') as decided,
             (select count(*)::int from flags where status <> 'pending') as decided_flags,
             (select count(*)::int from posts where hidden_at is not null and hidden_by is null) as hidden_pending,
             (select count(*)::int from threads where hidden_at is not null) as hidden_threads,
             (select count(*)::int from users where flags_agreed + flags_disagreed >= 5) as weighted_flaggers,
             (select min(weight)::text || '–' || max(weight)::text from flags where weight < ${HIDE_SCORE}) as weights,
             (select max(flag_count)::int from reviewables where status = 'pending') as max_flags,
             (select count(*)::int from reviewable_history) as history,
             pg_size_pretty(pg_database_size(current_database())) as size`)
    ).rows[0];
    console.log(
      `seeded in ${seconds(performance.now() - t)}: ${MEMBERS} members, ${CATEGORIES.length} categories, ${THREADS} threads, ` +
        `${facts.posts} posts;\n  ${facts.pending} pending reviewables (${facts.deferred} deferred, ${facts.claimed} claimed) ` +
        `with ${facts.pending_flags} flags (up to ${facts.max_flags} on one), ${facts.hidden_pending} posts hidden waiting ` +
        `(${facts.hidden_threads} threads hidden in all);\n  history: ${facts.decided} decided reviewables with ` +
        `${facts.decided_flags} flags, ${facts.weighted_flaggers} flaggers with 5+ decided flags (member weights ` +
        `${facts.weights}), ${facts.history} reviewable_history rows; database ${facts.size}`,
    );

    // 3. The real server; moderators and flaggers sign in over HTTP.
    t = performance.now();
    const server: ServerProcess = await startServer(url, await freePort());
    cleanups.push('server', () => stopServer(server));
    const baseUrl = server.baseUrl;
    if (new URL(baseUrl).hostname !== HOST) throw new Error(`refusing to send load to ${baseUrl}`);
    const port = Number(new URL(baseUrl).port);
    const send = sender(port, baseUrl);
    console.log(
      `server ready at ${baseUrl} in ${seconds(performance.now() - t)} (NODE_ENV=production, default limits)`,
    );
    t = performance.now();
    const signedIn = await signInAll(send, [...moderatorAccounts.slice(0, DECIDERS), ...flaggerAccounts]);
    agents.push(...signedIn.map((s) => s.agent));
    const deciders = signedIn.slice(0, DECIDERS);
    const flaggers = signedIn.slice(DECIDERS);
    console.log(
      `${signedIn.length} accounts signed in with POST /api/auth/sign-in in ${seconds(performance.now() - t)} ` +
        `(from ${SIGN_IN_ADDRESSES} loopback addresses: 30 sign-ins per address per 10 minutes)`,
    );
    const pids = { server: server.child.pid, postmaster: postmasterPid };
    const meter = cpuMeter(pids);

    // 4a. The queue.
    const walk = await walkQueue(send, deciders[0] as Session);
    const visible = (
      await q(
        `select count(*)::int as n from reviewables where status = 'pending' and (deferred_until is null or deferred_until <= now())`,
      )
    ).rows[0].n as number;
    const firstPage = await send('GET', '/api/review?limit=25', {
      agent: (deciders[0] as Session).agent,
      cookie: (deciders[0] as Session).cookie,
    });
    const shown = (JSON.parse(firstPage.body) as { items: { score: number; flags: unknown[] }[] }).items;
    console.log(
      `\nqueue walk (limit 100, nextCursor): ${walk.items} items in ${walk.pages} pages (pending and not deferred: ` +
        `${visible}); ${walk.duplicates} seen twice, ${walk.misordered} out of order\n` +
        `first page (limit 25): ${f0(Buffer.byteLength(firstPage.body) / 1024)} KB, ` +
        `${shown.reduce((n, i) => n + i.flags.length, 0)} flags embedded, scores ${f1(shown[0]?.score ?? Number.NaN)}–` +
        `${f1(shown[shown.length - 1]?.score ?? Number.NaN)}`,
    );
    console.log(
      `\n(a) ${clients} moderators, closed loop, ${seconds(warmupMs)} warm-up + ${seconds(measureMs)} measured: ` +
        'GET /api/review?limit=25: 60% first page (35% of them then page 2, half of those page 3), 20% ?category=, 20% ?reason=' +
        `;\n    the server's page cache (queue-cache.ts): REVIEW_QUEUE_CACHE_MS=${process.env.REVIEW_QUEUE_CACHE_MS ?? '1000 (default)'}` +
        ' (0: every request reads and serializes its page)',
    );
    const load = await runQueueLoad(send, deciders.slice(0, clients), {
      warmupMs,
      measureMs,
      categoryIds: [...categoryIds.values()],
      meter,
    });
    if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    const all = [...load.samples.values()].flat().sort((a, b) => a - b);
    console.log(
      `\n     ${'kind'.padEnd(22)} ${'req'.padStart(6)} ${'req/s'.padStart(6)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ` +
        `${'p99'.padStart(6)} ${'max'.padStart(6)}  KB/answer`,
    );
    const labels: Record<QueueKind, string> = {
      first: 'first page',
      deeper: 'page 2–3 (nextCursor)',
      category: '?category= first page',
      reason: '?reason= first page',
    };
    const totalBytes = [...load.bytes.values()].reduce((a, b) => a + b, 0);
    for (const [kind, list] of [...load.samples, ['all' as QueueKind, all] as const]) {
      const b = kind === ('all' as QueueKind) ? totalBytes : (load.bytes.get(kind) ?? 0);
      console.log(
        `     ${(labels[kind as QueueKind] ?? 'all').padEnd(22)} ${String(list.length).padStart(6)} ` +
          `${f0(list.length / (load.elapsedMs / 1000)).padStart(6)} ${ms(percentile(list, 50))} ${ms(percentile(list, 95))} ` +
          `${ms(percentile(list, 99))} ${ms(list[list.length - 1] ?? Number.NaN)}  ${f0(b / 1024 / Math.max(1, list.length)).padStart(9)}`,
      );
    }
    const rps = all.length / (load.elapsedMs / 1000);
    console.log(
      `     errors ${load.errors.length}; CPU % of one core: server ${pct(load.cpu.server)}, postgres ${pct(load.cpu.postgres)}, ` +
        `load ${pct(load.cpu.load)}, rest ${pct(load.cpu.rest)} (of ${os.cpus().length * 100}); ` +
        `CPU per request: server ${f1((load.cpu.server * 10) / rps)} ms, postgres ${f1((load.cpu.postgres * 10) / rps)} ms`,
    );
    for (const e of load.errors.slice(0, 3)) console.log(`     error: ${e.status} ${e.url} ${e.body}`);
    const firstP95 = percentile(load.samples.get('first') ?? [], 95);
    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the queue route (generic plans, as the server runs them):');
    for (const line of await explainQueue(url, categoryIds.get('phones') as number)) console.log(line);

    // 4b. 200 moderators decide 250 overlapping items.
    const { rows: eligible } = await q(
      `select id from reviewables where status = 'pending' and deferred_until is null and claimed_by is null order by id`,
    );
    const pick = randomPicker(77);
    const pool = eligible.map((r) => Number(r.id));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(pick.next() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    const targets = pool.slice(0, CONTESTED);
    const sums = async () =>
      (await q('select sum(flags_agreed)::int as a, sum(flags_disagreed)::int as d from users')).rows[0] as {
        a: number;
        d: number;
      };
    const before = await sums();
    console.log(
      `\n(b) ${DECIDERS} moderators, ${ROUNDS} rounds: ${DECIDERS * ROUNDS} decisions on ${CONTESTED} pending items, ` +
        `4 moderators per item (${ACTIONS.map((a) => a.label).join(' / ')}), each sending the version it read`,
    );
    const stopCpu = meter();
    const decided = await runDecisions(send, deciders, targets);
    const cpuB = stopCpu();
    if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    const verified = await verifyDecisions(q, targets, decided.answers);
    const after = await sums();
    const { rows: implied } = await q(
      `select count(*) filter (where f.status = 'agreed')::int as a, count(*) filter (where f.status = 'disagreed')::int as d
       from flags f where f.reviewable_id = any($1::bigint[])`,
      [targets],
    );
    const flaggerDelta = { a: after.a - before.a, d: after.d - before.d };
    const impliedDelta = implied[0] as { a: number; d: number };
    const invariantsAfter = await brokenInvariants(q);
    const statuses = new Map<string, number>();
    for (const a of decided.answers) {
      const k = `${a.status}${a.code ? ` ${a.code}` : ''}`;
      statuses.set(k, (statuses.get(k) ?? 0) + 1);
    }
    const latency = (list: DecisionAnswer[]) => {
      const sorted = list.map((a) => a.ms).sort((x, y) => x - y);
      return `p50 ${f1(percentile(sorted, 50))}  p95 ${f1(percentile(sorted, 95))}  max ${f1(sorted[sorted.length - 1] ?? Number.NaN)} ms`;
    };
    const fivexx = decided.answers.filter((a) => a.status >= 500 || a.status === 0).length;
    console.log(
      `     ${decided.answers.length} answers in ${f0(decided.wallMs)} ms: ${[...statuses].map(([k, n]) => `${k} ×${n}`).join(', ')}\n` +
        `     ${verified.winners} decisions → ${f0(verified.winners / (decided.wallMs / 1000))} decisions/s, ` +
        `${f0(decided.answers.length / (decided.wallMs / 1000))} requests/s\n` +
        `     winners ${latency(decided.answers.filter((a) => a.status === 200))}; ` +
        `losers ${latency(decided.answers.filter((a) => a.status !== 200))}\n` +
        `     flaggers: flags_agreed +${flaggerDelta.a} (flags on agreed items: ${impliedDelta.a}), flags_disagreed ` +
        `+${flaggerDelta.d} (on disagreed items: ${impliedDelta.d}); invariants after: ` +
        `${invariantsAfter.length ? invariantsAfter.join('; ') : 'all hold'}\n` +
        `     CPU % of one core: server ${pct(cpuB.server)}, postgres ${pct(cpuB.postgres)}, load ${pct(cpuB.load)}, rest ${pct(cpuB.rest)}`,
    );
    for (const p of verified.problems.slice(0, 10)) console.log(`     !! ${p}`);
    if (verified.problems.length > 10) console.log(`     !! … ${verified.problems.length - 10} more`);

    // 4c. Flags hide posts while their thread pages listen.
    const { rows: fresh } = await q(
      `select distinct on (p.thread_id) p.id from posts p join threads t on t.id = p.thread_id
       where p.post_number > 1 and p.hidden_at is null and p.deleted_at is null and t.deleted_at is null
         and t.hidden_at is null and not exists (select 1 from flags f where f.post_id = p.id)
       order by p.thread_id, p.id`,
    );
    const freshIds = new Set(fresh.map((r) => Number(r.id)));
    const livePosts = posts
      .filter((p) => freshIds.has(p.id))
      .filter((_, i) => i % 37 === 0)
      .slice(0, LIVE_POSTS);
    console.log(
      `\n(c) ${livePosts.length} replies in ${livePosts.length} threads, each thread open on an anonymous websocket ` +
        `(thread:<id>); per post 2 flags, then the 3rd (weights 1 + 1 + 1 = the hide score ${HIDE_SCORE})`,
    );
    const stopCpuC = meter();
    const live = await runLive(send, baseUrl, flaggers, livePosts);
    const cpuC = stopCpuC();
    const sorted = (k: keyof LiveSample) => live.samples.map((s) => s[k]).sort((a, b) => a - b);
    const row = (label: string, list: number[]) =>
      `     ${label.padEnd(44)} p50 ${ms(percentile(list, 50))}  p95 ${ms(percentile(list, 95))}  p99 ${ms(percentile(list, 99))}  max ${ms(list[list.length - 1] ?? Number.NaN)} ms`;
    console.log(row('3rd flag sent → post_updated (≥ commit → event)', sorted('sentToEvent')));
    console.log(row('its 201 answer → post_updated (≤ commit → event)', sorted('answerToEvent')));
    console.log(row('3rd flag sent → page refetched shows it hidden', sorted('sentToPage')));
    console.log(
      `     ${live.samples.length}/${livePosts.length} events; CPU % of one core: server ${pct(cpuC.server)}, ` +
        `postgres ${pct(cpuC.postgres)}, load ${pct(cpuC.load)}, rest ${pct(cpuC.rest)}`,
    );
    for (const p of live.problems.slice(0, 10)) console.log(`     !! ${p}`);

    // 5. Verdicts.
    const liveP99 = percentile(sorted('sentToEvent'), 99);
    const verdicts: [string, boolean][] = [
      [
        `queue walk: every pending item once, in score order (${walk.items}/${visible})`,
        walk.items === visible && walk.duplicates === 0 && walk.misordered === 0,
      ],
      [
        `(a) first page p95 < ${TARGET_QUEUE_P95_MS} ms at ${clients} clients (${f1(firstP95)} ms), no errors (${load.errors.length})`,
        firstP95 < TARGET_QUEUE_P95_MS && load.errors.length === 0,
      ],
      [
        `(b) ${CONTESTED} items decided exactly once (${verified.winners} winners), every loser 409 review_conflict, no 5xx (${fivexx})`,
        verified.problems.length === 0 && verified.winners === CONTESTED && fivexx === 0,
      ],
      [
        '(b) flaggers’ flags_agreed / flags_disagreed = what the decided statuses imply',
        flaggerDelta.a === impliedDelta.a && flaggerDelta.d === impliedDelta.d && invariantsAfter.length === 0,
      ],
      [
        `(c) hidden post seen live: p99 flag sent → post_updated < ${TARGET_LIVE_P99_MS} ms (${f1(liveP99)} ms), ` +
          `${live.samples.length}/${livePosts.length} seen`,
        live.problems.length === 0 && live.samples.length === LIVE_POSTS && liveP99 < TARGET_LIVE_P99_MS,
      ],
    ];
    console.log('');
    for (const [label, ok] of verdicts) console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}`);
    console.log(
      "(latencies in ms, request sent to response read; CPU in % of one core, 'rest' = other processes and kernel time)",
    );
    const serverLog = server.output().trim();
    if (serverLog) console.log(`\nserver output (warn and above):\n${serverLog.slice(-3000)}`);
    const failed = verdicts.some(([, ok]) => !ok);
    console.log(`\ntotal ${seconds(performance.now() - began)}; result: ${failed ? 'FAIL' : 'PASS'}`);
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

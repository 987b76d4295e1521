// npm run seed -- --demo: fills the database with a believable demo forum (users, categories,
// threads, replies, likes) through the real rules, so counters, notifications and read markers
// are what the app itself would have written. Opens the database like the operator CLI
// (DATABASE_URL, or the embedded cluster, attaching to it while `npm start` runs).
// Idempotent: when the demo admin exists, it says so and changes nothing.
import { parseArgs } from 'node:util';
import { defaultSiteSettings } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import pino from 'pino';
import { defaultLimits } from '../server/src/app';
import { createUser } from '../server/src/auth/actions';
import { loadConfig } from '../server/src/config';
import type { Db } from '../server/src/db/connect';
import { migrateToLatest } from '../server/src/db/migrate';
import { openDatabase } from '../server/src/db/open';
import type { UserRow } from '../server/src/db/schema';
import { withTx } from '../server/src/db/tx';
import { createCategory } from '../server/src/forum/actions/categories';
import { createPost, draftPost, setLike } from '../server/src/forum/actions/posts';
import { createThread } from '../server/src/forum/actions/threads';
import { draftResponse, mergeIdeas, setIdeaStatus, setTags } from '../server/src/ideas/actions';
import { VoteWriter } from '../server/src/ideas/votes';
import { randomPicker } from './lib/random';
import { categories } from './seed-data/categories';
import { duplicateIdea, ideaFates } from './seed-data/ideas';
import { ADMIN, EMAIL_DOMAIN, FAN_PASSWORD, fans, MODERATOR, PM } from './seed-data/people';
import { phrases } from './seed-data/phrases';
import { threads } from './seed-data/threads';
import type { Ctx, Lang, Mood, ReplySpec, Text } from './seed-data/types';

const usage = `Seed a demo forum (uses DATABASE_URL, or the embedded database; works while the server runs)

  npm run seed -- --demo

Creates 35 users, 15 categories, ~60 threads, ~400 replies and likes, and votes, statuses with
official responses, tags and a merged duplicate for its 9 ideas. Running it again does
nothing once the demo admin exists. Bulk data for benchmarks: npm run bench:forum`;

/* -------------------------------------------------------- composed replies */

/**
 * A reply put together for the thread's mood: opener, one or two sentences, closer; now and
 * then a quote of the first or the previous post, or a list.
 */
function composeReply(lang: Lang, mood: Mood, c: Ctx): string {
  const set = phrases[lang][mood] ?? phrases[lang].chat;
  const own = c.me === c.op;
  const text = (t: Text) => (typeof t === 'string' ? t : t(c));
  const sentence = text(c.fresh(set.sentences));
  // The thread's author does not greet, quote or mention themselves.
  const body = [own ? '' : text(c.fresh(set.openers)), sentence];
  const roll = c.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  if (roll === 0 && c.prev.postNumber > 1 && c.prev.username !== c.me) {
    return `[quote="${c.prev.username}, post:${c.prev.postNumber}, thread:${c.threadId}"]\n${c.prev.line}\n[/quote]\n\n${sentence}`;
  }
  if (roll === 1 && !own) {
    return `[quote="${c.op}, post:1, thread:${c.threadId}"]\n${c.opLine}\n[/quote]\n\n${body.filter(Boolean).join(' ')}`;
  }
  if (roll === 2 && set.list) return set.list;
  if (roll < 6) {
    const second = text(c.fresh(set.sentences));
    if (second !== sentence) body.push(second);
  }
  body.push(text(c.pick(own ? set.closers.filter((t) => typeof t === 'string') : set.closers)));
  return body.filter(Boolean).join(' ');
}

/** The first real sentence (six words or more) of a post's Markdown, for quoting. */
function firstLine(raw: string): string {
  const plain = raw
    .replace(/\[quote[^\]]*\][\s\S]*?\[\/quote\]/g, '')
    .split('\n')
    .map((l) => l.trim().replace(/\*\*|\*/g, ''))
    .filter((l) => l && !/^([-*#>|`[]|\d+\.)/.test(l));
  const sentences = plain.flatMap((l) => l.split(/(?<=[.!?])\s+/)).map((x) => x.trim());
  const sentence = sentences.find((x) => x.split(/\s+/).length >= 6) ?? sentences[0] ?? '';
  return sentence.length > 200 ? `${sentence.slice(0, 197)}…` : sentence;
}

/* ---------------------------------------------------------------- seeding */

const langOfCategory = (slug: string): Lang => {
  const locale = categories.find((c) => c.slug === slug)?.locale;
  return locale === 'es' || locale === 'pt' ? locale : 'en';
};

/** The Lucia user the rules expect: what a session hands them, i.e. the account row without its hash. */
function asUser(row: UserRow): User {
  const { password_hash: _, ...user } = row;
  return user;
}

interface Step {
  at: number;
  run: () => Promise<void>;
}

async function seedDemo(db: Db): Promise<void> {
  const started = Date.now();
  const rng = randomPicker(20261122);
  const now = Date.now();
  const day = 86_400_000;
  const minute = 60_000;

  // Users. Staff first so that ids read naturally in the admin list.
  const people = [
    { ...ADMIN, role: 'admin' as const, lang: 'en' as Lang },
    { ...MODERATOR, role: 'moderator' as const, lang: 'en' as Lang },
    { ...PM, role: 'product_manager' as const, lang: 'en' as Lang },
    ...fans.map((f) => ({ ...f, password: FAN_PASSWORD, role: 'member' as const })),
  ];
  const users = new Map<string, User>();
  for (const [i, p] of people.entries()) {
    const row = await createUser(db, {
      username: p.username,
      email: `${p.username.toLowerCase()}@${EMAIL_DOMAIN}`,
      password: p.password,
      role: p.role,
    });
    // Members for a while already (before any demo activity), Spanish speakers with the Spanish UI.
    const updated = await db
      .updateTable('users')
      .set({
        created_at: new Date(now - (400 - i * 9) * day),
        password_changed_at: new Date(now - (400 - i * 9) * day),
        locale: p.lang === 'es' ? 'es' : null,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    users.set(p.username, asUser(updated));
  }
  const user = (name: string) => {
    const u = users.get(name);
    if (!u) throw new Error(`unknown demo user ${name}`);
    return u;
  };
  const speakers: Record<Lang, string[]> = {
    en: fans.filter((f) => f.lang === 'en').map((f) => f.username),
    es: fans.filter((f) => f.lang === 'es').map((f) => f.username),
    pt: fans.filter((f) => f.lang === 'pt').map((f) => f.username),
  };
  console.log(`  ${users.size} users`);

  // Categories, by the admin.
  const admin = user(ADMIN.username);
  const categoryIds = new Map<string, number>();
  for (const { parent, ...spec } of categories) {
    const row = await withTx(db, (tx) =>
      createCategory(tx, admin.id, {
        ...spec,
        parentId: parent ? categoryIds.get(parent) : null,
      }),
    );
    categoryIds.set(row.slug, row.id);
  }
  console.log(`  ${categoryIds.size} categories`);

  // Plan everything on a timeline, then play it in time order: ids grow with time, as in real
  // life, and every row gets its planned timestamp right after the rule that wrote it.
  const steps: Step[] = [];
  const counts = { threads: 0, replies: 0, likes: 0 };

  const planLikes = (post: { id: number; author: string; at: number }, lang: Lang, many: boolean) => {
    const r = rng.next();
    const n = Math.floor((many ? r * r * 14 : r * r * r * 8) * (lang === 'en' ? 1 : 0.5));
    const candidates = [...speakers[lang], ...(lang === 'en' ? [] : speakers.en.slice(0, 6))]
      .concat([MODERATOR.username, PM.username])
      .filter((u) => u !== post.author);
    const likers = new Set<string>();
    while (likers.size < Math.min(n, candidates.length)) likers.add(rng.pick(candidates));
    for (const liker of likers) {
      const at = Math.min(now - minute, post.at + rng.int(5, 36 * 60) * minute);
      steps.push({
        at,
        run: async () => {
          const liked = user(liker);
          await withTx(db, (tx) => setLike(tx, liked, post.id, true));
          const stamp = new Date(at);
          await db
            .updateTable('post_likes')
            .set({ created_at: stamp })
            .where('post_id', '=', post.id)
            .where('user_id', '=', liked.id)
            .execute();
          await sql`update notifications set updated_at = ${stamp},
                      created_at = case when actor_count = 1 then ${stamp}::timestamptz else created_at end
                    where post_id = ${post.id} and kind = 'like' and read_at is null`.execute(db);
          counts.likes += 1;
        },
      });
    }
  };

  for (const spec of threads) {
    const lang = langOfCategory(spec.cat);
    const start = now - spec.daysAgo * day + rng.int(8 * 60, 22 * 60) * minute - day / 2;
    const replyCount = (spec.replies?.length ?? 0) + (spec.more ?? 0);
    // Gaps between replies: quick at first, slower as the thread ages; squeezed to end before now.
    const gaps: number[] = [];
    for (let i = 0; i < replyCount; i++) gaps.push(rng.int(3, 60 + i * 90) * minute);
    const total = gaps.reduce((a, b) => a + b, 0);
    const room = now - 10 * minute - start;
    const scale = total > room ? room / total : 1;
    const times: number[] = [];
    let t = start;
    for (const g of gaps) {
      t += g * scale;
      times.push(Math.round(t));
    }

    // Shared while the steps of this thread run.
    const state = {
      threadId: 0,
      posts: [] as { id: number; username: string; line: string }[],
    };
    const threadRng = randomPicker(Math.floor(rng.next() * 2 ** 31));
    const used = new Set<Text>();
    const fresh = (items: readonly Text[]): Text => {
      const unused = items.filter((t) => t === '' || !used.has(t));
      const choice = threadRng.pick(unused.length ? unused : items);
      used.add(choice);
      return choice;
    };
    const ctx = (me: string): Ctx => {
      const prev = state.posts[state.posts.length - 1];
      return {
        threadId: state.threadId,
        op: spec.by,
        me,
        opLine: state.posts[0]?.line ?? '',
        prev: { username: prev?.username ?? spec.by, postNumber: state.posts.length, line: prev?.line ?? '' },
        pick: threadRng.pick,
        fresh,
      };
    };

    steps.push({
      at: start,
      run: async () => {
        const author = user(spec.by);
        const draft = await draftPost(db, spec.body);
        const input = { categoryId: categoryIds.get(spec.cat) ?? 0, title: spec.title, kind: spec.kind };
        const id = await withTx(db, (tx) => createThread(tx, author, input, draft));
        const first = await db
          .selectFrom('posts')
          .select('id')
          .where('thread_id', '=', id)
          .where('post_number', '=', 1)
          .executeTakeFirstOrThrow();
        state.threadId = id;
        state.posts.push({ id: first.id, username: spec.by, line: firstLine(spec.body) });
        const stamp = new Date(start);
        await db.updateTable('threads').set({ created_at: stamp, bumped_at: stamp }).where('id', '=', id).execute();
        await db.updateTable('posts').set({ created_at: stamp }).where('id', '=', first.id).execute();
        await db.updateTable('thread_reads').set({ updated_at: stamp }).where('thread_id', '=', id).execute();
        await db
          .updateTable('notifications')
          .set({ created_at: stamp, updated_at: stamp })
          .where('post_id', '=', first.id)
          .execute();
        planLikes({ id: first.id, author: spec.by, at: start }, lang, true);
        counts.threads += 1;
      },
    });

    // Hand-written replies first, the composed ones woven in after them.
    const planned: ReplySpec[] = [...(spec.replies ?? [])];
    const ownLines = [...(spec.lines ?? [])];
    for (let i = 0; i < (spec.more ?? 0); i++) {
      planned.push({
        body: (c) => {
          if (ownLines.length && (threadRng.next() < 0.7 || ownLines.length >= (spec.more ?? 0) - i)) {
            const [line = ''] = ownLines.splice(Math.floor(threadRng.next() * ownLines.length), 1);
            return typeof line === 'string' ? line : line(c);
          }
          return composeReply(lang, spec.mood, c);
        },
      });
    }
    let previousAuthor = spec.by;
    planned.forEach((reply, i) => {
      const at = times[i] ?? now - minute;
      // Composed replies: a fan of the thread's language, not the one who posted just before;
      // the thread's author comes back now and then.
      let by = reply.by;
      if (!by) {
        const pool = speakers[lang].filter((u) => u !== previousAuthor);
        by = threadRng.next() < 0.15 && previousAuthor !== spec.by ? spec.by : threadRng.pick(pool);
      }
      previousAuthor = by;
      const author = by;
      // Composed replies sometimes answer an earlier post (not the one just above).
      const replyToRoll = threadRng.next();
      steps.push({
        at,
        run: async () => {
          const c = ctx(author);
          const body = typeof reply.body === 'string' ? reply.body : reply.body(c);
          const count = state.posts.length;
          let replyTo = reply.replyTo;
          if (replyTo === undefined && !reply.by && count > 2 && replyToRoll < 0.15) {
            replyTo = 1 + Math.floor((replyToRoll / 0.15) * (count - 1));
          }
          const draft = await draftPost(db, body);
          const postId = await withTx(db, (tx) => createPost(tx, user(author), state.threadId, draft, replyTo));
          state.posts.push({ id: postId, username: author, line: firstLine(body) });
          const stamp = new Date(at);
          await db.updateTable('posts').set({ created_at: stamp }).where('id', '=', postId).execute();
          await db.updateTable('threads').set({ bumped_at: stamp }).where('id', '=', state.threadId).execute();
          await db
            .updateTable('thread_reads')
            .set({ updated_at: stamp })
            .where('thread_id', '=', state.threadId)
            .where('user_id', '=', user(author).id)
            .execute();
          await db
            .updateTable('notifications')
            .set({ created_at: stamp, updated_at: stamp })
            .where('post_id', '=', postId)
            .execute();
          planLikes({ id: postId, author, at }, lang, false);
          counts.replies += 1;
        },
      });
    });
  }

  // Play the timeline: always the earliest pending step (steps add the likes of the posts they wrote).
  while (steps.length) {
    let next = 0;
    for (let i = 1; i < steps.length; i++) if ((steps[i] as Step).at < (steps[next] as Step).at) next = i;
    const [step] = steps.splice(next, 1);
    await step?.run();
  }

  console.log(`  ${counts.threads} threads, ${counts.replies} replies, ${counts.likes} likes`);
  await seedIdeaFates(
    db,
    user,
    fans.map((f) => f.username),
  );
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Votes, statuses with official responses, tags and one merged duplicate for the demo's ideas
 * (seed-data/ideas.ts), through the rules: the vote writer, setIdeaStatus, setTags, mergeIdeas.
 */
async function seedIdeaFates(db: Db, user: (name: string) => User, fanNames: string[]): Promise<void> {
  const log = pino({ level: 'warn' });
  // the site's own vote limit and settings (a fan casts at most a dozen votes here)
  const votes = new VoteWriter(db, defaultLimits.vote, log, () => defaultSiteSettings);
  const pm = user(PM.username);
  const moderator = user(MODERATOR.username);
  const idea = (title: string) =>
    db
      .selectFrom('threads')
      .select(['id', 'author_id', 'category_id'])
      .where('kind', '=', 'idea')
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
  const voteFor = async (id: number, count: number, authorId: number) => {
    const voters = fanNames
      .map(user)
      .filter((u) => u.id !== authorId)
      .slice(0, count);
    await Promise.all(voters.map((voter) => votes.submit(id, voter.id, true)));
  };
  let voteCount = 0;
  try {
    for (const fate of ideaFates) {
      const { id, author_id } = await idea(fate.title);
      await voteFor(id, fate.votes, author_id);
      voteCount += fate.votes;
      await withTx(db, (tx) => setTags(tx, moderator, id, fate.tags));
      if (fate.status) {
        const response = await draftResponse(db, fate.response);
        const status = fate.status;
        await withTx(db, (tx) => setIdeaStatus(tx, pm, [id], status, response));
      }
    }
    const into = await idea(duplicateIdea.into);
    const by = user(fanNames[fanNames.length - 1] as string);
    const draft = await draftPost(db, duplicateIdea.body);
    const duplicate = await withTx(db, (tx) =>
      createThread(tx, by, { categoryId: into.category_id, title: duplicateIdea.title, kind: 'idea' }, draft),
    );
    await voteFor(duplicate, duplicateIdea.votes, by.id);
    voteCount += duplicateIdea.votes;
    await withTx(db, (tx) => mergeIdeas(tx, moderator, duplicate, into.id));
  } finally {
    await votes.close();
  }
  console.log(`  ${ideaFates.length + 1} ideas: ${voteCount} votes, statuses, responses, tags, 1 merged duplicate`);
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { demo: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.demo) {
    console.error(`error: say what to seed (--demo)\n\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const log = pino({ level: process.env.LOG_LEVEL || 'warn' });
  const database = await openDatabase(config, log, { attach: true });
  try {
    await migrateToLatest(database.db);
    const { db } = database;
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', ADMIN.username))
      .executeTakeFirst();
    if (existing) {
      console.log(`The demo data is there already (user ${ADMIN.username} exists): nothing to do.`);
      return 0;
    }
    console.log('Seeding the demo forum…');
    try {
      await seedDemo(db);
    } catch (err) {
      console.error(
        'Seeding failed part-way: the database now holds some of the demo data. ' +
          'Start from an empty database (e.g. remove .data/postgres) before running it again.',
      );
      throw err;
    }
    console.log(`
Sign in as the admin:  ${ADMIN.username} / ${ADMIN.password}
Moderator:             ${MODERATOR.username} / ${MODERATOR.password}
Product manager:       ${PM.username} / ${PM.password}
Every fan (e.g. ${fans[0]?.username}): password ${FAN_PASSWORD}`);
    return 0;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(err as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);

// biome-ignore-all lint/suspicious/noExplicitAny: API responses are inspected field by field
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { freePort } from '../../test/ports';
import { call, startServerProcess } from '../../test/process';
import { REPO_ROOT } from '../config';
import { knownMigrations } from '../db/migrate';
import { ensureDatabase } from '../db/open';
import { withTx } from '../db/tx';
import { rebaseTrending } from '../ideas/trending';
import { listSequences, listTables, loadOrder, quoted, userRelations } from './catalog';
import { END_OF_ROWS, RowDigest, RowSplitter } from './format';

/* ----------------------------------------------------------------- helpers */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the operator CLI (or the seed script) as a child process, without blocking this one. */
function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const cli = (args: string[], env: Record<string, string>) => run('server/src/cli.ts', args, env);

interface Empty {
  url: string;
  drop(): Promise<void>;
}

/** A new database with nothing in it (not cloned from the migrated template). */
async function emptyDatabase(): Promise<Empty> {
  const adminUrl = inject('pgAdminUrl');
  const name = `restore_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => query(adminUrl, `drop database if exists "${name}" with (force)`).then(() => {}),
  };
}

/** Runs `fn` on a connection of its own to `url`. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function query<R extends pg.QueryResultRow = any>(url: string, text: string, values: unknown[] = []) {
  return withClient(url, async (client) => {
    await client.query("set timezone = 'UTC'");
    return (await client.query<R>(text, values)).rows;
  });
}

interface Contents {
  /** Per table: row count and an md5 over every row (generated columns included). */
  tables: Record<string, { rows: number; md5: string }>;
  /** Per sequence: "last_value/is_called". */
  sequences: Record<string, string>;
  migrations: string[];
  /** Every index and constraint of the app schema, as PostgreSQL describes it. */
  schema: string[];
}

/** Everything the database holds, row for row, in a form two databases can be compared by. */
async function contents(url: string): Promise<Contents> {
  return withClient(url, async (client) => {
    await client.query("set timezone = 'UTC'");
    await client.query('begin isolation level repeatable read');
    const tables: Contents['tables'] = {};
    for (const { name } of await listTables(client)) {
      const { rows } = await client.query(
        `select count(*)::int as rows,
                coalesce(md5(string_agg(md5(t::text), ',' order by md5(t::text))), '') as md5
           from ${quoted(name)} t`,
      );
      tables[name] = rows[0];
    }
    const sequences: Contents['sequences'] = {};
    for (const name of await listSequences(client)) {
      const { rows } = await client.query(`select last_value || '/' || is_called as v from ${quoted(name)}`);
      sequences[name] = rows[0].v;
    }
    const { rows } = await client.query('select name from kysely_migration order by name');
    const schema = await client.query(
      `select indexdef as d from pg_indexes where schemaname = 'public'
       union all
       select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
        where connamespace = 'public'::regnamespace
       order by 1`,
    );
    await client.query('commit');
    return {
      tables,
      sequences,
      migrations: rows.map((r) => r.name as string),
      schema: schema.rows.map((r) => r.d as string),
    };
  });
}

/** Every denormalised counter equals its count(*) ground truth (a consistent snapshot has no drift). */
async function counterDrift(url: string) {
  return query(
    url,
    `select 'thread ' || t.id as what from threads t where
        t.post_count <> (select count(*) from posts p where p.thread_id = t.id and p.deleted_at is null)
        or t.like_count <> (select coalesce(sum(p.like_count), 0) from posts p where p.thread_id = t.id and p.deleted_at is null)
        or t.highest_post_number <> (select max(post_number) from posts p where p.thread_id = t.id)
        or t.vote_count <> (select count(*) from idea_votes v where v.idea_id = t.id)
     union all
     select 'post ' || p.id from posts p where p.like_count <> (select count(*) from post_likes l where l.post_id = p.id)
     union all
     select 'category ' || c.id from categories c where c.thread_count <>
        (select count(*) from threads t where t.category_id = c.id and t.deleted_at is null)
     union all
     select 'sequence ' || s.name from (values
        ('users_id_seq', (select max(id) from users)), ('threads_id_seq', (select max(id) from threads)),
        ('posts_id_seq', (select max(id) from posts)), ('notifications_id_seq', (select max(id) from notifications)),
        ('notification_seq', (select max(seq) from notifications))) s(name, used)
      where s.used > (select last_value from pg_sequences where schemaname = 'public' and sequencename = s.name)`,
  );
}

/** Rewrites the rows of one table in a backup file (recomputing its trailer, so the file is self-consistent). */
async function rewriteBackup(
  source: string,
  target: string,
  edit: { header?: (header: any) => void; table?: string; rows?: (rows: string[]) => string[] },
) {
  const lines = gunzipSync(await readFile(source))
    .toString('utf8')
    .split('\n');
  const header = JSON.parse(lines[1] as string);
  edit.header?.(header);
  lines[1] = JSON.stringify(header);
  if (edit.table && edit.rows) {
    const start = lines.indexOf(JSON.stringify({ table: edit.table }));
    const end = lines.indexOf(END_OF_ROWS.toString().trim(), start);
    const rows = edit.rows(lines.slice(start + 1, end));
    const digest = new RowDigest();
    new RowSplitter(digest).push(Buffer.from(rows.map((r) => `${r}\n`).join('')));
    const trailer = { table: edit.table, rows: digest.rows, digest: digest.hex() };
    lines.splice(start + 1, end - start + 1, ...rows, '\\.', JSON.stringify(trailer));
  }
  await writeFile(target, gzipSync(lines.join('\n')));
}

/* ------------------------------------------------------------------- setup */

const FAN_PASSWORD = 'demo-fan-passphrase';
let work: string;
let source: TestDatabase;
let t: TestApp;
/** A backup of the seeded forum taken while nothing wrote. */
let quietBackup: string;
let quietContents: Contents;

/** Signs in one of the seeded demo accounts. */
async function signIn(login: string, password: string) {
  const client = new Client(t.app);
  const res = await client.post('/api/auth/sign-in', { login, password });
  if (res.status !== 200) throw new Error(`sign-in of ${login} failed: ${res.status}`);
  return client;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'fanlab-backup-'));
  await chmod(work, 0o755); // the postgres user enters it for the embedded cluster when we run as root
  source = await createTestDatabase();
  // The demo forum, written through the real rules: users, categories, threads, replies,
  // quotes, mentions, likes, read markers, notifications.
  const seeded = await run('scripts/seed.ts', ['--demo'], { DATABASE_URL: source.url });
  expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
  // a believable demo: ideas ranked by votes, with statuses, responses, tags and a merge
  const [fates] = await query(
    source.url,
    `select count(distinct status)::int as statuses, max(vote_count)::int as top, min(vote_count)::int as bottom,
            count(*) filter (where status = 'duplicate')::int as merged, count(*) filter (where tags <> '{}')::int as tagged,
            (select count(*)::int from idea_status_changes where response_cooked <> '') as responses
     from threads where kind = 'idea'`,
  );
  expect(fates.statuses).toBeGreaterThanOrEqual(7);
  expect(fates.top).toBeGreaterThan(20);
  expect(fates.merged).toBe(1);
  expect(fates.tagged).toBeGreaterThanOrEqual(8);
  expect(fates.responses).toBeGreaterThanOrEqual(5);

  // Ideas activity through the API: votes, an official status change (voters notified), an
  // edit (revision), a merge.
  t = await startTestApp({ database: source });
  const admin = await signIn('demo_admin', 'demo-admin-passphrase');
  const fans = await Promise.all(
    ['nova_nerd', 'PixelPaula', 'BatteryBen', 'sofia_mtz'].map((f) => signIn(f, FAN_PASSWORD)),
  );
  // open work (the demo gives some ideas a status already)
  const ideas = await query(
    source.url,
    `select id from threads where kind = 'idea' and status not in ('shipped', 'declined', 'duplicate') order by id`,
  );
  expect(ideas.length).toBeGreaterThan(3);
  for (const [i, fan] of fans.entries()) {
    for (const idea of ideas.slice(i, i + 3)) expect((await fan.put(`/api/ideas/${idea.id}/vote`)).status).toBe(200);
  }
  const planned = await admin.put(`/api/ideas/${ideas[0].id}/status`, {
    status: 'planned',
    response: 'On the roadmap for the next release.',
  });
  expect(planned.status).toBe(200);
  expect((await admin.post(`/api/ideas/${ideas[1].id}/merge`, { intoId: ideas[2].id })).status).toBe(200);
  const [firstPost] = await query(
    source.url,
    'select id from posts where author_id = (select id from users where username = $1) limit 1',
    ['demo_admin'],
  );
  expect((await admin.patch(`/api/posts/${firstPost.id}`, { body: 'Edited: welcome, everyone!' })).status).toBe(200);
  // what a running server's maintenance does first (the migration's epoch is months old): the
  // restored copy's server must then find nothing left to change
  await withTx(source.db, rebaseTrending);

  quietContents = await contents(source.url);
  quietBackup = path.join(work, 'quiet.fanlab.gz');
  const made = await cli(['backup', '--out', quietBackup], { DATABASE_URL: source.url });
  expect(made.code, made.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await source?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});

/* ------------------------------------------------------------------- tests */

describe('backup and restore', () => {
  it('restores a forum row for row: every table, counter and sequence', async () => {
    const counts = quietContents.tables;
    for (const table of ['users', 'categories', 'threads', 'posts', 'post_likes', 'idea_votes', 'notifications']) {
      expect(counts[table]?.rows, table).toBeGreaterThan(0);
    }
    for (const table of ['post_revisions', 'idea_status_changes', 'idea_merges', 'thread_reads', 'sessions']) {
      expect(counts[table]?.rows, table).toBeGreaterThan(0);
    }
    expect(quietContents.schema.filter((d) => d.includes('USING gin')).length).toBeGreaterThan(3);
    // the backup wrote nothing to the source (no migration, no lock row)
    expect(await contents(source.url)).toEqual(quietContents);
    expect((await stat(quietBackup)).mode & 0o777).toBe(0o600);

    const target = await emptyDatabase();
    try {
      const restored = await cli(['restore', quietBackup], { DATABASE_URL: target.url });
      expect(restored.code, restored.stderr).toBe(0);
      const tables = (
        await query(
          source.url,
          "select count(*)::int as n from pg_tables where schemaname = 'public' and tablename not like 'kysely%'",
        )
      )[0].n;
      expect(restored.stdout).toMatch(new RegExp(`restored .* ${tables} tables, \\d+ rows, verified`));
      expect(restored.stderr).toContain(`posts: ${counts.posts?.rows} rows (`);
      expect(await contents(target.url)).toEqual(quietContents);
      expect(await counterDrift(target.url)).toEqual([]);
    } finally {
      await target.drop();
    }
  }, 60_000);

  it('restores into a fresh embedded data folder that npm start then serves, and backs it up while it runs', async () => {
    const env = {
      DATABASE_URL: '',
      FANLAB_DATA_DIR: path.join(work, 'fresh'),
      FANLAB_PG_PORT: String(await freePort()),
    };
    const restored = await cli(['restore', quietBackup], env);
    expect(restored.code, restored.stderr).toBe(0);

    const server = await startServerProcess(env, await freePort());
    try {
      const categories = await call(server.baseUrl, 'GET', '/api/categories');
      expect(categories.status).toBe(200);
      // attached to the running server's cluster: a backup of the restored copy is the same backup
      const again = path.join(work, 'again.fanlab.gz');
      const made = await cli(['backup', '--out', again], env);
      expect(made.code, made.stderr).toBe(0);
      const trailers = async (file: string) =>
        gunzipSync(await readFile(file))
          .toString('utf8')
          .split('\n')
          .filter((l) => l.startsWith('{"table"') && l.includes('"digest"'))
          // rate-limit windows expire within minutes and the started server's maintenance
          // deletes them: on a slow machine they may be gone by now, which is right
          .filter((l) => !l.startsWith('{"table":"rate_limits"'))
          // the started server moves the vote windows' starts to its own now (ideas/windows.ts)
          // and sends the week's digest to the product managers (dashboard/digest.ts): both are
          // its work, not the restore's
          .filter((l) => !/^\{"table":"(vote_windows|dashboard_digests|notifications)"/.test(l));
      expect(await trailers(again)).toEqual(await trailers(quietBackup));
      // password hashes came through: the demo admin signs in
      const signedIn = await call(server.baseUrl, 'POST', '/api/auth/sign-in', {
        login: 'demo_admin',
        password: 'demo-admin-passphrase',
      });
      expect(signedIn.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120_000);

  it('refuses bad usage with exit code 2 and bad files or targets with exit code 1, changing nothing', async () => {
    const target = await emptyDatabase();
    const env = { DATABASE_URL: target.url };
    try {
      for (const args of [
        ['backup'],
        ['backup', '--out', path.join(work, 'no-such-folder', 'x.gz')],
        ['backup', '--out', work],
        ['backup', '--out', path.join(work, 'x.gz'), 'extra'],
        ['restore'],
        ['restore', quietBackup, quietBackup],
        ['restore', path.join(work, 'missing.fanlab.gz')],
        ['restore', '--bogus', quietBackup],
      ]) {
        const result = await cli(args, env);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr, args.join(' ')).toMatch(/^error: /m);
      }

      const garbage = path.join(work, 'garbage.gz');
      await writeFile(garbage, randomBytes(4096));
      const text = path.join(work, 'text.gz');
      await writeFile(text, gzipSync('id,name\n1,alice\n'));
      const truncated = path.join(work, 'truncated.gz');
      const whole = await readFile(quietBackup);
      await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
      const cutInHeader = path.join(work, 'cut-in-header.gz');
      await writeFile(cutInHeader, whole.subarray(0, 120));
      const format2 = path.join(work, 'format2.gz');
      await writeFile(format2, gzipSync('FANLAB-BACKUP 2\n{}\n'));
      const tampered = path.join(work, 'tampered.gz');
      const lines = gunzipSync(whole).toString('utf8');
      await writeFile(tampered, gzipSync(lines.replace('nova_nerd', 'nova_nerf')));
      const newer = path.join(work, 'newer.gz');
      await rewriteBackup(quietBackup, newer, { header: (h) => h.migrations.push('9999_from_the_future') });
      // a row that loads but does not read back as written (a timestamp in another zone)
      const notCanonical = path.join(work, 'not-canonical.gz');
      await rewriteBackup(quietBackup, notCanonical, {
        table: 'categories',
        rows: (rows) => [
          ...rows.slice(1),
          (rows[0] as string).replace(/\t(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?)\+00\t/, '\t$1+02\t'),
        ],
      });
      const cases: [string, RegExp][] = [
        [garbage, /is not a Fanlab backup, or is damaged \(gzip: incorrect header check\)/],
        [text, /is not a Fanlab backup/],
        [truncated, /damaged or incomplete \(gzip: unexpected end of file\)/],
        [cutInHeader, /is not a Fanlab backup, or is damaged \(gzip: unexpected end of file\)/],
        [format2, /is in backup format 2; this version of Fanlab reads format 1/],
        [tampered, /damaged or incomplete \(the rows of table \w+ do not match their count and digest\)/],
        [newer, /made by a newer version of Fanlab: its schema includes 9999_from_the_future/],
        [notCanonical, /verification failed: table categories/],
      ];
      for (const [file, message] of cases) {
        const result = await cli(['restore', file], env);
        expect(result.code, file).toBe(1);
        expect(result.stderr, file).toMatch(message);
        expect(result.stderr, file).not.toMatch(/\n\s+at /); // a message, not a stack trace
        expect(await withClient(target.url, userRelations), file).toEqual([]);
      }

      // nothing to back up in a database without the schema: refused, and no file left behind
      const nothing = path.join(work, 'nothing.fanlab.gz');
      const empty = await cli(['backup', '--out', nothing], env);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^error: the database has no Fanlab schema/m);
      await expect(stat(nothing)).rejects.toThrow();
      await expect(stat(`${nothing}.partial`)).rejects.toThrow();

      // a database that has data already: refused, and left exactly as it was
      const busy = await cli(['restore', quietBackup], { DATABASE_URL: source.url });
      expect(busy.code).toBe(1);
      const last = (await knownMigrations()).at(-1)?.slice(0, 4);
      expect(busy.stderr).toMatch(new RegExp(`the target database is not empty: .* Fanlab migrations up to ${last}`));
      expect(await contents(source.url)).toEqual(quietContents);
    } finally {
      await target.drop();
    }
  }, 240_000);

  it('takes a consistent snapshot while replies and votes are being written', async () => {
    // Enough rows between the threads table and the posts and votes in the load order
    // (idea_status_changes comes after threads) that the backup is still reading while
    // the writes below commit.
    const [idea] = await query(source.url, `select id from threads where kind = 'idea' order by id limit 1`);
    await query(
      source.url,
      `insert into idea_status_changes (idea_id, from_status, to_status, response_cooked)
       select $1, 'open', 'open', repeat(md5(g::text), 8) from generate_series(1, 100000) g`,
      [idea.id],
    );
    const members = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = new Client(t.app);
        return { client, user: await signUp(client) };
      }),
    );
    // open work (the demo gives some ideas a status already)
    const ideas = await query(
      source.url,
      `select id from threads where kind = 'idea' and status not in ('shipped', 'declined', 'duplicate') order by id`,
    );
    const threads = await query(source.url, `select id from threads where kind = 'discussion' order by id limit 5`);
    const votes = members.flatMap((m) => ideas.map((i) => ({ member: m, ideaId: i.id as number })));

    // One writer, one write at a time: the order of acknowledgements is the commit order, so a
    // snapshot holds a prefix of them, and every counter agrees with the rows it holds.
    const writes: { table: 'posts' | 'idea_votes'; key: string }[] = [];
    let stop = false;
    const writer = (async () => {
      const deadline = Date.now() + 90_000;
      for (let i = 0; !stop && Date.now() < deadline && i < 5_000; i++) {
        const member = members[i % members.length] as (typeof members)[number];
        const vote = i % 2 === 1 ? votes.pop() : undefined;
        if (vote) {
          const res = await vote.member.client.put(`/api/ideas/${vote.ideaId}/vote`);
          if (res.status === 200) writes.push({ table: 'idea_votes', key: `${vote.ideaId}:${vote.member.user.id}` });
        } else {
          const thread = threads[i % threads.length];
          const res = await member.client.post(`/api/threads/${thread.id}/posts`, { body: `Concurrent reply ${i}` });
          expect(res.status).toBe(201);
          writes.push({ table: 'posts', key: String(res.body.id) });
        }
      }
    })();

    while (writes.length < 20) await new Promise((r) => setTimeout(r, 20));
    const before = writes.length;
    const file = path.join(work, 'busy.fanlab.gz');
    const made = await cli(['backup', '--out', file], { DATABASE_URL: source.url });
    const during = writes.length;
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await writer;
    expect(made.code, made.stderr).toBe(0);
    expect(during - before, 'writes while the backup ran').toBeGreaterThan(5);

    const target = await emptyDatabase();
    try {
      const restored = await cli(['restore', file], { DATABASE_URL: target.url });
      expect(restored.code, restored.stderr).toBe(0);
      expect(await counterDrift(target.url)).toEqual([]);

      const posts = new Set((await query(target.url, 'select id::text as k from posts')).map((r) => r.k));
      const voteKeys = new Set(
        (await query(target.url, `select idea_id || ':' || user_id as k from idea_votes`)).map((r) => r.k),
      );
      const present = writes.map((w) => (w.table === 'posts' ? posts : voteKeys).has(w.key));
      const prefix = present.indexOf(false) === -1 ? present.length : present.indexOf(false);
      expect(present.slice(prefix).filter(Boolean), 'writes after the first missing one').toEqual([]);
      expect(prefix, 'every write acknowledged before the backup started').toBeGreaterThanOrEqual(before);
      expect(prefix, 'writes acknowledged after the snapshot').toBeLessThan(during);

      // Every row of the copy is in the source as it is, except in the tables whose rows the
      // writes update in place (counters, read markers, rate-limit windows): those by key.
      const inPlace: Record<string, string> = {
        threads: 'id::text',
        thread_reads: `user_id || ':' || thread_id`,
        rate_limits: 'key',
        users: 'id::text',
        sessions: 'id',
        // votes per window (migration 0024) and per month, and where the windows start
        idea_recent_votes: 'idea_id::text',
        idea_vote_months: `idea_id || ':' || month`,
        vote_windows: 'days::text',
      };
      for (const { name } of await withClient(target.url, listTables)) {
        const expr = inPlace[name] ?? 'md5(t::text)';
        const keys = async (url: string) =>
          new Set((await query(url, `select ${expr} as k from ${quoted(name)} t`)).map((r) => r.k as string));
        const there = await keys(source.url);
        const missing = [...(await keys(target.url))].filter((k) => !there.has(k));
        expect(missing, name).toEqual([]);
      }
    } finally {
      await target.drop();
    }
  }, 180_000);
});

describe('load order', () => {
  it('puts referenced tables first, allows self-references and refuses cycles', () => {
    expect(
      loadOrder(
        ['posts', 'threads', 'users', 'categories'],
        [
          ['posts', 'threads'],
          ['posts', 'users'],
          ['threads', 'categories'],
          ['threads', 'threads'],
          ['categories', 'categories'],
        ],
      ),
    ).toEqual(['categories', 'threads', 'users', 'posts']);
    expect(() =>
      loadOrder(
        ['a', 'b', 'c'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow(/tables a, b form a cycle/);
  });
});

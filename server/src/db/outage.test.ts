import { mkdtempSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '@fanlab/shared';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { makeAccount } from '../../test/factories';
import { freePort } from '../../test/ports';
import { postmasterPid, processAlive, type ServerProcess, startServerProcess } from '../../test/process';
import { TestSocket } from '../../test/socket';
import { createLucia, SESSION_COOKIE } from '../auth/sessions';
import { createCategory } from '../forum/actions/categories';
import { connect, type Db } from './connect';
import { type EmbeddedCluster, startEmbeddedPostgres } from './embedded';
import { EMBEDDED_DATABASE, ensureDatabase } from './open';
import { withTx } from './tx';

/**
 * The database goes away in the middle of a vote storm and a stream of replies, then comes
 * back. While it is gone the server answers 503 `unavailable` (never 500, never hangs, never
 * dies); afterwards it serves again by itself, every acknowledged write is in the database,
 * counters equal the rows, and a live client was told to resync and ends at the true count.
 */

const VOTERS = 16;
const POSTERS = 6;
/** A request that takes longer than this counts as a hang. */
const HANG_MS = 8_000;
/** createPost allows 30 replies per user per 5 minutes; stay below with room for ambiguous attempts. */
const MAX_REPLIES_PER_POSTER = 18;
const PASSWORD = 'violet-tractor-sunrise';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fanlab-outage-'));
  await fs.chmod(dir, 0o755); // the postgres user must be able to enter it when we run as root
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = processAlive;

interface Answer {
  status: number | 'hang' | 'network';
  body: { id?: number; error?: { code?: string } } | undefined;
  retryAfter: string | null;
  ms: number;
  at: number;
}

async function send(baseUrl: string, method: string, url: string, cookie: string, body?: unknown): Promise<Answer> {
  const started = Date.now();
  try {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { origin: baseUrl, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await res.text();
    let parsed: Answer['body'];
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: res.status,
      body: parsed,
      retryAfter: res.headers.get('retry-after'),
      ms: Date.now() - started,
      at: started,
    };
  } catch (err) {
    const status = (err as Error).name === 'TimeoutError' ? 'hang' : 'network';
    return { status, body: undefined, retryAfter: null, ms: Date.now() - started, at: started };
  }
}

interface Member {
  id: number;
  cookie: string;
}

interface Fixture {
  voters: Member[];
  posters: Member[];
  ideaIds: number[];
  threadId: number;
}

/** Members with sessions, three ideas and a discussion to reply in, made through the real rules and API. */
async function makeFixture(db: Db, baseUrl: string, tag: string): Promise<Fixture> {
  const auth = createLucia(db, { secureCookies: false });
  const members: Member[] = [];
  for (let i = 0; i < VOTERS + POSTERS; i++) {
    const username = `${tag}_fan_${i}`;
    const user = await makeAccount({ db }, { username, password: PASSWORD });
    const session = await auth.createSession(user.id, {});
    members.push({ id: user.id, cookie: `${SESSION_COOKIE}=${session.id}` });
  }
  const category = await withTx(db, (tx) =>
    createCategory(tx, null, { slug: `${tag}-ideas`, name: 'Ideas', allowIdeas: true }),
  );
  const author = members[0] as Member;
  const start = async (kind: 'idea' | 'discussion', title: string) => {
    const res = await send(baseUrl, 'POST', '/api/threads', author.cookie, {
      categoryId: category.id,
      title,
      body: `Opening post of ${title}`,
      kind,
    });
    if (res.status !== 201 || !res.body?.id) throw new Error(`could not start a thread: ${res.status}`);
    return res.body.id;
  };
  const ideaIds = [
    await start('idea', 'A darker theme for the camera app'),
    await start('idea', 'Longer battery life in standby'),
    await start('idea', 'A physical mute switch'),
  ];
  const threadId = await start('discussion', 'Chatting while the database reboots');
  return { voters: members.slice(0, VOTERS), posters: members.slice(VOTERS), ideaIds, threadId };
}

interface VoteOp extends Answer {
  userId: number;
  ideaId: number;
  vote: boolean;
}

interface ReplyOp extends Answer {
  userId: number;
  text: string;
}

/** Many concurrent clients voting and replying until stopped; every answer is recorded. */
function startStorm(baseUrl: string, f: Fixture) {
  const votes: VoteOp[] = [];
  const replies: ReplyOp[] = [];
  let running = true;
  const voter = async (m: Member) => {
    while (running) {
      // half the votes go to the first idea, the one the live client watches
      const ideaId = (Math.random() < 0.5 ? f.ideaIds[0] : f.ideaIds[Math.floor(Math.random() * 3)]) as number;
      const vote = Math.random() < 0.7;
      const res = await send(baseUrl, vote ? 'PUT' : 'DELETE', `/api/ideas/${ideaId}/vote`, m.cookie);
      votes.push({ ...res, userId: m.id, ideaId, vote });
      await sleep(res.status === 503 ? 100 : 5);
    }
  };
  const poster = async (m: Member) => {
    let acked = 0;
    for (let n = 0; running && acked < MAX_REPLIES_PER_POSTER && n < 400; n++) {
      const text = `Storm reply ${m.id}-${n}`;
      const res = await send(baseUrl, 'POST', `/api/threads/${f.threadId}/posts`, m.cookie, { body: text });
      replies.push({ ...res, userId: m.id, text });
      if (res.status === 201) acked += 1;
      await sleep(res.status === 503 ? 100 : 150);
    }
  };
  const loops = [...f.voters.map(voter), ...f.posters.map(poster)];
  const answered = () => [...votes, ...replies];
  return {
    votes,
    replies,
    acked: (since = 0) => answered().filter((a) => (a.status === 200 || a.status === 201) && a.at >= since).length,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

type Storm = ReturnType<typeof startStorm>;

/** A live client on `idea:<id>` that, like the web client, re-subscribes with its cursor on `resync`. */
async function watchIdea(baseUrl: string, ideaId: number) {
  const socket = await TestSocket.open(baseUrl);
  const channel = `idea:${ideaId}`;
  const state = { cursor: 0, voteCount: 0, resyncs: 0 };
  socket.ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as ServerMessage;
    if (m.type === 'event' && m.channel === channel && (m.cursor ?? 0) > state.cursor) {
      state.cursor = m.cursor ?? 0;
      state.voteCount = (m.data as { voteCount: number }).voteCount;
    }
    if (m.type === 'resync') {
      state.resyncs += 1;
      socket.send({ type: 'subscribe', channel, cursor: state.cursor });
    }
  });
  await socket.subscribe(channel, 0);
  return { socket, state };
}

async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  server?: ServerProcess,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const state = server ? ` (server exit code ${server.child.exitCode}):\n${server.output().slice(-4000)}` : '';
      throw new Error(`timed out waiting until ${what}${state}`);
    }
    await sleep(100);
  }
}

const ready = async (baseUrl: string) => {
  try {
    return (await fetch(`${baseUrl}/api/ready`, { signal: AbortSignal.timeout(HANG_MS) })).status === 200;
  } catch {
    return false;
  }
};

/** Only 200/201/503, every 503 `unavailable` with Retry-After; writes work again; the process lives. */
function checkAnswers(storm: Storm, server: ServerProcess, restoredAt: number) {
  const all = [...storm.votes, ...storm.replies];
  const log = () => server.output().slice(-6000);
  const wrong = all.filter((a) => a.status !== 200 && a.status !== 201 && a.status !== 503);
  expect(
    wrong.slice(0, 5).map((a) => ({ status: a.status, body: a.body })),
    log(),
  ).toEqual([]);
  const unavailable = all.filter((a) => a.status === 503);
  expect(unavailable.length, 'the outage was seen by the storm').toBeGreaterThan(0);
  for (const a of unavailable) {
    expect(a.body?.error?.code).toBe('unavailable');
    expect(Number(a.retryAfter)).toBeGreaterThan(0);
  }
  expect(Math.max(...all.map((a) => a.ms))).toBeLessThan(HANG_MS);
  expect(storm.acked(restoredAt), 'writes succeed after the database came back').toBeGreaterThan(20);
  expect(server.child.exitCode).toBeNull();
  expect(server.child.signalCode).toBeNull();
}

/** Every acknowledged vote and reply is in the database, nothing twice, counters equal count(*). */
async function checkDatabase(db: Db, storm: Storm, f: Fixture) {
  const rows = await db.selectFrom('idea_votes').select(['idea_id', 'user_id']).execute();
  const present = new Set(rows.map((r) => `${r.idea_id}:${r.user_id}`));
  const allowed = new Map<string, Set<boolean>>();
  for (const op of storm.votes) {
    // one request per voter at a time: per (idea, voter) the ops are in order
    const key = `${op.ideaId}:${op.userId}`;
    if (op.status === 200) allowed.set(key, new Set([op.vote]));
    else allowed.set(key, (allowed.get(key) ?? new Set([false])).add(op.vote)); // 503: may or may not have happened
  }
  const lost: string[] = [];
  for (const [key, states] of allowed) if (!states.has(present.has(key))) lost.push(key);
  for (const key of present) if (!allowed.has(key)) lost.push(`${key} (never requested)`);
  expect(lost).toEqual([]);
  expect(storm.votes.filter((v) => v.status === 200).length).toBeGreaterThan(50);

  const counters = await sql<{ id: number; vote_count: number; rows: number }>`
    select t.id, t.vote_count, (select count(*) from idea_votes v where v.idea_id = t.id)::int as rows
    from threads t where t.id = any(${f.ideaIds}::bigint[]) order by t.id`.execute(db);
  for (const c of counters.rows) expect(c.vote_count, `idea ${c.id}`).toBe(c.rows);

  const posts = await db
    .selectFrom('posts')
    .select(['id', 'raw', 'deleted_at'])
    .where('thread_id', '=', f.threadId)
    .execute();
  const byText = new Map<string, number>();
  for (const p of posts) byText.set(p.raw, (byText.get(p.raw) ?? 0) + 1);
  const acked = storm.replies.filter((r) => r.status === 201);
  expect(acked.length).toBeGreaterThan(10);
  for (const r of acked) {
    const post = posts.find((p) => p.id === r.body?.id);
    expect(post?.raw, `reply ${r.text}`).toBe(r.text);
  }
  for (const [text, n] of byText) expect(n, text).toBe(1);
  const thread = await sql<{ post_count: number; visible: number; highest_post_number: number; highest: number }>`
    select t.post_count, t.highest_post_number,
      (select count(*) from posts p where p.thread_id = t.id and p.deleted_at is null)::int as visible,
      (select max(post_number) from posts p where p.thread_id = t.id)::int as highest
    from threads t where t.id = ${f.threadId}`.execute(db);
  const t = thread.rows[0];
  expect(t?.post_count).toBe(t?.visible);
  expect(t?.highest_post_number).toBe(t?.highest);
  return counters.rows.find((c) => c.id === f.ideaIds[0])?.rows;
}

/** The storm runs until enough was acknowledged after the database came back, plus one last write each way. */
async function finishStorm(baseUrl: string, storm: Storm, f: Fixture, restoredAt: number) {
  await waitUntil('writes were acknowledged after the outage', () => storm.acked(restoredAt) >= 60, 30_000);
  await storm.stop();
  const voter = f.voters[0] as Member;
  const last = await send(baseUrl, 'PUT', `/api/ideas/${f.ideaIds[0]}/vote`, voter.cookie);
  expect(last.status).toBe(200);
  storm.votes.push({ ...last, userId: voter.id, ideaId: f.ideaIds[0] as number, vote: true });
}

describe('the database goes away and comes back', () => {
  it('DATABASE_URL: answers 503 while PostgreSQL is down, reconnects, and keeps every acknowledged write', async () => {
    const root = await tempDir();
    const pgDir = path.join(root, 'external-pg');
    const pgPort = await freePort();
    const startPg = () => startEmbeddedPostgres({ dir: pgDir, port: pgPort, log: () => {} });
    let cluster: EmbeddedCluster = await startPg();
    cleanups.push(() => cluster.stop());
    await ensureDatabase(cluster.url('postgres'), EMBEDDED_DATABASE);
    const url = cluster.url(EMBEDDED_DATABASE);

    const server = await startServerProcess(
      { DATABASE_URL: url, FANLAB_DATA_DIR: path.join(root, 'unused'), VOTE_LIMIT_PER_MINUTE: '1000000' },
      await freePort(),
    );
    cleanups.push(async () => {
      server.child.kill('SIGKILL');
      await server.exited;
    });
    const setupDb = connect(url, { max: 2 });
    const f = await makeFixture(setupDb, server.baseUrl, 'ext');
    await setupDb.destroy();
    const live = await watchIdea(server.baseUrl, f.ideaIds[0] as number);
    cleanups.push(async () => live.socket.close());

    const storm = startStorm(server.baseUrl, f);
    await waitUntil('the storm is under way', () => storm.acked() >= 80, 30_000);
    await cluster.stop(); // fast shutdown: sessions are terminated, then connections are refused
    await sleep(3_000); // gone for seconds: the storm keeps hammering
    expect(await ready(server.baseUrl)).toBe(false);
    cluster = await startPg();
    await waitUntil('the server is ready again', () => ready(server.baseUrl), 15_000, server);
    const restoredAt = Date.now();
    await finishStorm(server.baseUrl, storm, f, restoredAt);
    checkAnswers(storm, server, restoredAt);

    const db = connect(url, { max: 2 });
    cleanups.push(() => db.destroy());
    const trueCount = await checkDatabase(db, storm, f);
    // the listener retries with backoff (up to 5 s apart), then tells every socket to resync
    await waitUntil('the live client was told to resync', () => live.state.resyncs > 0, 10_000);
    await waitUntil('the live client shows the true count', () => live.state.voteCount === trueCount, 5_000);
  }, 180_000);

  it('embedded: restarts PostgreSQL killed with SIGKILL by itself, and keeps every acknowledged write', async () => {
    const dataDir = path.join(await tempDir(), 'pg');
    const pgPort = await freePort();
    const server = await startServerProcess(
      { FANLAB_DATA_DIR: dataDir, FANLAB_PG_PORT: String(pgPort), DATABASE_URL: '', VOTE_LIMIT_PER_MINUTE: '1000000' },
      await freePort(),
    );
    cleanups.push(async () => {
      server.child.kill('SIGKILL');
      await server.exited;
    });
    const password = readFileSync(path.join(dataDir, 'superuser-password'), 'utf8').trim();
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/${EMBEDDED_DATABASE}`;
    const setupDb = connect(url, { max: 2 });
    const f = await makeFixture(setupDb, server.baseUrl, 'emb');
    await setupDb.destroy();
    const live = await watchIdea(server.baseUrl, f.ideaIds[0] as number);
    cleanups.push(async () => live.socket.close());

    const storm = startStorm(server.baseUrl, f);
    await waitUntil('the storm is under way', () => storm.acked() >= 80, 30_000);
    const killed = postmasterPid(dataDir);
    process.kill(killed, 'SIGKILL');
    await waitUntil(
      'the server restarted PostgreSQL',
      () => server.output().includes('PostgreSQL restarted'),
      30_000,
      server,
    );
    await waitUntil('the server is ready again', () => ready(server.baseUrl), 15_000, server);
    const restoredAt = Date.now();
    expect(server.output()).toContain('exited unexpectedly (signal SIGKILL); restarting it');
    const restarted = postmasterPid(dataDir);
    expect(restarted).not.toBe(killed);
    expect(alive(restarted)).toBe(true);
    expect(readFileSync(path.join(dataDir, 'owner.pid'), 'utf8').trim()).toBe(String(server.child.pid));
    await finishStorm(server.baseUrl, storm, f, restoredAt);
    checkAnswers(storm, server, restoredAt);

    const db = connect(url, { max: 2 });
    const trueCount = await checkDatabase(db, storm, f);
    await db.destroy();
    // the listener retries with backoff (up to 5 s apart), then tells every socket to resync
    await waitUntil('the live client was told to resync', () => live.state.resyncs > 0, 10_000);
    await waitUntil('the live client shows the true count', () => live.state.voteCount === trueCount, 5_000);
    live.socket.close();

    // a shutdown stops the restarted cluster and does not start it again
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(alive(restarted)).toBe(false);
    const afterShutdown = server.output().slice(server.output().indexOf('SIGTERM'));
    expect(afterShutdown).not.toContain('restarting it');
  }, 180_000);
});

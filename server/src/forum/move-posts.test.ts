// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { MOVE_POSTS_MAX } from '@fanlab/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { digest } from '../../test/digest';
import { type Member, makeCategory, makeIdea, makePost, makeThread, makeUser, vote } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import type { CategoryRow } from '../db/schema';
import { withTx } from '../db/tx';
import { flagPost } from '../moderation/actions';
import { defaultModerationSettings } from '../moderation/settings';
import { deleteThread } from './actions/threads';

let t: TestApp;
let moderator: Member;
let member: Member;
let other: Member;
let forum: CategoryRow;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  [moderator, member, other] = [await makeUser(t, { role: 'moderator' }), await makeUser(t), await makeUser(t)];
  forum = await makeCategory(t);
});
afterAll(() => t.close());

const move = (as: Member | Client, sourceId: number, postIds: number[], destination: object) =>
  ('client' in as ? as.client : as).post(`/api/threads/${sourceId}/move-posts`, { postIds, destination });

/** A thread by `member` with replies alternating between `other` and `member`; ids by post number. */
async function threadWithReplies(replies: number, categoryId = forum.id) {
  const { id, firstPostId } = await makeThread(t, member.user, { categoryId });
  const ids = [firstPostId];
  for (let i = 0; i < replies; i++) {
    ids.push(await makePost(t, i % 2 ? member.user : other.user, id, `Reply ${i + 2} of thread ${id}.`));
  }
  return { id, ids };
}

/** A thread's stored counters next to the same figures counted from its posts. */
async function counters(threadId: number) {
  const stored = await t.db
    .selectFrom('threads')
    .select(['post_count', 'like_count', 'highest_post_number', 'bumped_at', 'last_poster_id'])
    .where('id', '=', threadId)
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{
    post_count: number;
    like_count: number;
    max_number: number;
    bumped_at: Date;
    last_poster_id: number;
  }>`select
      (select count(*)::int from posts where thread_id = ${threadId} and deleted_at is null) as post_count,
      (select coalesce(sum(like_count), 0)::int from posts where thread_id = ${threadId} and deleted_at is null) as like_count,
      (select coalesce(max(post_number), 0) from posts where thread_id = ${threadId}) as max_number,
      (select max(created_at) from posts where thread_id = ${threadId}) as bumped_at,
      (select author_id from posts where thread_id = ${threadId} order by created_at desc, id desc limit 1) as last_poster_id`.execute(
    t.db,
  );
  const counted = rows[0] as NonNullable<(typeof rows)[0]>;
  return { stored, counted };
}

async function expectCountersRight(threadId: number) {
  const { stored, counted } = await counters(threadId);
  expect(stored.post_count, `post_count of ${threadId}`).toBe(counted.post_count);
  expect(stored.like_count, `like_count of ${threadId}`).toBe(counted.like_count);
  expect(stored.highest_post_number).toBeGreaterThanOrEqual(counted.max_number);
  if (counted.bumped_at) {
    expect(stored.bumped_at.toISOString()).toBe(counted.bumped_at.toISOString());
    expect(stored.last_poster_id).toBe(counted.last_poster_id);
  }
}

const postsOf = (threadId: number) =>
  t.db
    .selectFrom('posts')
    .select(['id', 'post_number', 'author_id', 'reply_to_post_number'])
    .where('thread_id', '=', threadId)
    .orderBy('post_number')
    .execute();

const threadCount = async (id: number) =>
  (await t.db.selectFrom('categories').select('thread_count').where('id', '=', id).executeTakeFirstOrThrow())
    .thread_count;

describe('moving posts to a new thread (a split)', () => {
  it('makes a thread of them: first post the first moved, numbers from 1, counters, likes, markers, flags, audit', async () => {
    const target = await makeCategory(t);
    const reader = await makeUser(t);
    // posts 1..6; post 5 replies to post 4 (moved along), post 3 to post 2 (stays), post 6 to post 4 (stays)
    const { id, firstPostId } = await makeThread(t, member.user, { categoryId: forum.id });
    const ids = [firstPostId];
    ids.push(await makePost(t, other.user, id, 'Post 2.'));
    ids.push(await makePost(t, member.user, id, 'Post 3.', 2));
    ids.push(await makePost(t, other.user, id, 'Post 4.'));
    ids.push(await makePost(t, member.user, id, 'Post 5.', 4));
    ids.push(await makePost(t, other.user, id, 'Post 6.', 4));
    expect((await member.client.put(`/api/posts/${ids[3]}/like`)).status).toBe(200);
    await withTx(t.db, (tx) =>
      flagPost(tx, member.user, ids[3] as number, { reason: 'spam' }, defaultModerationSettings),
    );
    expect((await reader.client.put(`/api/threads/${id}/read`, { postNumber: 3 })).status).toBe(200);
    const countBefore = await threadCount(target.id);

    const res = await move(moderator, id, [ids[4] as number, ids[3] as number], {
      title: 'Split off: the part about batteries',
      categoryId: target.id,
    });
    expect(res.status).toBe(200);
    const newId = res.body.threadId as number;
    expect(newId).not.toBe(id);

    const moved = await postsOf(newId);
    expect(moved.map((p) => [p.id, p.post_number, p.reply_to_post_number])).toEqual([
      [ids[3], 1, null],
      [ids[4], 2, 1],
    ]);
    const made = await t.db.selectFrom('threads').selectAll().where('id', '=', newId).executeTakeFirstOrThrow();
    const firstMoved = await t.db
      .selectFrom('posts')
      .select(['author_id', 'created_at'])
      .where('id', '=', ids[3] as number)
      .executeTakeFirstOrThrow();
    expect(made).toMatchObject({
      title: 'Split off: the part about batteries',
      category_id: target.id,
      kind: 'discussion',
      author_id: firstMoved.author_id,
      deleted_at: null,
    });
    expect(made.created_at.toISOString()).toBe(firstMoved.created_at.toISOString());
    expect(await threadCount(target.id)).toBe(countBefore + 1);

    // the source keeps its numbers; post 6's reply to the moved post 4 is cleared, post 3's stays
    expect((await postsOf(id)).map((p) => [p.post_number, p.reply_to_post_number])).toEqual([
      [1, null],
      [2, null],
      [3, 2],
      [6, null],
    ]);
    await expectCountersRight(id);
    await expectCountersRight(newId);
    expect((await counters(newId)).stored).toMatchObject({ post_count: 2, like_count: 1, highest_post_number: 2 });

    const detail = await member.client.get(`/api/threads/${newId}`);
    expect(detail.body).toMatchObject({ replyCount: 1, likeCount: 1 });
    expect(detail.body.posts.map((p: any) => [p.postNumber, p.likedByMe])).toEqual([
      [1, true],
      [2, false],
    ]);
    // the review item follows its post
    const item = await t.db
      .selectFrom('reviewables')
      .select(['thread_id', 'category_id'])
      .where('post_id', '=', ids[3] as number)
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ thread_id: newId, category_id: target.id });
    // the reply notification of post 4 points at its new thread
    const notes = await t.db
      .selectFrom('notifications')
      .select('thread_id')
      .where('post_id', 'in', [ids[3] as number, ids[4] as number])
      .execute();
    expect(notes.length).toBeGreaterThan(0);
    expect(new Set(notes.map((n) => n.thread_id))).toEqual(new Set([newId]));
    // member had read everything (replying reads): the new thread too; reader (at 3) read neither moved post
    const markers = await t.db
      .selectFrom('thread_reads')
      .select(['thread_id', 'last_read_post_number'])
      .where('thread_id', 'in', [id, newId])
      .orderBy('thread_id');
    expect(await markers.where('user_id', '=', member.user.id).execute()).toEqual([
      { thread_id: id, last_read_post_number: 5 },
      { thread_id: newId, last_read_post_number: 2 },
    ]);
    expect(await markers.where('user_id', '=', reader.user.id).execute()).toEqual([
      { thread_id: id, last_read_post_number: 3 },
    ]);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_type', 'target_id', 'data'])
      .where('action', '=', 'posts.moved')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      actor_id: moderator.user.id,
      target_type: 'thread',
      target_id: id,
      data: { from: id, to: newId, postIds: [ids[3], ids[4]], newThread: true, wholeThread: false },
    });
  });

  it('keeps a split post hidden by flags hidden, and its new thread out of the lists', async () => {
    const { id, ids } = await threadWithReplies(2);
    // a staff flag hides at once
    await withTx(t.db, (tx) =>
      flagPost(tx, moderator.user, ids[1] as number, { reason: 'spam' }, defaultModerationSettings),
    );
    const res = await move(moderator, id, [ids[1] as number], { title: 'A hidden post alone', categoryId: forum.id });
    expect(res.status).toBe(200);
    const made = await t.db
      .selectFrom('threads')
      .select('hidden_at')
      .where('id', '=', res.body.threadId)
      .executeTakeFirstOrThrow();
    expect(made.hidden_at).not.toBeNull();
  });
});

describe('moving posts to an existing thread', () => {
  it('appends them in the order they were written, numbered on from the destination', async () => {
    const older = await threadWithReplies(3); // posts written before the destination's
    const into = await threadWithReplies(2);
    const res = await move(moderator, older.id, [older.ids[3] as number, older.ids[1] as number], {
      threadId: into.id,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ threadId: into.id });
    expect((await postsOf(into.id)).map((p) => [p.id, p.post_number])).toEqual([
      [into.ids[0], 1],
      [into.ids[1], 2],
      [into.ids[2], 3],
      [older.ids[1], 4],
      [older.ids[3], 5],
    ]);
    expect((await postsOf(older.id)).map((p) => p.post_number)).toEqual([1, 3]);
    await expectCountersRight(older.id);
    await expectCountersRight(into.id);
    const detail = (await member.client.get(`/api/threads/${into.id}`)).body;
    expect(detail).toMatchObject({ replyCount: 4, highestPostNumber: 5 });
    // the destination's bump does not go back: the moved posts are older than its last reply
    const { stored } = await counters(into.id);
    const last = await t.db
      .selectFrom('posts')
      .select('created_at')
      .where('id', '=', into.ids[2] as number)
      .executeTakeFirstOrThrow();
    expect(stored.bumped_at.toISOString()).toBe(last.created_at.toISOString());
  });

  it('moves replies out of an idea, which keeps its first post and its votes', async () => {
    const ideas = await makeCategory(t, { allowIdeas: true });
    const idea = await makeIdea(t, member.user, { categoryId: ideas.id });
    const reply = await makePost(t, other.user, idea.id, 'An aside about something else.');
    await vote(other, idea.id);
    const into = await threadWithReplies(0);
    expect((await move(moderator, idea.id, [reply], { threadId: into.id })).status).toBe(200);
    const row = await t.db.selectFrom('threads').selectAll().where('id', '=', idea.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'idea', deleted_at: null, post_count: 1, vote_count: 1 });
  });

  it('merges a whole thread: every post moves, the emptied source is deleted (404 to members)', async () => {
    const from = await threadWithReplies(2);
    const into = await threadWithReplies(1);
    const before = await threadCount(forum.id);
    const res = await move(moderator, from.id, [...from.ids].reverse(), { threadId: into.id });
    expect(res.status).toBe(200);
    expect((await postsOf(into.id)).map((p) => p.id)).toEqual([...into.ids, ...from.ids]);
    expect((await postsOf(from.id)).length).toBe(0);
    const source = await t.db.selectFrom('threads').selectAll().where('id', '=', from.id).executeTakeFirstOrThrow();
    expect(source.deleted_at).not.toBeNull();
    expect(source.deleted_by).toBe(moderator.user.id);
    expect(await threadCount(forum.id)).toBe(before - 1);
    expect((await member.client.get(`/api/threads/${from.id}`)).status).toBe(404);
    expect((await moderator.client.get(`/api/threads/${from.id}`)).body).toMatchObject({
      deleted: true,
      replyCount: 0,
    });
    await expectCountersRight(into.id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'posts.moved')
      .where('target_id', '=', from.id)
      .executeTakeFirstOrThrow();
    expect(audit.data).toMatchObject({ wholeThread: true, newThread: false, to: into.id });
  });

  it('marks the source read to its end for a reader who read what stayed, even when the tail moved away', async () => {
    const from = await threadWithReplies(3); // 1..4
    const into = await threadWithReplies(0);
    const reader = await makeUser(t);
    expect((await reader.client.put(`/api/threads/${from.id}/read`, { postNumber: 1 })).status).toBe(200);
    expect(
      (await move(moderator, from.id, [from.ids[2] as number, from.ids[3] as number], { threadId: into.id })).status,
    ).toBe(200);
    // the reader reads post 2, the last one left: nothing is unread, although posts 3 and 4 are gone
    const read = await reader.client.put(`/api/threads/${from.id}/read`, { postNumber: 2 });
    expect(read.body.lastReadPostNumber).toBe(4);
    const slug = forum.slug;
    const list = (await reader.client.get(`/api/threads?category=${slug}&filter=unread&limit=100`)).body.items;
    expect(list.map((x: any) => x.id)).not.toContain(from.id);
  });
});

describe('refusals', () => {
  it('lets only staff move posts', async () => {
    const { id, ids } = await threadWithReplies(1);
    const into = await threadWithReplies(0);
    const anonymous = await move(new Client(t.app), id, [ids[1] as number], { threadId: into.id });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthenticated']);
    const byMember = await move(member, id, [ids[1] as number], { threadId: into.id });
    expect([byMember.status, byMember.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses bad moves with a clear code, and changes nothing', async () => {
    const { id, ids } = await threadWithReplies(2);
    const elsewhere = await threadWithReplies(1);
    const deleted = await threadWithReplies(0);
    await withTx(t.db, (tx) => deleteThread(tx, moderator.user, deleted.id));
    const noDiscussions = await makeCategory(t, { allowDiscussions: false, allowIdeas: true });
    const ideas = await makeCategory(t, { allowIdeas: true });
    const idea = await makeIdea(t, member.user, { categoryId: ideas.id });
    const reply = ids[1] as number;
    const into = { threadId: elsewhere.id };
    const tables = ['posts', 'threads', 'categories', 'thread_reads', 'audit_log', 'reviewables', 'notifications'];
    const before = await digest(t.db, tables);

    const cases: [string, Promise<any>, number, string][] = [
      [
        'a post of another thread',
        move(moderator, id, [reply, elsewhere.ids[1] as number], into),
        400,
        'post_not_in_thread',
      ],
      ['a post that does not exist', move(moderator, id, [reply, 9_000_000_000], into), 400, 'post_not_in_thread'],
      ['the first post without the rest', move(moderator, id, [ids[0] as number], into), 400, 'first_post'],
      ['to the same thread', move(moderator, id, [reply], { threadId: id }), 400, 'same_thread'],
      ['to a deleted thread', move(moderator, id, [reply], { threadId: deleted.id }), 404, 'not_found'],
      ['to no thread', move(moderator, id, [reply], { threadId: 9_000_000_000 }), 404, 'not_found'],
      ['from a deleted thread', move(moderator, deleted.id, [deleted.ids[0] as number], into), 404, 'not_found'],
      ['from no thread', move(moderator, 9_000_000_000, [reply], into), 404, 'not_found'],
      ['a whole idea', move(moderator, idea.id, [idea.firstPostId], into), 400, 'use_merge'],
      ['no posts', move(moderator, id, [], into), 400, 'validation_failed'],
      ['the same post twice', move(moderator, id, [reply, reply], into), 400, 'validation_failed'],
      [
        `more than ${MOVE_POSTS_MAX} posts`,
        move(
          moderator,
          id,
          Array.from({ length: MOVE_POSTS_MAX + 1 }, (_, i) => i + 1),
          into,
        ),
        400,
        'validation_failed',
      ],
      [
        'a category without discussions',
        move(moderator, id, [reply], { title: 'A new thread here', categoryId: noDiscussions.id }),
        400,
        'kind_not_allowed',
      ],
      [
        'no such category',
        move(moderator, id, [reply], { title: 'A new thread here', categoryId: 9_000_000_000 }),
        400,
        'validation_failed',
      ],
      [
        'a short title',
        move(moderator, id, [reply], { title: 'Short', categoryId: forum.id }),
        400,
        'validation_failed',
      ],
      [
        'a blank title',
        move(moderator, id, [reply], { title: '\u0007'.repeat(9), categoryId: forum.id }),
        400,
        'validation_failed',
      ],
      [
        'both kinds of destination',
        move(moderator, id, [reply], { threadId: elsewhere.id, title: 'A new thread here', categoryId: forum.id }),
        400,
        'validation_failed',
      ],
      ['no destination', move(moderator, id, [reply], {}), 400, 'validation_failed'],
      ['ids as text', move(moderator, id, [String(reply)] as unknown as number[], into), 400, 'validation_failed'],
    ];
    for (const [name, request, status, code] of cases) {
      const res = await request;
      expect([res.status, res.body?.error?.code], name).toEqual([status, code]);
    }
    const notHere = (await move(moderator, id, [reply, elsewhere.ids[1] as number], into)).body.error;
    expect(notHere.details).toEqual({ postIds: [elsewhere.ids[1]] });
    expect(await digest(t.db, tables)).toEqual(before);
  });
});

describe('live', () => {
  it('tells open pages of both threads: posts_moved out of the source, in (with the new numbers) on the destination', async () => {
    const from = await threadWithReplies(3);
    const into = await threadWithReplies(1);
    const [onSource, onDestination] = [
      await TestSocket.open(t.baseUrl, { cookie: member.client.cookie }),
      await TestSocket.open(t.baseUrl, { cookie: other.client.cookie }),
    ];
    try {
      await onSource.subscribe(`thread:${from.id}`);
      await onDestination.subscribe(`thread:${into.id}`);
      expect(
        (await move(moderator, from.id, [from.ids[1] as number, from.ids[3] as number], { threadId: into.id })).status,
      ).toBe(200);
      const out = await onSource.next((m) => m.type === 'event' && m.event === 'posts_moved');
      expect(out).toMatchObject({ cursor: null, data: { toThreadId: into.id, postNumbers: [2, 4] } });
      const inn = await onDestination.next((m) => m.type === 'event' && m.event === 'posts_moved');
      expect(inn).toMatchObject({ cursor: 4, data: { fromThreadId: from.id, firstPostNumber: 3, lastPostNumber: 4 } });
    } finally {
      onSource.ws.close();
      onDestination.ws.close();
    }
  });
});

describe('concurrent moves', () => {
  it('140 moves of overlapping posts between two threads, both ways, with likes and flags: every post in one place, numbers and counters right', async () => {
    const a = await threadWithReplies(24);
    const b = await threadWithReplies(24);
    const replies = [...a.ids.slice(1), ...b.ids.slice(1)];
    const everyPost = [...a.ids, ...b.ids].sort((x, y) => x - y);
    const likers = await Promise.all(Array.from({ length: 4 }, () => makeUser(t)));
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = () => {
      const chosen = new Set<number>();
      const size = 1 + Math.floor(random() * 4);
      while (chosen.size < size) chosen.add(replies[Math.floor(random() * replies.length)] as number);
      return [...chosen];
    };
    const requests: Promise<{ kind: 'move' | 'like' | 'flag'; status: number; code?: string }>[] = [];
    for (let i = 0; i < 140; i++) {
      const [from, to] = i % 2 ? [a.id, b.id] : [b.id, a.id];
      requests.push(
        move(moderator, from, pick(), { threadId: to }).then((r) => ({
          kind: 'move' as const,
          status: r.status,
          code: r.body?.error?.code,
        })),
      );
      if (i % 4 === 2) {
        const flagger = likers[(i >> 2) % likers.length] as Member;
        const postId = replies[Math.floor(random() * replies.length)] as number;
        requests.push(
          flagger.client.post(`/api/posts/${postId}/flags`, { reason: 'spam' }).then((r) => ({
            kind: 'flag' as const,
            status: r.status,
            code: r.body?.error?.code,
          })),
        );
      }
      if (i % 4 === 0) {
        const liker = likers[i % likers.length] as Member;
        const postId = replies[Math.floor(random() * replies.length)] as number;
        requests.push(
          liker.client.put(`/api/posts/${postId}/like`).then((r) => ({
            kind: 'like' as const,
            status: r.status,
            code: r.body?.error?.code,
          })),
        );
      }
    }
    const results = await Promise.all(requests);
    const statuses = results.map((r) => `${r.status} ${r.code ?? ''}`.trim());
    const expected = ['200', '201', '400 post_not_in_thread', '403 own_post', '409 already_flagged'];
    expect(statuses.filter((s) => !expected.includes(s))).toEqual([]);
    expect(results.filter((r) => r.kind === 'flag' && r.status === 201).length).toBeGreaterThan(5);
    const moved = results.filter((r) => r.kind === 'move' && r.status === 200).length;
    expect(moved).toBeGreaterThan(10);

    const rows = await t.db
      .selectFrom('posts')
      .select(['id', 'thread_id', 'post_number'])
      .where('id', 'in', everyPost)
      .execute();
    expect(rows.map((r) => r.id).sort((x, y) => x - y)).toEqual(everyPost);
    expect(new Set(rows.map((r) => r.thread_id))).toEqual(new Set([a.id, b.id]));
    for (const id of [a.id, b.id]) {
      const numbers = rows.filter((r) => r.thread_id === id).map((r) => r.post_number);
      expect(new Set(numbers).size).toBe(numbers.length);
      await expectCountersRight(id);
    }
    // review items are where their posts are
    const astray = await sql<{ id: number }>`select r.id from reviewables r join posts p on p.id = r.post_id
      where p.id = any(${everyPost}::bigint[]) and r.thread_id <> p.thread_id`.execute(t.db);
    expect(astray.rows).toEqual([]);
    // each thread keeps its own first post
    expect(rows.find((r) => r.id === a.ids[0])).toMatchObject({ thread_id: a.id, post_number: 1 });
    expect(rows.find((r) => r.id === b.ids[0])).toMatchObject({ thread_id: b.id, post_number: 1 });
    const audits = await t.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', 'posts.moved')
      .where('target_id', 'in', [a.id, b.id])
      .executeTakeFirstOrThrow();
    expect(audits.n).toBe(moved);
  });
});

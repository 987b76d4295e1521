import { ErrorCodes, type HoldReason, type SiteSettings, ThreadChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../../audit/log';
import { publish } from '../../db/bus';
import type { Db } from '../../db/connect';
import type { Tx } from '../../db/tx';
import { AppError, enforce, notFound } from '../../http/errors';
import { notify } from '../../notifications/actions';
import { notifyThreadWatchers } from '../../notifications/levels';
import { promote } from '../../trust/actions';
import { checkEdit, checkPosting, type Poster, type PostingRules } from '../../trust/posting';
import type { Rendered } from '../markdown';
import { forumPolicy } from '../policy';
import { cleanText, renderPost } from '../render';

interface NotifyContext {
  threadId: number;
  postId: number;
  actor: Pick<User, 'id' | 'username'>;
  /** users notified already for this post (one notification per person per post) */
  skip: Set<number>;
}

/** Mentions and quotes of a new post notify the people named (once each, never the author). */
export async function notifyMentions(tx: Tx, rendered: Rendered, ctx: NotifyContext): Promise<void> {
  const send = async (userId: number, kind: 'mention' | 'quote') => {
    if (ctx.skip.has(userId) || userId === ctx.actor.id) return;
    ctx.skip.add(userId);
    await notify(tx, { userId, kind, threadId: ctx.threadId, postId: ctx.postId, actor: ctx.actor });
  };
  for (const quote of rendered.quotes) {
    if (!quote.postNumber) continue;
    const quoted = await tx
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.author_id')
      .select(['posts.author_id', 'users.username'])
      .where('posts.thread_id', '=', quote.threadId ?? ctx.threadId)
      .where('posts.post_number', '=', quote.postNumber)
      .executeTakeFirst();
    if (quoted && quoted.username.toLowerCase() === quote.username.toLowerCase()) await send(quoted.author_id, 'quote');
  }
  if (rendered.mentions.length) {
    const mentioned = await tx.selectFrom('users').select('id').where('username', 'in', rendered.mentions).execute();
    for (const u of mentioned) await send(u.id, 'mention');
  }
}

/**
 * A post's text, cleaned and rendered. Made before the transaction that stores it: rendering
 * (and looking up mentioned users) takes no locks.
 */
export interface PostDraft {
  body: string;
  rendered: Rendered;
}

export async function draftPost(db: Db, raw: string): Promise<PostDraft> {
  const body = cleanText(raw);
  if (!body.trim()) throw new AppError(400, ErrorCodes.validationFailed, 'The post is empty.');
  return { body, rendered: await renderPost(db, body) };
}

/**
 * Refuses a body its author posted a moment ago, in any thread (a double submit, a spam burst):
 * the same text within `minutes` (0: allowed). Run under the author's lock (checkNewPost).
 */
async function assertNotRepeated(tx: Tx, authorId: number, body: string, minutes: number): Promise<void> {
  if (minutes <= 0) return;
  const since = sql<Date>`now() - ${minutes} * interval '1 minute'`;
  const repeated = await tx
    .selectFrom('posts')
    .select('id')
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .where('raw', '=', body)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  // a post waiting for approval counts too: a burst of held copies is refused like published ones
  const waiting = repeated
    ? undefined
    : await tx
        .selectFrom('queued_posts')
        .select('id')
        .where('author_id', '=', authorId)
        .where('created_at', '>', since)
        .where('raw', '=', body)
        .where('status', '=', 'pending')
        .executeTakeFirst();
  if (repeated || waiting) {
    throw new AppError(409, ErrorCodes.duplicatePost, `You posted the same text less than ${minutes} minutes ago.`, {
      postId: repeated?.id ?? null,
    });
  }
}

/**
 * The checks of a member's new post (HTTP; none for the seed and operators): the same text twice,
 * watched words, new members' limits. One author's posts are taken in turn (a transaction-scoped
 * advisory lock on the author), so posts sent at once cannot all slip past a count. Called after
 * the thread's or category's row lock, before the insert.
 */
export async function checkNewPost(
  tx: Tx,
  author: Poster,
  draft: PostDraft,
  kind: 'thread' | 'reply',
  rules: PostingRules | undefined,
  /** A new thread's title: its words are checked with the body's. */
  title?: string,
): Promise<HoldReason | null> {
  if (!rules?.check) return null;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`post-author:${author.id}`}, 0))`.execute(tx);
  await assertNotRepeated(tx, author.id, draft.body, rules.settings.repeatPostMinutes);
  const text = title === undefined ? draft.body : `${title}\n${draft.body}`;
  return checkPosting(tx, author, text, draft.rendered, kind, rules);
}

/** A post that must wait for a moderator's approval: nothing was written (queuePost holds it). */
export interface Held {
  held: HoldReason;
}

/**
 * Adds a reply. The thread row is locked so post numbers are gapless per thread; the reply
 * bumps the thread, moves the author's read marker, notifies (reply, quote, mention) and
 * announces itself on the thread's live channel, all in one transaction. With `rules` (members
 * over HTTP) it may instead answer that the reply must wait for approval, having written nothing.
 */
export async function createPost(
  tx: Tx,
  author: User,
  threadId: number,
  draft: PostDraft,
  replyToPostNumber?: number,
): Promise<number>;
export async function createPost(
  tx: Tx,
  author: User,
  threadId: number,
  draft: PostDraft,
  replyToPostNumber: number | undefined,
  rules: PostingRules,
): Promise<number | Held>;
export async function createPost(
  tx: Tx,
  author: User,
  threadId: number,
  draft: PostDraft,
  replyToPostNumber?: number,
  /** Members posting over HTTP: see checkNewPost. None for the seed, operators and approvals. */
  rules?: PostingRules,
): Promise<number | Held> {
  const { body, rendered } = draft;
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  enforce(forumPolicy.reply(author, thread), {
    [ErrorCodes.notFound]: 'The thread does not exist.',
    [ErrorCodes.threadLocked]: 'This thread is locked: no new replies.',
  });
  let replyTo: { author_id: number } | undefined;
  if (replyToPostNumber !== undefined) {
    replyTo = await tx
      .selectFrom('posts')
      .select('author_id')
      .where('thread_id', '=', threadId)
      .where('post_number', '=', replyToPostNumber)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!replyTo) throw new AppError(400, ErrorCodes.invalidReplyTo, 'The post you reply to does not exist.');
  }
  const held = await checkNewPost(tx, author, draft, 'reply', rules);
  if (held) return { held };
  const postNumber = thread.highest_post_number + 1;
  const post = await tx
    .insertInto('posts')
    .values({
      thread_id: threadId,
      post_number: postNumber,
      author_id: author.id,
      reply_to_post_number: replyToPostNumber ?? null,
      raw: body,
      cooked: rendered.html,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('threads')
    .set((eb) => ({
      highest_post_number: postNumber,
      post_count: eb('post_count', '+', 1),
      bumped_at: sql<Date>`now()`,
      last_poster_id: author.id,
    }))
    .where('id', '=', threadId)
    .execute();
  // the marker row, then the member's row: the order every writer of both takes (markRead)
  await markRead(tx, author.id, threadId, postNumber, rules?.settings);
  await tx
    .updateTable('users')
    .set((eb) => ({ replies_posted: eb('replies_posted', '+', 1) }))
    .where('id', '=', author.id)
    .execute();
  if (rules?.settings) await promote(tx, author.id, rules.settings);

  const ctx: NotifyContext = { threadId, postId: post.id, actor: author, skip: new Set() };
  const repliedTo = replyTo?.author_id ?? thread.author_id;
  if (repliedTo !== author.id) {
    ctx.skip.add(repliedTo);
    await notify(tx, { userId: repliedTo, kind: 'reply', threadId, postId: post.id, actor: author });
  }
  await notifyMentions(tx, rendered, ctx);
  await notifyThreadWatchers(tx, { threadId, postId: post.id, actorId: author.id, skip: ctx.skip });
  await publish(tx, {
    channel: `thread:${threadId}`,
    event: ThreadChannelEvents.postCreated,
    cursor: postNumber,
    data: { postNumber, authorId: author.id },
  });
  return post.id;
}

/** Edits a post; the previous text is kept as a revision. */
export async function editPost(
  tx: Tx,
  user: User,
  postId: number,
  draft: PostDraft,
  /** Members editing over HTTP: the words and limits of a new post (checkEdit). */
  rules?: PostingRules,
): Promise<void> {
  const { body, rendered } = draft;
  const post = await tx.selectFrom('posts').selectAll().where('id', '=', postId).forUpdate().executeTakeFirst();
  if (!post) throw notFound('The post');
  const thread = await tx
    .selectFrom('threads')
    .select(['deleted_at'])
    .where('id', '=', post.thread_id)
    .executeTakeFirstOrThrow();
  enforce(forumPolicy.seeThread(user, thread), { [ErrorCodes.notFound]: 'The post does not exist.' });
  enforce(forumPolicy.editPost(user, post), { [ErrorCodes.forbidden]: 'You can only edit your own posts.' });
  if (post.raw === body) return;
  checkEdit(user, body, rendered, rules);
  await tx
    .insertInto('post_revisions')
    .values({ post_id: post.id, revision: post.revision, raw: post.raw, editor_id: user.id })
    .execute();
  await tx
    .updateTable('posts')
    .set({ raw: body, cooked: rendered.html, revision: post.revision + 1, edited_at: sql<Date>`now()` })
    .where('id', '=', postId)
    .execute();
  if (post.author_id !== user.id) {
    await writeAudit(tx, { actorId: user.id, action: 'post.edited', targetId: postId });
  }
  await publish(tx, {
    channel: `thread:${post.thread_id}`,
    event: ThreadChannelEvents.postUpdated,
    cursor: null,
    data: { postNumber: post.post_number },
  });
}

/** Soft-deletes a reply (the first post goes with its thread: delete the thread instead). */
export async function deletePost(tx: Tx, user: User, postId: number): Promise<void> {
  await setPostDeleted(tx, user, postId, true);
}

export async function restorePost(tx: Tx, user: User, postId: number): Promise<void> {
  enforce(forumPolicy.restore(user), { [ErrorCodes.forbidden]: 'Only staff can restore posts.' });
  await setPostDeleted(tx, user, postId, false);
}

async function setPostDeleted(tx: Tx, user: User, postId: number, deleted: boolean) {
  const post = await tx.selectFrom('posts').selectAll().where('id', '=', postId).forUpdate().executeTakeFirst();
  if (!post) throw notFound('The post');
  const thread = await tx
    .selectFrom('threads')
    .selectAll()
    .where('id', '=', post.thread_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  enforce(forumPolicy.seeThread(user, thread), { [ErrorCodes.notFound]: 'The post does not exist.' });
  if (post.post_number === 1) {
    throw new AppError(400, ErrorCodes.firstPost, 'The first post goes with its thread: delete or restore the thread.');
  }
  if (deleted) {
    enforce(forumPolicy.deletePost(user, post), {
      [ErrorCodes.notFound]: 'The post does not exist.',
      [ErrorCodes.forbidden]: 'You can only delete your own posts.',
    });
  }
  if ((post.deleted_at !== null) === deleted) return;
  await tx
    .updateTable('posts')
    .set(deleted ? { deleted_at: sql<Date>`now()`, deleted_by: user.id } : { deleted_at: null, deleted_by: null })
    .where('id', '=', postId)
    .execute();
  const sign = deleted ? -1 : 1;
  await tx
    .updateTable('threads')
    .set((eb) => ({
      post_count: eb('post_count', '+', sign),
      like_count: eb('like_count', '+', sign * post.like_count),
    }))
    .where('id', '=', post.thread_id)
    .execute();
  if (post.author_id !== user.id || !deleted) {
    await writeAudit(tx, {
      actorId: user.id,
      action: deleted ? 'post.deleted' : 'post.restored',
      targetId: postId,
    });
  }
  await publish(tx, {
    channel: `thread:${post.thread_id}`,
    event: ThreadChannelEvents.postUpdated,
    cursor: null,
    data: { postNumber: post.post_number },
  });
}

/**
 * Likes (true) or unlikes (false) a post; idempotent. One like per user per post is the
 * primary key; counters move only when a row was really added or removed.
 */
export async function setLike(
  tx: Tx,
  user: User,
  postId: number,
  like: boolean,
  settings?: SiteSettings,
): Promise<{ liked: boolean; likeCount: number }> {
  const post = await tx.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound('The post');
  const thread = await tx
    .selectFrom('threads')
    .select(['deleted_at'])
    .where('id', '=', post.thread_id)
    .executeTakeFirstOrThrow();
  if (thread.deleted_at) throw notFound('The post');
  enforce(forumPolicy.likePost(user, post), {
    [ErrorCodes.notFound]: 'The post does not exist.',
    [ErrorCodes.ownPost]: 'You cannot like your own post.',
  });
  // Both members' rows first, in id order (their counters change below): two members liking
  // each other's posts at once must not take them in opposite orders. NO KEY UPDATE, as the
  // counter updates themselves take: the like row's own foreign-key lock does not conflict.
  await tx
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [user.id, post.author_id])
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
  const changed = like
    ? await tx
        .insertInto('post_likes')
        .values({ post_id: postId, user_id: user.id })
        .onConflict((oc) => oc.doNothing())
        .returning('post_id')
        .execute()
    : await tx
        .deleteFrom('post_likes')
        .where('post_id', '=', postId)
        .where('user_id', '=', user.id)
        .returning('post_id')
        .execute();
  let likeCount = post.like_count;
  if (changed.length) {
    const delta = like ? 1 : -1;
    // The post's thread as of its row lock: a move may have taken it to another thread meanwhile.
    const updated = await tx
      .updateTable('posts')
      .set((eb) => ({ like_count: eb('like_count', '+', delta) }))
      .where('id', '=', postId)
      .returning(['like_count', 'thread_id'])
      .executeTakeFirstOrThrow();
    likeCount = updated.like_count;
    await tx
      .updateTable('threads')
      .set((eb) => ({ like_count: eb('like_count', '+', delta) }))
      .where('id', '=', updated.thread_id)
      .execute();
    await tx
      .updateTable('users')
      .set((eb) => ({ likes_given: eb('likes_given', '+', delta) }))
      .where('id', '=', user.id)
      .execute();
    await tx
      .updateTable('users')
      .set((eb) => ({ likes_received: eb('likes_received', '+', delta) }))
      .where('id', '=', post.author_id)
      .execute();
    if (settings && like) {
      await promote(tx, user.id, settings);
      await promote(tx, post.author_id, settings);
    }
    if (like) {
      await notify(tx, { userId: post.author_id, kind: 'like', threadId: updated.thread_id, postId, actor: user });
    }
  } else {
    likeCount = (await tx.selectFrom('posts').select('like_count').where('id', '=', postId).executeTakeFirstOrThrow())
      .like_count;
  }
  return { liked: like, likeCount };
}

/** Reading time counts from one marker move to the next, at most this much per move. */
const READ_SECONDS_PER_MOVE = 60;
/** A pause longer than this is not reading. */
const READ_PAUSE_SECONDS = 300;

/**
 * Moves the reader's marker forward (never back), capped at the thread's last post. Reading the
 * last post there is reads the thread to its highest number, even where moved posts left a gap
 * above it. Counts what it adds to the reader's trust stats: a thread entered (the first marker),
 * posts read (how far it moved) and reading time (the time since their last move, when they kept
 * reading). The reader's marker row is locked first, so simultaneous moves count each post once.
 * With `settings`, a level the stats now earn is given at once.
 */
export async function markRead(
  tx: Tx,
  userId: number,
  threadId: number,
  postNumber: number,
  settings?: SiteSettings,
): Promise<number | undefined> {
  const thread = await tx
    .selectFrom('threads')
    .select([
      'highest_post_number',
      sql<boolean>`exists (select 1 from posts p where p.thread_id = threads.id and p.post_number > ${postNumber}::int)`.as(
        'more',
      ),
    ])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    // The marker's foreign key takes this lock anyway, but only after its row is in: a reply by
    // the same member (thread row first, then their marker) then deadlocked with it. Taken first,
    // a read waits for the reply instead.
    .forKeyShare()
    .executeTakeFirst();
  if (!thread) return undefined;
  const target = thread.more ? Math.min(postNumber, thread.highest_post_number) : thread.highest_post_number;
  const inserted = await tx
    .insertInto('thread_reads')
    .values({ user_id: userId, thread_id: threadId, last_read_post_number: target })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
    .returning('last_read_post_number')
    .executeTakeFirst();
  let last = target;
  let read = target;
  if (!inserted) {
    const before = await tx
      .selectFrom('thread_reads')
      .select('last_read_post_number')
      .where('user_id', '=', userId)
      .where('thread_id', '=', threadId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    last = Math.max(before.last_read_post_number, target);
    read = last - before.last_read_post_number;
    if (read > 0) {
      await tx
        .updateTable('thread_reads')
        .set({ last_read_post_number: last, updated_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('thread_id', '=', threadId)
        .execute();
    }
  }
  const reader = await tx
    .updateTable('users')
    .set((eb) => ({
      threads_entered: eb('threads_entered', '+', inserted ? 1 : 0),
      posts_read: eb('posts_read', '+', read),
      read_seconds: sql<number>`read_seconds + case when last_read_at > now() - ${READ_PAUSE_SECONDS} * interval '1 second'
        then least(${READ_SECONDS_PER_MOVE}, ceil(extract(epoch from now() - last_read_at)))::int else 0 end`,
      last_read_at: sql<Date>`now()`,
    }))
    .where('id', '=', userId)
    .returning(['trust_level', 'trust_level_locked'])
    .executeTakeFirst();
  // (read markers move often: no promotion query for a level that cannot rise)
  if (settings && reader && reader.trust_level < 3 && !reader.trust_level_locked) {
    await promote(tx, userId, settings);
  }
  return last;
}

import type { AuditData, ModerateThreadBody, ThreadKind } from '@fanlab/shared';
import { ErrorCodes, ThreadChannelEvents } from '@fanlab/shared';
import { sql, type Updateable } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../../audit/log';
import { publish } from '../../db/bus';
import type { Db } from '../../db/connect';
import type { ThreadsTable } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { AppError, enforce, notFound } from '../../http/errors';
import { notifyCategoryWatchers, watchOwnThread } from '../../notifications/levels';
import { checkEdit, type PostingRules } from '../../trust/posting';
import { forumPolicy } from '../policy';
import { cleanText } from '../render';
import { adjustThreadCount } from './categories';
import { checkNewPost, type Held, markRead, notifyMentions, type PostDraft } from './posts';

type ThreadUpdate = Updateable<ThreadsTable>;

/** A new thread's category, title and kind; its first post comes as a draft (draftPost). */
export interface CreateThreadInput {
  categoryId: number;
  title: string;
  kind?: ThreadKind;
}

/**
 * Starts a thread with its first post; mentions notify, its author watches it, and so do the
 * members watching or tracking its category hear of it. Returns the new thread's id. With `rules`
 * (members over HTTP) it may instead answer that the thread must wait for approval, having
 * written nothing.
 */
export async function createThread(tx: Tx, author: User, input: CreateThreadInput, draft: PostDraft): Promise<number>;
export async function createThread(
  tx: Tx,
  author: User,
  input: CreateThreadInput,
  draft: PostDraft,
  rules: PostingRules,
): Promise<number | Held>;
export async function createThread(
  tx: Tx,
  author: User,
  input: CreateThreadInput,
  draft: PostDraft,
  /** Members posting over HTTP: see checkNewPost. None for the seed, operators and approvals. */
  rules?: PostingRules,
): Promise<number | Held> {
  const kind = input.kind ?? 'discussion';
  const title = cleanText(input.title).trim();
  const { body, rendered } = draft;
  if (title.length < 8) throw new AppError(400, ErrorCodes.validationFailed, 'The title needs at least 8 characters.');
  const category = await tx
    .selectFrom('categories')
    .selectAll()
    .where('id', '=', input.categoryId)
    .forUpdate()
    .executeTakeFirst();
  if (!category) throw notFound('The category');
  enforce(forumPolicy.startThread(author, category), {
    [ErrorCodes.forbidden]: 'Only staff can start threads in this category.',
  });
  if ((kind === 'idea' && !category.allow_ideas) || (kind === 'discussion' && !category.allow_discussions)) {
    throw new AppError(
      400,
      ErrorCodes.kindNotAllowed,
      `This category does not take ${kind === 'idea' ? 'ideas' : 'discussions'}.`,
    );
  }
  const held = await checkNewPost(tx, author, draft, 'thread', rules, title);
  if (held) return { held };
  const thread = await tx
    .insertInto('threads')
    .values({ category_id: category.id, kind, title, author_id: author.id, last_poster_id: author.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const post = await tx
    .insertInto('posts')
    .values({ thread_id: thread.id, post_number: 1, author_id: author.id, raw: body, cooked: rendered.html })
    .returning('id')
    .executeTakeFirstOrThrow();
  await adjustThreadCount(tx, category.id, 1);
  await markRead(tx, author.id, thread.id, 1, rules?.settings);
  const skip = new Set<number>();
  await notifyMentions(tx, rendered, { threadId: thread.id, postId: post.id, actor: author, skip });
  await watchOwnThread(tx, author.id, thread.id);
  await notifyCategoryWatchers(tx, category.id, { threadId: thread.id, postId: post.id, actorId: author.id, skip });
  return thread.id;
}

export async function updateTitle(
  tx: Tx,
  user: User,
  threadId: number,
  newTitle: string,
  /** Members renaming over HTTP: the words of a new post (checkEdit). */
  rules?: PostingRules,
): Promise<void> {
  const title = cleanText(newTitle).trim();
  if (title.length < 8) throw new AppError(400, ErrorCodes.validationFailed, 'The title needs at least 8 characters.');
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  enforce(forumPolicy.seeThread(user, thread), { [ErrorCodes.notFound]: 'The thread does not exist.' });
  enforce(forumPolicy.editTitle(user, thread), {
    [ErrorCodes.forbidden]: 'Only the author or staff can rename this thread.',
  });
  checkEdit(user, title, null, rules);
  const first = await tx
    .selectFrom('posts')
    .select(['id', 'revision', 'raw'])
    .where('thread_id', '=', threadId)
    .where('post_number', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('post_revisions')
    .values({ post_id: first.id, revision: first.revision, raw: first.raw, title: thread.title, editor_id: user.id })
    .execute();
  await tx
    .updateTable('posts')
    .set((eb) => ({ revision: eb('revision', '+', 1), edited_at: sql<Date>`now()` }))
    .where('id', '=', first.id)
    .execute();
  await tx.updateTable('threads').set({ title }).where('id', '=', threadId).execute();
}

/**
 * Soft-deletes a thread: staff always; its author while nobody else has replied.
 * Staff deleting others' threads is audited.
 */
export async function deleteThread(tx: Tx, user: User, threadId: number): Promise<void> {
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  const othersReplied = await tx
    .selectFrom('posts')
    .select('id')
    .where('thread_id', '=', threadId)
    .where('author_id', '!=', thread.author_id)
    .where('deleted_at', 'is', null)
    .limit(1)
    .execute();
  enforce(forumPolicy.deleteThread(user, thread, othersReplied.length > 0), {
    [ErrorCodes.notFound]: 'The thread does not exist.',
    [ErrorCodes.forbidden]: 'Only the author or staff can delete this thread.',
    [ErrorCodes.hasReplies]: 'Others have replied: ask a moderator to remove the thread.',
  });
  await tx
    .updateTable('threads')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: user.id })
    .where('id', '=', threadId)
    .execute();
  await adjustThreadCount(tx, thread.category_id, -1);
  if (thread.author_id !== user.id) {
    await writeAudit(tx, { actorId: user.id, action: 'thread.deleted', targetId: threadId });
  }
}

export async function restoreThread(tx: Tx, user: User, threadId: number): Promise<void> {
  enforce(forumPolicy.restore(user), { [ErrorCodes.forbidden]: 'Only staff can restore threads.' });
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  if (!thread.deleted_at) return;
  await tx.updateTable('threads').set({ deleted_at: null, deleted_by: null }).where('id', '=', threadId).execute();
  await adjustThreadCount(tx, thread.category_id, 1);
  await writeAudit(tx, { actorId: user.id, action: 'thread.restored', targetId: threadId });
}

/**
 * Staff pin (optionally until a time), lock, unlist or move a thread: one change of any of these,
 * audited with before and after, announced to open pages. A move keeps both categories'
 * thread counts and the pending review items' category right.
 */
export async function moderateThread(tx: Tx, user: User, threadId: number, patch: ModerateThreadBody): Promise<void> {
  enforce(forumPolicy.moderateThread(user), {
    [ErrorCodes.forbidden]: 'Only staff pin, lock, unlist or move threads.',
  });
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', threadId).forUpdate().executeTakeFirst();
  if (!thread) throw notFound('The thread');
  if (patch.pinnedUntil !== undefined && patch.pinned !== true) {
    throw new AppError(400, ErrorCodes.validationFailed, 'pinnedUntil goes with pinned: true.');
  }
  let pinnedUntil: Date | null = null;
  if (patch.pinnedUntil) {
    pinnedUntil = new Date(patch.pinnedUntil);
    if (Number.isNaN(pinnedUntil.getTime()) || pinnedUntil.getTime() <= Date.now()) {
      throw new AppError(400, ErrorCodes.validationFailed, 'pinnedUntil must be a time in the future.');
    }
  }
  const changes: ThreadUpdate = {};
  const record: AuditData['thread.moderated'] = {};
  const wasPinned = thread.pinned_at !== null;
  if (patch.pinned !== undefined) {
    const until = patch.pinned ? pinnedUntil : null;
    if (patch.pinned !== wasPinned) {
      changes.pinned_at = patch.pinned ? new Date() : null;
      record.pinned = [wasPinned, patch.pinned];
    }
    const before = thread.pinned_until?.toISOString() ?? null;
    if ((until?.toISOString() ?? null) !== before) {
      changes.pinned_until = until;
      record.pinnedUntil = [before, until?.toISOString() ?? null];
    }
  }
  const wasLocked = thread.locked_at !== null;
  if (patch.locked !== undefined && patch.locked !== wasLocked) {
    changes.locked_at = patch.locked ? new Date() : null;
    record.locked = [wasLocked, patch.locked];
  }
  if (patch.unlisted !== undefined && patch.unlisted !== thread.unlisted) {
    changes.unlisted = patch.unlisted;
    record.unlisted = [thread.unlisted, patch.unlisted];
  }
  if (patch.categoryId !== undefined && patch.categoryId !== thread.category_id) {
    const target = await tx.selectFrom('categories').selectAll().where('id', '=', patch.categoryId).executeTakeFirst();
    if (!target) throw new AppError(400, ErrorCodes.validationFailed, 'There is no such category to move it to.');
    if (
      (thread.kind === 'idea' && !target.allow_ideas) ||
      (thread.kind === 'discussion' && !target.allow_discussions)
    ) {
      throw new AppError(
        400,
        ErrorCodes.kindNotAllowed,
        `That category does not take ${thread.kind === 'idea' ? 'ideas' : 'discussions'}.`,
      );
    }
    changes.category_id = target.id;
    record.category = [thread.category_id, target.id];
    if (thread.deleted_at === null) {
      await adjustThreadCount(tx, thread.category_id, -1);
      await adjustThreadCount(tx, target.id, 1);
    }
    // its review items, decided ones too, are where the thread is (a category is then deleted
    // without history pointing at it)
    await tx.updateTable('reviewables').set({ category_id: target.id }).where('thread_id', '=', thread.id).execute();
    await tx
      .updateTable('queued_posts')
      .set({ category_id: target.id })
      .where('thread_id', '=', thread.id)
      .where('status', '=', 'pending')
      .execute();
  }
  if (Object.keys(record).length === 0) return;
  await tx.updateTable('threads').set(changes).where('id', '=', threadId).execute();
  await writeAudit(tx, { actorId: user.id, action: 'thread.moderated', targetId: threadId, data: record });
  await publish(tx, {
    channel: `thread:${threadId}`,
    event: ThreadChannelEvents.threadUpdated,
    cursor: null,
    data: {},
  });
}

/** Unpins threads whose pin ended (maintenance; lists read pinned_at, which holds no clock). */
export async function unpinExpired(db: Db): Promise<void> {
  await db
    .updateTable('threads')
    .set({ pinned_at: null, pinned_until: null })
    .where('pinned_until', '<=', sql<Date>`now()`)
    .execute();
}

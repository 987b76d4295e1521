import { ErrorCodes, type HoldReason, type ReviewActionBody, type SiteSettings, type ThreadKind } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import type { Tx } from '../db/tx';
import { createPost, draftPost, type PostDraft } from '../forum/actions/posts';
import { createThread } from '../forum/actions/threads';
import { AppError, notFound } from '../http/errors';
import { notifyMany } from '../notifications/actions';
import { history, markDecided, queueChanged } from './history';

/** What waits: a reply in a thread, or a new thread. */
export type QueueInput =
  | { kind: 'reply'; threadId: number; replyToPostNumber?: number; draft: PostDraft }
  | { kind: 'thread'; categoryId: number; title: string; threadKind: ThreadKind; draft: PostDraft };

/**
 * Holds a member's post for approval (createPost or createThread said it must wait, in this same
 * transaction, after their checks): nothing is published, numbered or announced to readers; it
 * waits in the review queue as a `queued_post` item. Returns the held post's id.
 */
export async function queuePost(
  tx: Tx,
  author: Pick<User, 'id'>,
  input: QueueInput,
  reason: HoldReason,
  settings: Pick<SiteSettings, 'flagHideScore'>,
): Promise<number> {
  let categoryId: number;
  if (input.kind === 'reply') {
    const thread = await tx
      .selectFrom('threads')
      .select('category_id')
      .where('id', '=', input.threadId)
      .executeTakeFirstOrThrow();
    categoryId = thread.category_id;
  } else {
    categoryId = input.categoryId;
  }
  const queued = await tx
    .insertInto('queued_posts')
    .values({
      author_id: author.id,
      kind: input.kind,
      thread_id: input.kind === 'reply' ? input.threadId : null,
      category_id: categoryId,
      title: input.kind === 'thread' ? input.title : null,
      thread_kind: input.kind === 'thread' ? input.threadKind : null,
      raw: input.draft.body,
      cooked: input.draft.rendered.html,
      reply_to_post_number: input.kind === 'reply' ? (input.replyToPostNumber ?? null) : null,
      reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviewable = await tx
    .insertInto('reviewables')
    .values({
      type: 'queued_post',
      queued_post_id: queued.id,
      post_id: null,
      thread_id: input.kind === 'reply' ? input.threadId : null,
      category_id: categoryId,
      target_author_id: author.id,
      // among the items that hide a post: what waits here is unseen until someone decides
      score: settings.flagHideScore,
      top_reason: reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await history(tx, reviewable.id, author.id, 'queued', { reason });
  await queueChanged(tx);
  return queued.id;
}

/**
 * A moderator's decision on a held post, from performReviewAction (which locked the item and
 * checked its version and claim). approve: the post is written now, as its author, at the end
 * of its thread (numbered, counted, announced and notified like any post; a held new thread
 * starts now); reject: it is dropped, and the author may be silenced or suspended with it.
 * The author is told either way.
 */
export async function decideQueuedPost(
  tx: Tx,
  actor: User,
  item: { id: number; queued_post_id: number | null; version: number },
  input: ReviewActionBody,
  /** Silences or suspends the author (sanctionUser, from the caller: it owns that rule). */
  sanction: (authorId: number) => Promise<void>,
): Promise<{ status: 'approved' | 'rejected'; version: number }> {
  if (input.action !== 'approve' && input.action !== 'reject') {
    throw new AppError(400, ErrorCodes.validationFailed, 'A held post is approved or rejected (or deferred).');
  }
  if (input.deletePost || (input.sanction && input.action !== 'reject')) {
    throw new AppError(400, ErrorCodes.validationFailed, 'Only "reject" sanctions the author of a held post.');
  }
  const queued = await tx
    .selectFrom('queued_posts')
    .selectAll()
    .where('id', '=', item.queued_post_id as number)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const version = item.version + 1;
  let postId: number | null = null;
  let threadId = queued.thread_id;
  let postNumber: number | null = null;
  if (input.action === 'approve') {
    const author = await tx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', queued.author_id)
      .executeTakeFirstOrThrow();
    // Rendered again: mentions and quotes resolve against who exists now.
    const draft = await draftPost(tx, queued.raw);
    if (queued.kind === 'reply') {
      // the post it answered may be gone (deleted or moved away) meanwhile: it is then a reply
      // to the thread
      const replyTo =
        queued.reply_to_post_number === null
          ? undefined
          : (
              await tx
                .selectFrom('posts')
                .select('post_number')
                .where('thread_id', '=', queued.thread_id as number)
                .where('post_number', '=', queued.reply_to_post_number)
                .where('deleted_at', 'is', null)
                .executeTakeFirst()
            )?.post_number;
      postId = await createPost(tx, author, queued.thread_id as number, draft, replyTo);
    } else {
      // (a category is not deleted while a held thread waits in it)
      if (queued.category_id === null) throw notFound('The category');
      threadId = await createThread(
        tx,
        author,
        {
          categoryId: queued.category_id,
          title: queued.title as string,
          kind: (queued.thread_kind ?? 'discussion') as ThreadKind,
        },
        draft,
      );
    }
    const post = await tx
      .selectFrom('posts')
      .select(['id', 'post_number'])
      .where(postId !== null ? 'id' : 'thread_id', '=', (postId ?? threadId) as number)
      .orderBy('post_number')
      .executeTakeFirstOrThrow();
    postId = post.id;
    postNumber = post.post_number;
  }
  const status = input.action === 'approve' ? 'approved' : 'rejected';
  await tx
    .updateTable('queued_posts')
    .set({ status, decided_at: sql<Date>`now()`, decided_by: actor.id, post_id: postId })
    .where('id', '=', queued.id)
    .execute();
  await markDecided(tx, item, { status, version, actorId: actor.id }, { post_id: postId, thread_id: threadId });
  await history(tx, item.id, actor.id, status, input.sanction ? { sanction: input.sanction.kind } : {});
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'review.decided',
    targetId: postId,
    data: { reviewable: item.id, action: input.action, flags: 0, deleted: false },
  });
  if (input.sanction) await sanction(queued.author_id);
  await notifyMany(tx, {
    userIds: [queued.author_id],
    kind: 'post_moderated',
    threadId,
    actorId: null,
    data: {
      outcome: status,
      reason: queued.reason,
      held: queued.kind,
      ...(postNumber !== null ? { postNumber } : {}),
      ...(queued.title ? { title: queued.title } : {}),
      ...(input.sanction ? { sanction: input.sanction.kind, days: input.sanction.days } : {}),
    },
  });
  await queueChanged(tx);
  return { status, version };
}

import {
  ErrorCodes,
  type FlagBody,
  type FlagReason,
  type ReviewActionBody,
  type Sanction,
  type SanctionKind,
  ThreadChannelEvents,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import { endAllSessions } from '../auth/actions';
import { isStaff } from '../auth/policy';
import { decideReviewedApplication } from '../beta/actions';
import { publish } from '../db/bus';
import type { PostRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { deletePost } from '../forum/actions/posts';
import { deleteThread } from '../forum/actions/threads';
import { forumPolicy } from '../forum/policy';
import { AppError, enforce, notFound } from '../http/errors';
import { notifyMany } from '../notifications/actions';

import { history, markDecided, queueChanged } from './history';
import { moderationPolicy } from './policy';
import { decideQueuedPost } from './queued-posts';
import { flagWeight, reachesHideScore } from './scoring';
import type { ModerationSettings } from './settings';

const UNIQUE_VIOLATION = '23505';

const postChanged = (tx: Tx, post: Pick<PostRow, 'thread_id' | 'post_number'>) =>
  publish(tx, {
    channel: `thread:${post.thread_id}`,
    event: ThreadChannelEvents.postUpdated,
    cursor: null,
    data: { postNumber: post.post_number },
  });

/** Hides a post (and, for a first post, its thread from every list) until a moderator decides. */
async function hidePost(tx: Tx, post: PostRow, reason: FlagReason): Promise<boolean> {
  const hidden = await tx
    .updateTable('posts')
    .set({ hidden_at: sql<Date>`now()`, hidden_reason: reason })
    .where('id', '=', post.id)
    .where('hidden_at', 'is', null)
    .executeTakeFirst();
  if (hidden.numUpdatedRows === 0n) return false;
  if (post.post_number === 1) {
    await tx.updateTable('threads').set({ hidden_at: sql<Date>`now()` }).where('id', '=', post.thread_id).execute();
  }
  await postChanged(tx, post);
  return true;
}

async function showPost(tx: Tx, post: PostRow): Promise<void> {
  if (post.hidden_at === null) return;
  await tx
    .updateTable('posts')
    .set({ hidden_at: null, hidden_reason: null, hidden_by: null })
    .where('id', '=', post.id)
    .execute();
  if (post.post_number === 1) {
    await tx.updateTable('threads').set({ hidden_at: null }).where('id', '=', post.thread_id).execute();
  }
  await postChanged(tx, post);
}

/**
 * A member flags a post. Its pending flags gather in one reviewable; when their weights reach the
 * hide score (or a staff member flags), the post is hidden until a moderator decides, and its
 * author is told why. Returns whether the post is hidden now.
 */
export async function flagPost(
  tx: Tx,
  user: User,
  postId: number,
  input: FlagBody,
  settings: ModerationSettings,
): Promise<{ hidden: boolean }> {
  // Key-share: a move of the post (which locks it for update) waits for this flag, or this flag
  // for the move, so the review item opens in the thread the post is in. Other flags and the
  // hiding below (not a key update) do not wait for it.
  const post = await tx.selectFrom('posts').selectAll().where('id', '=', postId).forKeyShare().executeTakeFirst();
  if (!post) throw notFound('The post');
  const thread = await tx.selectFrom('threads').selectAll().where('id', '=', post.thread_id).executeTakeFirstOrThrow();
  enforce(forumPolicy.seeThread(user, thread), { [ErrorCodes.notFound]: 'The post does not exist.' });
  const already = await tx
    .selectFrom('flags')
    .select('id')
    .where('post_id', '=', postId)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  enforce(forumPolicy.flagPost(user, post, thread, already !== undefined, settings.newMemberCanFlag), {
    [ErrorCodes.notFound]: 'The post does not exist.',
    [ErrorCodes.ownPost]: 'You cannot flag your own post.',
    [ErrorCodes.silenced]: 'You are silenced: you may not flag posts.',
    [ErrorCodes.newMemberLimit]:
      'New members cannot flag posts yet; this lifts when you reach trust level 1 (basic) by reading more.',
  });
  if (input.reason === 'other' && !input.message?.trim()) {
    throw new AppError(400, ErrorCodes.validationFailed, 'Say what is wrong with the post (message).', [
      { field: '/message', message: 'required for the reason "other"' },
    ]);
  }
  if ((input.reason === 'duplicate') !== (input.duplicateOf !== undefined)) {
    throw new AppError(
      400,
      ErrorCodes.validationFailed,
      'A duplicate names the thread it repeats (duplicateOf), and only a duplicate does.',
      [{ field: '/duplicateOf', message: 'required for the reason "duplicate", refused otherwise' }],
    );
  }
  if (input.duplicateOf !== undefined) {
    const original = await tx
      .selectFrom('threads')
      .select(['id', 'deleted_at'])
      .where('id', '=', input.duplicateOf)
      .executeTakeFirst();
    if (!original || original.deleted_at !== null || original.id === thread.id) {
      throw new AppError(400, ErrorCodes.validationFailed, 'duplicateOf must be another thread that exists.', [
        { field: '/duplicateOf', message: 'no such other thread' },
      ]);
    }
  }

  const flagger = await tx
    .selectFrom('users')
    .select(['flags_agreed', 'flags_disagreed', 'role', 'trust_level'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  const weight = flagWeight(
    {
      staff: isStaff(flagger),
      trustLevel: flagger.trust_level,
      flagsAgreed: flagger.flags_agreed,
      flagsDisagreed: flagger.flags_disagreed,
    },
    settings,
  );
  // One pending reviewable per post, even when flags arrive at once (the partial unique index).
  const reviewable = await tx
    .insertInto('reviewables')
    .values({
      type: 'flagged_post',
      post_id: post.id,
      thread_id: thread.id,
      category_id: thread.category_id,
      target_author_id: post.author_id,
      score: weight,
      flag_count: 1,
      top_reason: input.reason,
    })
    .onConflict((oc) =>
      oc
        .column('post_id')
        // a literal: PostgreSQL matches the partial index only by a predicate it can read
        .where('status', '=', sql.lit('pending'))
        .doUpdateSet((eb) => ({
          score: eb('reviewables.score', '+', eb.ref('excluded.score')),
          flag_count: eb('reviewables.flag_count', '+', 1),
          updated_at: sql<Date>`now()`,
        })),
    )
    .returning(['id', 'score', 'flag_count'])
    .executeTakeFirstOrThrow();
  try {
    await tx
      .insertInto('flags')
      .values({
        reviewable_id: reviewable.id,
        post_id: post.id,
        user_id: user.id,
        reason: input.reason,
        message: input.message?.trim() || null,
        duplicate_of: input.duplicateOf ?? null,
        weight,
      })
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new AppError(409, ErrorCodes.alreadyFlagged, 'You flagged this post already.');
    }
    throw err;
  }
  // The per-reason summary, and the reason with the most weight names the item and the hidden post.
  const { rows } = await sql<{ top_reason: FlagReason }>`
    update reviewables set
      reasons = jsonb_set(reasons, array[${input.reason}::text], jsonb_build_object(
        'count', coalesce((reasons -> ${input.reason} ->> 'count')::int, 0) + 1,
        'weight', coalesce((reasons -> ${input.reason} ->> 'weight')::float8, 0) + ${weight}::float8)),
      top_reason = (
        select key from jsonb_each(jsonb_set(reasons, array[${input.reason}::text], jsonb_build_object(
          'weight', coalesce((reasons -> ${input.reason} ->> 'weight')::float8, 0) + ${weight}::float8)))
        order by (value ->> 'weight')::float8 desc, key = top_reason desc, key limit 1)
    where id = ${reviewable.id}
    returning top_reason`.execute(tx);
  const topReason = rows[0]?.top_reason ?? input.reason;
  await history(tx, reviewable.id, user.id, 'flagged', { reason: input.reason, weight });

  let hidden = post.hidden_at !== null;
  if (!hidden && reachesHideScore(reviewable.score, settings.flagHideScore)) {
    hidden = await hidePost(tx, post, topReason);
    if (hidden) {
      await history(tx, reviewable.id, null, 'hidden', { score: reviewable.score });
      await notifyMany(tx, {
        userIds: [post.author_id],
        kind: 'post_moderated',
        threadId: thread.id,
        actorId: null,
        data: { outcome: 'hidden', reason: topReason, postNumber: post.post_number },
      });
    }
  }
  await queueChanged(tx);
  return { hidden };
}

/** A moderator's hold on a review item, row-locked for the rest of the transaction (404 if none). */
async function lockReviewable(tx: Tx, actor: User, reviewableId: number) {
  enforce(moderationPolicy.review(actor), { [ErrorCodes.forbidden]: 'Only moderators work the review queue.' });
  const item = await tx
    .selectFrom('reviewables')
    .selectAll()
    .where('id', '=', reviewableId)
    .forUpdate()
    .executeTakeFirst();
  if (!item) throw notFound('The review item');
  return item;
}

/** Refuses (409 review_claimed) an item another moderator claimed less than claimMinutes ago. */
function assertClaimAllows(
  actor: User,
  item: { claimed_by: number | null; claimed_at: Date | null },
  settings: ModerationSettings,
) {
  const lapsed =
    item.claimed_at !== null && item.claimed_at.getTime() < Date.now() - settings.reviewClaimMinutes * 60_000;
  enforce(moderationPolicy.overrideClaim(actor, item.claimed_by, lapsed), {
    [ErrorCodes.reviewClaimed]: 'Another moderator has claimed this item.',
  });
}

export interface ReviewOutcome {
  status: 'agreed' | 'disagreed' | 'ignored' | 'pending' | 'approved' | 'rejected' | 'accepted' | 'waitlisted';
  version: number;
}

/**
 * The one way a moderator decides a reviewable: checks the action against the policy and the
 * version the moderator saw, applies it (post shown, hidden or deleted; flaggers' accuracy; the
 * author's sanction), writes history and audit, and notifies flaggers and author — all in the
 * caller's transaction, so a decision happens whole or not at all, and exactly once.
 */
export async function performReviewAction(
  tx: Tx,
  actor: User,
  reviewableId: number,
  input: ReviewActionBody,
  settings: ModerationSettings,
): Promise<ReviewOutcome> {
  const item = await lockReviewable(tx, actor, reviewableId);
  if (item.status !== 'pending' || item.version !== input.version) {
    throw new AppError(
      409,
      ErrorCodes.reviewConflict,
      item.status !== 'pending'
        ? `This item was decided already (${item.status}).`
        : 'This item changed since you loaded it: look at it again.',
      { status: item.status, version: item.version },
    );
  }
  assertClaimAllows(actor, item, settings);
  const version = item.version + 1;

  if (input.action === 'defer') {
    if (input.deletePost || input.sanction) {
      throw new AppError(400, ErrorCodes.validationFailed, 'Deciding later deletes nothing and sanctions nobody.');
    }
    await tx
      .updateTable('reviewables')
      .set({
        version,
        claimed_by: null,
        claimed_at: null,
        deferred_until: sql<Date>`now() + ${settings.reviewDeferHours} * interval '1 hour'`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', item.id)
      .execute();
    await history(tx, item.id, actor.id, 'deferred');
    await queueChanged(tx);
    return { status: 'pending', version };
  }

  if (item.type === 'beta_application') {
    if (input.action !== 'accept' && input.action !== 'waitlist' && input.action !== 'reject') {
      throw new AppError(400, ErrorCodes.validationFailed, 'Beta applications are accepted, waitlisted or rejected.');
    }
    if (input.deletePost || input.sanction) {
      throw new AppError(
        400,
        ErrorCodes.validationFailed,
        'A beta application has no post to delete or author to sanction.',
      );
    }
    return { status: await decideReviewedApplication(tx, actor, item, input.action, input.reason), version };
  }
  if (item.type === 'queued_post') {
    const sanction = input.sanction;
    return decideQueuedPost(tx, actor, item, input, (authorId) =>
      sanction ? sanctionUser(tx, actor, authorId, sanction, item.id) : Promise.resolve(),
    );
  }
  if (input.action !== 'agree' && input.action !== 'disagree' && input.action !== 'ignore') {
    throw new AppError(400, ErrorCodes.validationFailed, 'Flagged posts are agreed with, disagreed with or ignored.');
  }
  if (input.action !== 'agree' && (input.deletePost || input.sanction)) {
    throw new AppError(400, ErrorCodes.validationFailed, 'Only "agree" deletes the post or sanctions its author.');
  }
  const status = input.action === 'agree' ? 'agreed' : input.action === 'disagree' ? 'disagreed' : 'ignored';
  const post = await tx
    .selectFrom('posts')
    .selectAll()
    .where('id', '=', item.post_id as number)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const flags = await tx
    .updateTable('flags')
    .set({ status })
    .where('reviewable_id', '=', item.id)
    .where('status', '=', 'pending')
    .returning(['user_id'])
    .execute();
  const flaggers = flags.map((f) => f.user_id);
  // Every member row this decision writes (flaggers' accuracy, the author's sanction), locked in
  // id order first: two decisions touching the same members in opposite roles cannot deadlock.
  const touched = [
    ...new Set([...(status !== 'ignored' ? flaggers : []), ...(input.sanction ? [post.author_id] : [])]),
  ];
  if (touched.length) {
    await tx.selectFrom('users').select('id').where('id', 'in', touched).orderBy('id').forNoKeyUpdate().execute();
  }
  if (status !== 'ignored' && flaggers.length) {
    await tx
      .updateTable('users')
      .set((eb) =>
        status === 'agreed'
          ? { flags_agreed: eb('flags_agreed', '+', 1) }
          : { flags_disagreed: eb('flags_disagreed', '+', 1) },
      )
      .where('id', 'in', flaggers)
      .execute();
  }
  let deleted = false;
  if (status === 'agreed') {
    await hidePost(tx, post, item.top_reason as FlagReason);
    await tx.updateTable('posts').set({ hidden_by: actor.id }).where('id', '=', post.id).execute();
    if (input.deletePost && post.deleted_at === null) {
      if (post.post_number === 1) await deleteThread(tx, actor, post.thread_id);
      else await deletePost(tx, actor, post.id);
      deleted = true;
    }
  } else {
    await showPost(tx, post);
  }
  await markDecided(tx, item, { status, version, actorId: actor.id });
  await history(tx, item.id, actor.id, status, {
    deleted,
    ...(input.sanction ? { sanction: input.sanction.kind } : {}),
  });
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'review.decided',
    targetId: post.id,
    data: { reviewable: item.id, action: input.action, flags: flaggers.length, deleted },
  });
  if (input.sanction) await sanctionUser(tx, actor, post.author_id, input.sanction, item.id);

  await notifyMany(tx, {
    userIds: flaggers,
    kind: 'flag_outcome',
    threadId: post.thread_id,
    actorId: null,
    data: { outcome: status, postNumber: post.post_number },
  });
  if (status === 'agreed' || post.hidden_at !== null) {
    await notifyMany(tx, {
      userIds: [post.author_id],
      kind: 'post_moderated',
      threadId: post.thread_id,
      actorId: null,
      data: {
        outcome: status === 'agreed' ? (deleted ? 'deleted' : 'hidden') : 'restored',
        reason: item.top_reason,
        postNumber: post.post_number,
        ...(input.sanction ? { sanction: input.sanction.kind, days: input.sanction.days } : {}),
      },
    });
  }
  await queueChanged(tx);
  return { status, version };
}

/**
 * Silences (may read; not post, reply, edit, like, vote or flag) or suspends (may not sign in:
 * every session and socket ends) a member for `days`, with the reason they are shown. It lifts
 * by itself: every check compares the end with the clock, no job has to run.
 */
export async function sanctionUser(
  tx: Tx,
  actor: User,
  userId: number,
  sanction: Sanction,
  reviewableId: number | null,
): Promise<void> {
  const target = await tx
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw notFound('The user');
  enforce(moderationPolicy.sanction(actor, target), {
    [ErrorCodes.forbidden]: 'Moderators cannot be silenced or suspended, and nobody sanctions themselves.',
  });
  const until = sql<Date>`now() + ${sanction.days} * interval '1 day'`;
  const row = await tx
    .updateTable('users')
    .set(
      sanction.kind === 'silence'
        ? { silenced_until: until, silence_reason: sanction.reason }
        : { suspended_until: until, suspend_reason: sanction.reason },
    )
    .where('id', '=', userId)
    .returning(['silenced_until', 'suspended_until'])
    .executeTakeFirstOrThrow();
  const end = (sanction.kind === 'silence' ? row.silenced_until : row.suspended_until) as Date;
  await writeAudit(tx, {
    actorId: actor.id,
    action: sanction.kind === 'silence' ? 'user.silenced' : 'user.suspended',
    targetId: userId,
    data: { until: end.toISOString(), days: sanction.days, reason: sanction.reason, reviewable: reviewableId },
  });
  if (sanction.kind === 'suspend') await endAllSessions(tx, userId);
}

/**
 * Claims an item so that two moderators do not work the same one (a claim lapses after
 * claimMinutes); `claim: false` lets it go.
 */
export async function setClaim(
  tx: Tx,
  actor: User,
  reviewableId: number,
  claim: boolean,
  settings: ModerationSettings,
): Promise<void> {
  const item = await lockReviewable(tx, actor, reviewableId);
  if (item.status !== 'pending') {
    throw new AppError(409, ErrorCodes.reviewConflict, `This item was decided already (${item.status}).`);
  }
  assertClaimAllows(actor, item, settings);
  await tx
    .updateTable('reviewables')
    .set(claim ? { claimed_by: actor.id, claimed_at: sql<Date>`now()` } : { claimed_by: null, claimed_at: null })
    .where('id', '=', item.id)
    .execute();
  await history(tx, item.id, actor.id, claim ? 'claimed' : 'unclaimed');
  await queueChanged(tx);
}

/** Lifts a silence or suspension early (it also lifts by itself at its end). */
export async function liftSanction(tx: Tx, actor: User, userId: number, kind: SanctionKind): Promise<void> {
  const target = await tx
    .selectFrom('users')
    .select(['id', 'role', 'silenced_until', 'suspended_until'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw notFound('The user');
  enforce(moderationPolicy.sanction(actor, target), {
    [ErrorCodes.forbidden]: 'Only moderators lift sanctions, and not their own.',
  });
  const until = kind === 'silence' ? target.silenced_until : target.suspended_until;
  if (until === null || until.getTime() <= Date.now()) return;
  await tx
    .updateTable('users')
    .set(
      kind === 'silence'
        ? { silenced_until: null, silence_reason: null }
        : { suspended_until: null, suspend_reason: null },
    )
    .where('id', '=', userId)
    .execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: kind === 'silence' ? 'user.unsilenced' : 'user.unsuspended',
    targetId: userId,
    data: { until: until.toISOString() },
  });
}

/** A note for other staff about a member. Returns its id. */
export async function addStaffNote(tx: Tx, actor: User, userId: number, body: string): Promise<number> {
  enforce(moderationPolicy.review(actor), { [ErrorCodes.forbidden]: 'Only staff keep notes on members.' });
  const user = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('The user');
  const text = body.trim();
  if (!text) throw new AppError(400, ErrorCodes.validationFailed, 'The note is empty.');
  const note = await tx
    .insertInto('staff_notes')
    .values({ user_id: userId, author_id: actor.id, body: text })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(tx, { actorId: actor.id, action: 'user.note_added', targetId: userId, data: { note: note.id } });
  return note.id;
}

/** Deletes a staff note: its author or an admin. */
export async function deleteStaffNote(tx: Tx, actor: User, noteId: number): Promise<void> {
  enforce(moderationPolicy.review(actor), { [ErrorCodes.forbidden]: 'Only staff keep notes on members.' });
  const note = await tx.selectFrom('staff_notes').selectAll().where('id', '=', noteId).forUpdate().executeTakeFirst();
  if (!note) throw notFound('The note');
  enforce(moderationPolicy.deleteNote(actor, note), {
    [ErrorCodes.forbidden]: 'Only its author or an admin deletes a note.',
  });
  await tx.deleteFrom('staff_notes').where('id', '=', noteId).execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'user.note_deleted',
    targetId: note.user_id,
    data: { note: noteId },
  });
}

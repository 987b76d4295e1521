import {
  CLOSED_IDEA_STATUSES,
  ErrorCodes,
  IdeaChannelEvents,
  type IdeaDetail,
  type IdeaListQuery,
  type IdeaSort,
  type IdeaStatus,
  type IdeaSummary,
  type SimilarIdea,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import { isSilenced } from '../auth/accounts';
import { can } from '../auth/policy';
import { publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { ThreadRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { excerpt, type Rendered } from '../forum/markdown';
import { toThreadSummary } from '../forum/present';
import { categoryAndChildrenIds, lastReadColumn, listedThread } from '../forum/queries';
import { renderPost } from '../forum/render';
import { AppError, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { notifyMany } from '../notifications/notifications';
import { type IdeaLiveState, ideaStateMessage } from './channel';
import { recomputeTrending, SCORE_EPOCH } from './trending';

/**
 * Sort scores; none depends on the clock, so pages never shift under a reader
 * (see docs/ideas.md for the formulas):
 * - top: votes; new: creation time; discussed: replies
 * - trending: `trending_score` = Σ 2^((voted_at − epoch) / 72 h), kept by the vote writer
 * - hot: log10(max(votes, 1)) + (created_at − epoch) / 45000 s — each 10× votes is worth 12.5 h
 */
function scoreExpression(sort: IdeaSort) {
  switch (sort) {
    case 'top':
      return sql<number>`t.vote_count::float8`;
    case 'new':
      return sql<number>`extract(epoch from t.created_at - ${SCORE_EPOCH}::timestamptz)::float8`;
    case 'discussed':
      return sql<number>`(t.post_count - 1)::float8`;
    case 'hot':
      return sql<number>`(log(greatest(t.vote_count, 1)) + extract(epoch from t.created_at - ${SCORE_EPOCH}::timestamptz) / 45000)::float8`;
    case 'trending':
      return sql<number>`t.trending_score`;
  }
}

/** Whether the reader voted for the idea `t` (false when anonymous). */
function votedColumn(viewer: Pick<User, 'id'> | null) {
  return (
    viewer
      ? sql<boolean>`exists (select 1 from idea_votes v where v.idea_id = t.id and v.user_id = ${viewer.id})`
      : sql<boolean>`false`
  ).as('voted');
}

export async function listIdeas(db: Db, viewer: User | null, query: IdeaListQuery) {
  const sort = query.sort ?? 'top';
  const limit = query.limit ?? 30;
  const after = decodeCursor(query.cursor, ['float', 'id']);
  const categoryIds = query.category ? await categoryAndChildrenIds(db, query.category) : undefined;

  let inner = db
    .selectFrom('threads as t')
    .innerJoin('users as author', 'author.id', 't.author_id')
    .innerJoin('users as last_poster', 'last_poster.id', 't.last_poster_id')
    .selectAll('t')
    .select([
      'author.username as author_username',
      'last_poster.username as last_poster_username',
      scoreExpression(sort).as('score'),
      votedColumn(viewer),
      lastReadColumn(viewer, 't'),
    ])
    .where(sql<boolean>`t.kind = 'idea'`)
    .where(listedThread('t'));
  if (categoryIds) inner = inner.where('t.category_id', 'in', categoryIds);
  if (query.status) inner = inner.where('t.status', '=', query.status);
  if (query.tag) inner = inner.where(sql<boolean>`t.tags @> array[${query.tag}]::text[]`);

  let outer = db.selectFrom(inner.as('i')).selectAll();
  if (after) outer = outer.where(sql<boolean>`(i.score, i.id) < (${after[0]}::float8, ${after[1]}::bigint)`);
  const rows = await outer
    .orderBy('i.score', 'desc')
    .orderBy('i.id', 'desc')
    .limit(sql.lit(limit + 1))
    .execute();
  return toPage(
    rows,
    limit,
    (r): IdeaSummary => ({
      ...toThreadSummary(
        { ...r, sort_key: '', last_read_post_number: r.last_read_post_number as number | null },
        viewer,
      ),
      status: r.status,
      voteCount: r.vote_count,
      voteVersion: r.vote_version,
      voted: Boolean(r.voted),
      tags: r.tags,
      mergedIntoId: r.merged_into_id,
    }),
    (r) => [r.score, r.id],
  );
}

/** The idea row, or 404 when the thread is not a (visible) idea. */
async function findIdea(db: Db, id: number, lock = false): Promise<ThreadRow> {
  let q = db
    .selectFrom('threads')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'idea')
    .where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const idea = await q.executeTakeFirst();
  if (!idea) throw notFound('The idea');
  return idea;
}

/** Votes a member has left in a category's budget (null when the category has none). */
async function budgetLeft(db: Db, userId: number, categoryId: number): Promise<number | null> {
  const category = await db
    .selectFrom('categories')
    .select('vote_budget')
    .where('id', '=', categoryId)
    .executeTakeFirstOrThrow();
  if (category.vote_budget === null) return null;
  const held = await db
    .selectFrom('idea_votes as v')
    .innerJoin('threads as t', 't.id', 'v.idea_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('v.user_id', '=', userId)
    .where('t.category_id', '=', categoryId)
    .where('t.status', 'not in', CLOSED_IDEA_STATUSES)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Math.max(0, category.vote_budget - Number(held.n));
}

export async function getIdeaDetail(db: Db, viewer: User | null, id: number): Promise<IdeaDetail> {
  const idea = await findIdea(db, id);
  const [voted, mergedInto, mergedFrom, history, left] = await Promise.all([
    viewer
      ? db
          .selectFrom('idea_votes')
          .select('user_id')
          .where('idea_id', '=', id)
          .where('user_id', '=', viewer.id)
          .executeTakeFirst()
      : undefined,
    idea.merged_into_id
      ? db.selectFrom('threads').select(['id', 'title']).where('id', '=', idea.merged_into_id).executeTakeFirst()
      : undefined,
    db.selectFrom('threads').select(['id', 'title']).where('merged_into_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('idea_status_changes as c')
      .leftJoin('users as u', 'u.id', 'c.actor_id')
      .select([
        'c.id',
        'c.from_status',
        'c.to_status',
        'c.response_cooked',
        'c.created_at',
        'u.id as actor_id',
        'u.username',
      ])
      .where('c.idea_id', '=', id)
      .orderBy('c.id')
      .execute(),
    viewer ? budgetLeft(db, viewer.id, idea.category_id) : null,
  ]);
  const closed = CLOSED_IDEA_STATUSES.includes(idea.status);
  const reason = !viewer
    ? 'unauthenticated'
    : closed
      ? 'closed'
      : isSilenced(viewer)
        ? 'silenced'
        : !voted && left === 0
          ? 'budget_exhausted'
          : null;
  return {
    threadId: idea.id,
    status: idea.status,
    voteCount: idea.vote_count,
    voteVersion: idea.vote_version,
    voted: voted !== undefined,
    canVote: reason === null,
    cannotVoteReason: reason,
    canTriage: can(viewer, 'triageIdeas'),
    canCurate: can(viewer, 'moderate'),
    tags: idea.tags,
    officialResponseCooked: idea.official_response_cooked,
    officialResponseAt: idea.official_response_at?.toISOString() ?? null,
    mergedInto: mergedInto ?? null,
    mergedFrom,
    history: history.map((h) => ({
      id: h.id,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      responseCooked: h.response_cooked,
      actor: h.actor_id !== null && h.username !== null ? { id: h.actor_id, username: h.username } : null,
      createdAt: h.created_at.toISOString(),
    })),
    budgetLeft: left,
  };
}

/** Everyone who should hear about an idea: its author and its voters. */
async function audience(tx: Tx, idea: Pick<ThreadRow, 'id' | 'author_id'>): Promise<number[]> {
  const voters = await tx.selectFrom('idea_votes').select('user_id').where('idea_id', '=', idea.id).execute();
  return [idea.author_id, ...voters.map((v) => v.user_id)];
}

async function announce(tx: Tx, idea: IdeaLiveState) {
  await publish(tx, ideaStateMessage(idea, IdeaChannelEvents.status));
}

/**
 * Sets an idea's status, optionally with an official response (Markdown), records it in the
 * timeline and the audit log, and notifies the author and every voter, in one transaction.
 * Duplicates are made by merging, not by status.
 */
export async function setIdeaStatus(
  tx: Tx,
  actor: User,
  ids: number[],
  status: IdeaStatus,
  response: ResponseDraft | undefined,
): Promise<void> {
  if (status === 'duplicate') {
    throw new AppError(400, ErrorCodes.useMerge, 'Merge the idea into the one it duplicates instead.');
  }
  // One transaction for all of them (bulk triage): either every idea changes, or none does.
  // Locks are taken in id order, like every other writer of idea rows.
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    await applyStatus(tx, actor, id, status, response?.raw, response?.rendered);
  }
}

/** An official response, rendered before the transaction that stores it (rendering takes no locks). */
export interface ResponseDraft {
  raw: string;
  rendered: Rendered;
}

/** The response as the status change will store it; undefined when there is none (blank). */
export async function draftResponse(db: Db, response: string | undefined): Promise<ResponseDraft | undefined> {
  return response?.trim() ? { raw: response, rendered: await renderPost(db, response) } : undefined;
}

async function applyStatus(
  tx: Tx,
  actor: User,
  id: number,
  status: IdeaStatus,
  response: string | undefined,
  rendered: { html: string } | undefined,
) {
  const idea = await findIdea(tx, id, true);
  if (idea.status === 'duplicate') {
    throw new AppError(409, ErrorCodes.alreadyMerged, 'This idea is merged into another: unmerge it first.');
  }
  if (idea.status === status && !rendered) return;
  const updated = await tx
    .updateTable('threads')
    .set((eb) => ({
      status,
      status_changed_at: sql<Date>`now()`,
      vote_version: eb('vote_version', '+', 1),
      ...(rendered
        ? {
            official_response_raw: response,
            official_response_cooked: rendered.html,
            official_response_at: sql<Date>`now()`,
          }
        : {}),
    }))
    .where('id', '=', id)
    .returning(['id', 'status', 'vote_count', 'vote_version'])
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('idea_status_changes')
    .values({
      idea_id: id,
      from_status: idea.status,
      to_status: status,
      response_cooked: rendered?.html ?? '',
      actor_id: actor.id,
    })
    .execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'idea.status_changed',
    targetId: id,
    data: { from: idea.status, to: status, response: Boolean(rendered) },
  });
  await notifyMany(tx, {
    userIds: await audience(tx, idea),
    kind: 'status',
    threadId: id,
    actorId: actor.id,
    // the official response travels with the news (as text; the idea page shows it rendered)
    data: { status, from: idea.status, ...(rendered ? { response: excerpt(rendered.html, 300) } : {}) },
  });
  await announce(tx, updated);
}

export async function setTags(tx: Tx, actor: User, id: number, tags: string[]): Promise<void> {
  const idea = await findIdea(tx, id, true);
  await tx.updateTable('threads').set({ tags }).where('id', '=', id).execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'idea.tags_changed',
    targetId: id,
    data: { from: idea.tags, to: tags },
  });
}

/** Locks two ideas in id order (the order every writer uses). */
async function lockPair(tx: Tx, a: number, b: number) {
  const [first, second] = a < b ? [a, b] : [b, a];
  const one = await findIdea(tx, first, true);
  const two = await findIdea(tx, second, true);
  return a < b ? [one, two] : [two, one];
}

/** A SQL expression: the number of vote rows of the idea in `threads` (merges set counters from rows). */
const countedVotes = sql<number>`(select count(*)::int from idea_votes v where v.idea_id = threads.id)`;

/**
 * After votes moved between two ideas (merge or unmerge): the moved idea takes its new status
 * and target, both recount their votes from the rows and move their vote versions on, trending
 * is recomputed and the status change joins the moved idea's timeline. Returns both live states.
 */
async function settlePair(
  tx: Tx,
  actor: User,
  fromId: number,
  intoId: number,
  change: { from: IdeaStatus; to: IdeaStatus; mergedIntoId: number | null },
): Promise<[IdeaLiveState, IdeaLiveState]> {
  const returning = ['id', 'status', 'vote_count', 'vote_version'] as const;
  const fromNow = await tx
    .updateTable('threads')
    .set((eb) => ({
      status: change.to,
      merged_into_id: change.mergedIntoId,
      vote_count: countedVotes,
      vote_version: eb('vote_version', '+', 1),
      status_changed_at: sql<Date>`now()`,
    }))
    .where('id', '=', fromId)
    .returning(returning)
    .executeTakeFirstOrThrow();
  const intoNow = await tx
    .updateTable('threads')
    .set((eb) => ({ vote_count: countedVotes, vote_version: eb('vote_version', '+', 1) }))
    .where('id', '=', intoId)
    .returning(returning)
    .executeTakeFirstOrThrow();
  await recomputeTrending(tx, [fromId, intoId]);
  await tx
    .insertInto('idea_status_changes')
    .values({ idea_id: fromId, from_status: change.from, to_status: change.to, actor_id: actor.id })
    .execute();
  return [fromNow, intoNow];
}

/**
 * Merges idea `fromId` into `intoId`: the first becomes a duplicate pointing at the second, and
 * its voters become the target's voters — nobody doubled (a voter of both keeps their own vote),
 * nobody lost, whatever the target's status. The rows move inside PostgreSQL, so vote times keep
 * their microseconds. The merge row keeps the merged idea's votes exactly, and each vote it adds
 * to the target carries the merge's id, so unmerge knows what to take back.
 */
export async function mergeIdeas(tx: Tx, actor: User, fromId: number, intoId: number): Promise<void> {
  if (fromId === intoId) throw new AppError(400, ErrorCodes.validationFailed, 'An idea cannot be merged into itself.');
  const [from, into] = (await lockPair(tx, fromId, intoId)) as [ThreadRow, ThreadRow];
  if (from.status === 'duplicate') throw new AppError(409, ErrorCodes.alreadyMerged, 'This idea is merged already.');
  if (into.status === 'duplicate') {
    throw new AppError(409, ErrorCodes.alreadyMerged, 'The target is itself merged: merge into the idea it points to.');
  }
  const voters = (await tx.selectFrom('idea_votes').select('user_id').where('idea_id', '=', fromId).execute()).map(
    (v) => v.user_id,
  );
  const merge = await sql<{ id: number }>`
    insert into idea_merges (from_id, to_id, from_status, from_votes, added_voter_ids, merged_by)
    select ${fromId}, ${intoId}, ${from.status},
      coalesce(jsonb_agg(jsonb_build_object('user_id', v.user_id, 'created_at', v.created_at, 'merge_id', v.merge_id)
        order by v.user_id), '[]'::jsonb),
      coalesce(array_agg(v.user_id order by v.user_id) filter (where not exists (
        select 1 from idea_votes w where w.idea_id = ${intoId} and w.user_id = v.user_id)), '{}'::bigint[]),
      ${actor.id}
    from idea_votes v where v.idea_id = ${fromId}
    returning id`.execute(tx);
  const mergeId = (merge.rows[0] as { id: number }).id;
  const added = await sql<{ user_id: number }>`
    with moved as (delete from idea_votes where idea_id = ${fromId} returning user_id, created_at)
    insert into idea_votes (idea_id, user_id, created_at, merge_id)
    select ${intoId}, user_id, created_at, ${mergeId} from moved
    on conflict do nothing
    returning user_id`.execute(tx);
  const [fromNow, intoNow] = await settlePair(tx, actor, fromId, intoId, {
    from: from.status,
    to: 'duplicate',
    mergedIntoId: intoId,
  });
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'idea.merged',
    targetId: fromId,
    data: { into: intoId, moved: added.rows.length, alreadyVoted: voters.length - added.rows.length },
  });
  await notifyMany(tx, {
    userIds: [from.author_id, ...voters],
    kind: 'merged',
    threadId: fromId,
    actorId: actor.id,
    data: { intoId, intoTitle: into.title },
  });
  await announce(tx, fromNow);
  await announce(tx, intoNow);
}

/**
 * The merged ideas to unmerge, in order, before the merge into `target` can be undone: `target`
 * itself merged into another idea, maybe that one too… The last one of the chain comes first.
 */
async function mergesOnward(tx: Tx, target: ThreadRow): Promise<number[]> {
  const chain: number[] = [];
  let idea: Pick<ThreadRow, 'id' | 'status' | 'merged_into_id'> | undefined = target;
  while (idea?.status === 'duplicate' && idea.merged_into_id !== null && !chain.includes(idea.id)) {
    chain.unshift(idea.id);
    idea = await tx
      .selectFrom('threads')
      .select(['id', 'status', 'merged_into_id'])
      .where('id', '=', idea.merged_into_id)
      .executeTakeFirst();
  }
  return chain;
}

const notMerged = (message = 'This idea is not merged.') => new AppError(409, ErrorCodes.notMerged, message);

/**
 * Undoes the active merge of `fromId`, as if it had never been made, keeping everything that
 * happened on the target since (see docs/ideas.md):
 * - the merged idea gets back exactly the votes it had (times to the microsecond);
 * - the target loses the votes this merge put there and that nobody touched since; of those,
 *   a voter who also voted for an idea merged into the target later keeps the vote, as that
 *   later merge's (it would have added them);
 * - refused (409 `unmerge_target_first`) while the target is itself merged into another idea:
 *   the votes this merge added have moved on with it, so that merge is undone first.
 */
export async function unmergeIdea(tx: Tx, actor: User, fromId: number): Promise<void> {
  const activeMerge = () =>
    tx
      .selectFrom('idea_merges')
      .select(['id', 'to_id', 'from_status'])
      .where('from_id', '=', fromId)
      .where('unmerged_at', 'is', null)
      .executeTakeFirst();
  const seen = await activeMerge();
  if (!seen) throw notMerged();
  const [, into] = (await lockPair(tx, fromId, seen.to_id)) as [ThreadRow, ThreadRow];
  // another moderator may have undone it while this request waited for the locks
  const merge = await activeMerge();
  if (merge?.id !== seen.id) throw notMerged('This merge has just been undone.');
  if (into.status === 'duplicate') {
    const first = await mergesOnward(tx, into);
    const list = first.map((id) => `#${id}`).join(', then ');
    throw new AppError(
      409,
      ErrorCodes.unmergeTargetFirst,
      `This idea is merged into #${into.id}, which has since been merged into another idea. ` +
        `Unmerge ${list} first, then this idea.`,
      { unmergeFirst: first },
    );
  }
  const kept = await sql`
    update idea_votes t set merge_id = later.merge_id, created_at = later.created_at
    from (
      select distinct on (v.user_id) v.user_id, m.id as merge_id, v.created_at
      from idea_merges m
      cross join lateral jsonb_to_recordset(m.from_votes) as v(user_id bigint, created_at timestamptz)
      where m.to_id = ${merge.to_id} and m.unmerged_at is null and m.id > ${merge.id}
      order by v.user_id, m.id
    ) later
    where t.idea_id = ${merge.to_id} and t.merge_id = ${merge.id} and t.user_id = later.user_id`.execute(tx);
  const removed = await tx
    .deleteFrom('idea_votes')
    .where('idea_id', '=', merge.to_id)
    .where('merge_id', '=', merge.id)
    .returning('user_id')
    .execute();
  const restored = await sql`
    insert into idea_votes (idea_id, user_id, created_at, merge_id)
    select ${fromId}, v.user_id, v.created_at, v.merge_id
    from idea_merges m
    cross join lateral jsonb_to_recordset(m.from_votes) as v(user_id bigint, created_at timestamptz, merge_id bigint)
    join users u on u.id = v.user_id
    where m.id = ${merge.id}`.execute(tx);
  await tx.updateTable('idea_merges').set({ unmerged_at: sql<Date>`now()` }).where('id', '=', merge.id).execute();
  const [fromNow, intoNow] = await settlePair(tx, actor, fromId, merge.to_id, {
    from: 'duplicate',
    to: merge.from_status,
    mergedIntoId: null,
  });
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'idea.unmerged',
    targetId: fromId,
    data: {
      from: merge.to_id,
      restored: Number(restored.numAffectedRows ?? 0),
      removedFromTarget: removed.length,
      keptForLaterMerges: Number(kept.numAffectedRows ?? 0),
    },
  });
  await announce(tx, fromNow);
  await announce(tx, intoNow);
}

export async function listVoters(db: Db, id: number, limit: number, cursor?: string) {
  await findIdea(db, id);
  const after = decodeCursor(cursor, ['timestamp', 'id']);
  let q = db
    .selectFrom('idea_votes as v')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .select(['u.id', 'u.username', 'v.created_at', sql<string>`v.created_at::text`.as('key')])
    .where('v.idea_id', '=', id)
    .orderBy('v.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) {
    q = q.where(sql<boolean>`(v.created_at, u.id) < (${after[0]}::timestamptz, ${after[1]}::bigint)`);
  }
  const rows = await q.execute();
  return toPage(
    rows,
    limit,
    (r) => ({ user: { id: r.id, username: r.username }, votedAt: r.created_at.toISOString() }),
    (r) => [r.key, r.id],
  );
}

/**
 * The five existing ideas most like a title being typed: nearest by trigram word distance,
 * read from a GiST index in distance order (so only ~5 rows are scored, whatever the forum's
 * size), then by votes. Merged duplicates are skipped; so are matches too weak to help.
 */
export async function similarIdeas(
  db: Db,
  viewer: User | null,
  q: string,
  categorySlug?: string,
): Promise<SimilarIdea[]> {
  const text = q.trim();
  const categoryIds = categorySlug ? await categoryAndChildrenIds(db, categorySlug) : undefined;
  const distance = sql<number>`(${text} <<-> t.title)`;
  let query = db
    .selectFrom('threads as t')
    .select(['t.id', 't.title', 't.status', 't.vote_count', 't.vote_version', 't.category_id', votedColumn(viewer)])
    .select(distance.as('distance'))
    .where(sql<boolean>`t.kind = 'idea'`)
    .where(listedThread('t'))
    .where(sql<boolean>`t.status <> 'duplicate'`)
    .orderBy(distance)
    .limit(sql.lit(SIMILAR_CANDIDATES));
  if (categoryIds) query = query.where('t.category_id', 'in', categoryIds);
  const rows = (await query.execute()).filter((r) => r.distance <= SIMILAR_MAX_DISTANCE);
  return rows
    .sort((a, b) => a.distance - b.distance || b.vote_count - a.vote_count)
    .slice(0, 5)
    .map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      voteCount: r.vote_count,
      voteVersion: r.vote_version,
      voted: Boolean(r.voted),
      categoryId: r.category_id,
    }));
}

/** Nearest titles fetched (ties on distance are then broken by votes); weaker matches are dropped. */
const SIMILAR_CANDIDATES = 10;
const SIMILAR_MAX_DISTANCE = 0.7;

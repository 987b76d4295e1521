import { ErrorCodes, IdeaChannelEvents, type IdeaStatus, type ReleaseChannel } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit, writeAudits } from '../audit/log';
import { publish, publishMany } from '../db/bus';
import type { Db } from '../db/connect';
import type { ThreadRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { excerpt, type Rendered } from '../forum/markdown';
import { renderPost } from '../forum/render';
import { AppError, notFound } from '../http/errors';
import { notifyMany } from '../notifications/actions';
import { type IdeaLiveState, ideaStateMessage } from './channel';
import { ideaPolicy } from './policy';
import { findIdea } from './queries';

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
    const idea = await findIdea(tx, id, true);
    if (idea.status === 'duplicate') {
      throw new AppError(409, ErrorCodes.alreadyMerged, 'This idea is merged into another: unmerge it first.');
    }
    if (idea.status === status && !response) continue;
    await applyStatus(tx, actor, idea, status, response);
  }
}

/** The release that moves ideas on (named in their timelines). */
export interface ReleaseRef {
  id: number;
  version: string;
  channel: ReleaseChannel;
}

/**
 * Where a release takes an idea: a stable release ships it; a beta release puts it in beta,
 * except an idea already shipped, which stays shipped (a later beta build does not un-ship it).
 * null: the idea stays as it is.
 */
export function statusForRelease(current: IdeaStatus, channel: ReleaseChannel): IdeaStatus | null {
  const next: IdeaStatus = channel === 'stable' ? 'shipped' : 'in_beta';
  if (current === next || (channel === 'beta' && current === 'shipped')) return null;
  return next;
}

/**
 * Moves the ideas a published release delivers (linked at publication or later), in a few
 * statements however many there are: locks them in id order, refuses a declined or merged one
 * (409 naming it) or a deleted one (404), then moves every one that changes (the same status for
 * all: shipped or in beta) with its timeline entry naming the release, an audit entry each and
 * its new state announced on `idea:<id>`. It notifies nobody: the release fan-out tells voters
 * and authors, once per person per release. Returns the ids whose status changed.
 */
export async function releaseIdeas(tx: Tx, actor: User, ids: number[], release: ReleaseRef): Promise<number[]> {
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  if (!wanted.length) return [];
  const ideas = await tx
    .selectFrom('threads')
    .selectAll()
    .where('id', 'in', wanted)
    .where('kind', '=', 'idea')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  const missing = wanted.find((id) => !ideas.some((idea) => idea.id === id));
  if (missing !== undefined) throw notFound(`Idea #${missing}`);
  for (const idea of ideas) enforceReleasable(idea);
  const status: IdeaStatus = release.channel === 'stable' ? 'shipped' : 'in_beta';
  const moving = ideas.filter((idea) => statusForRelease(idea.status, release.channel) !== null);
  if (!moving.length) return [];
  const updated = await tx
    .updateTable('threads')
    .set((eb) => ({ status, status_changed_at: sql<Date>`now()`, vote_version: eb('vote_version', '+', 1) }))
    .where(
      'id',
      'in',
      moving.map((idea) => idea.id),
    )
    .returning(['id', 'status', 'vote_count', 'vote_version'])
    .execute();
  await tx
    .insertInto('idea_status_changes')
    .values(
      moving.map((idea) => ({
        idea_id: idea.id,
        from_status: idea.status,
        to_status: status,
        actor_id: actor.id,
        release_id: release.id,
      })),
    )
    .execute();
  await writeAudits(
    tx,
    moving.map((idea) => ({
      actorId: actor.id,
      action: 'idea.status_changed' as const,
      targetId: idea.id,
      data: { from: idea.status, to: status, response: false, release: release.id },
    })),
  );
  await publishMany(
    tx,
    updated.map((idea) => ideaStateMessage(idea, IdeaChannelEvents.status)),
  );
  return moving.map((idea) => idea.id);
}

/** Throws 409 idea_not_releasable naming the idea when a release may not link it. */
export function enforceReleasable(idea: Pick<ThreadRow, 'id' | 'title' | 'status'>): void {
  const decision = ideaPolicy.release(idea);
  if (decision.ok) return;
  const why = idea.status === 'duplicate' ? 'is merged into another idea' : 'was declined';
  throw new AppError(
    409,
    ErrorCodes.ideaNotReleasable,
    `Idea #${idea.id} “${idea.title}” ${why}: a release cannot deliver it.`,
    { ideaId: idea.id, status: idea.status },
  );
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

/**
 * Changes the status of an idea the caller has locked (triage): the row, the timeline, the audit
 * log, the author and voters told, and the new state announced on `idea:<id>`. Releases move
 * their ideas set-based instead (releaseIdeas).
 */
async function applyStatus(
  tx: Tx,
  actor: User,
  idea: ThreadRow,
  status: IdeaStatus,
  response: ResponseDraft | undefined,
) {
  const rendered = response?.rendered;
  const updated = await tx
    .updateTable('threads')
    .set((eb) => ({
      status,
      status_changed_at: sql<Date>`now()`,
      vote_version: eb('vote_version', '+', 1),
      ...(rendered
        ? {
            official_response_raw: response.raw,
            official_response_cooked: rendered.html,
            official_response_at: sql<Date>`now()`,
          }
        : {}),
    }))
    .where('id', '=', idea.id)
    .returning(['id', 'status', 'vote_count', 'vote_version'])
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('idea_status_changes')
    .values({
      idea_id: idea.id,
      from_status: idea.status,
      to_status: status,
      response_cooked: rendered?.html ?? '',
      actor_id: actor.id,
    })
    .execute();
  await writeAudit(tx, {
    actorId: actor.id,
    action: 'idea.status_changed',
    targetId: idea.id,
    data: { from: idea.status, to: status, response: Boolean(rendered) },
  });
  await notifyMany(tx, {
    userIds: await audience(tx, idea),
    kind: 'status',
    threadId: idea.id,
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
 * and target, both recount their votes from the rows and move their vote versions on, and the
 * status change joins the moved idea's timeline (the rows' trigger moved their trending weights
 * with them). Returns both live states.
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

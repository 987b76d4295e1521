import { CLOSED_IDEA_STATUSES, type SiteSettings } from '@fanlab/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import type { Tx } from '../db/tx';

/**
 * Data access for vote rows shared by the vote writer, the release of held votes and the idea
 * pages. A vote is counted (`idea_votes`: in every count, score, voter list and export) or held
 * (`held_votes`: a new member's, while `newMemberVotesHeld` is on; counted once they reach
 * trust level 1).
 */

/** The role whose votes can be held: staff and product managers always count. */
const HELD_ROLE = 'member';

/**
 * Of these voters, those whose votes are held now. Their rows are locked `for update` (in id
 * order), so a promotion committing meanwhile either waits for this transaction (and then finds
 * its held votes to release) or is seen by it (and the vote counts at once): no held vote is left
 * behind. Not `for share`: the budget check locks the same rows `for update` later in the batch,
 * and two processes both upgrading a shared lock would deadlock.
 */
export async function heldVoters(
  tx: Tx,
  userIds: number[],
  settings: Pick<SiteSettings, 'newMemberVotesHeld'>,
): Promise<Set<number>> {
  if (!settings.newMemberVotesHeld || !userIds.length) return new Set();
  const { rows } = await sql<{ id: number }>`
    select id from users where id = any(${[...userIds].sort((a, b) => a - b)}::bigint[])
      and trust_level = 0 and role = ${HELD_ROLE}
    order by id for update`.execute(tx);
  return new Set(rows.map((r) => r.id));
}

/**
 * SQL: whether the member `u` (a `users` row) no longer has their votes held, so their held
 * votes are due for release.
 */
export const votesNoLongerHeld = (settings: Pick<SiteSettings, 'newMemberVotesHeld'>) =>
  settings.newMemberVotesHeld ? sql<boolean>`(u.trust_level >= 1 or u.role <> ${HELD_ROLE})` : sql<boolean>`true`;

export interface OpenVote {
  user_id: number;
  category_id: number;
  idea_id: number;
}

/**
 * The votes these members hold on open ideas, counted and held alike (a held vote spends the
 * category's budget like a counted one), optionally in one category only.
 */
export async function openVotes(db: Kysely<Database>, userIds: number[], categoryId?: number): Promise<OpenVote[]> {
  if (!userIds.length) return [];
  const inCategory = categoryId === undefined ? sql`true` : sql`t.category_id = ${categoryId}`;
  const { rows } = await sql<OpenVote>`
    select v.user_id, t.category_id, v.idea_id
    from (select idea_id, user_id from idea_votes where user_id = any(${userIds}::bigint[])
          union all
          select idea_id, user_id from held_votes where user_id = any(${userIds}::bigint[])) v
    join threads t on t.id = v.idea_id
    where t.status <> all(${CLOSED_IDEA_STATUSES}::text[]) and t.deleted_at is null and ${inCategory}`.execute(db);
  return rows;
}

/** Whether the member voted for the idea, and whether that vote is held. */
export async function myVote(db: Kysely<Database>, ideaId: number, userId: number) {
  const { rows } = await sql<{ held: boolean }>`
    select false as held from idea_votes where idea_id = ${ideaId} and user_id = ${userId}
    union all
    select true from held_votes where idea_id = ${ideaId} and user_id = ${userId}`.execute(db);
  const voted = rows.length > 0;
  return { voted, held: voted && rows.every((r) => r.held) };
}

/** SQL: whether `viewer` voted for the idea `t` (counted or held). */
export const votedFor = (viewerId: number) =>
  sql<boolean>`(exists (select 1 from idea_votes v where v.idea_id = t.id and v.user_id = ${viewerId})
    or exists (select 1 from held_votes h where h.idea_id = t.id and h.user_id = ${viewerId}))`;

import type { IdeaDetail, IdeaStatus, IdeaSummary, SimilarIdea } from '@fanlab/shared';
import type { User } from 'lucia';
import type { ThreadRow } from '../db/schema';
import { toThreadSummary } from '../forum/present';
import { ideaPolicy } from './policy';

/** An idea in a board: its thread row with its authors' names and the reader's vote and read marker. */
export interface IdeaSummaryRow extends ThreadRow {
  author_username: string;
  last_poster_username: string;
  voted: boolean;
  last_read_post_number: number | null;
  /** The first post's excerpt (posts.excerpt, kept by PostgreSQL: migration 0017). */
  first_excerpt: string | null;
}

export function toIdeaSummary(r: IdeaSummaryRow, viewer: User | null): IdeaSummary {
  return {
    ...toThreadSummary({ ...r, sort_key: '' }, viewer),
    status: r.status,
    voteCount: r.vote_count,
    voteVersion: r.vote_version,
    voted: Boolean(r.voted),
    tags: r.tags,
    mergedIntoId: r.merged_into_id,
    excerpt: r.first_excerpt ?? '',
  };
}

/** What the idea page shows beside the idea row (getIdeaDetail reads it). */
export interface IdeaDetailParts {
  /** The reader voted for it. */
  voted: boolean;
  /** The reader's vote waits for their trust level 1. */
  voteHeld: boolean;
  mergedInto: { id: number; title: string } | undefined;
  mergedFrom: { id: number; title: string }[];
  history: {
    id: number;
    from_status: IdeaStatus | null;
    to_status: IdeaStatus;
    response_cooked: string;
    created_at: Date;
    actor_id: number | null;
    username: string | null;
    release_id: number | null;
    release_version: string | null;
    release_channel: string | null;
  }[];
  /** Votes the reader has left in the category's budget (null: no budget, or anonymous). */
  budgetLeft: number | null;
}

export function toIdeaDetail(idea: ThreadRow, viewer: User | null, parts: IdeaDetailParts): IdeaDetail {
  const { voted, voteHeld, mergedInto, mergedFrom, history, budgetLeft: left } = parts;
  const vote = ideaPolicy.vote(viewer, idea, { voted, budgetLeft: left });
  return {
    threadId: idea.id,
    status: idea.status,
    voteCount: idea.vote_count,
    voteVersion: idea.vote_version,
    voted,
    voteHeld,
    canVote: vote.ok,
    cannotVoteReason: vote.ok ? null : vote.reason,
    canTriage: ideaPolicy.triage(viewer).ok,
    canCurate: ideaPolicy.curate(viewer).ok,
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
      release:
        h.release_id !== null && h.release_version !== null && h.release_channel !== null
          ? { id: h.release_id, version: h.release_version, channel: h.release_channel }
          : null,
      actor: h.actor_id !== null && h.username !== null ? { id: h.actor_id, username: h.username } : null,
      createdAt: h.created_at.toISOString(),
    })),
    budgetLeft: left,
  };
}

export function toVoter(r: { id: number; username: string; created_at: Date }) {
  return { user: { id: r.id, username: r.username }, votedAt: r.created_at.toISOString() };
}

export function toSimilarIdea(r: {
  id: number;
  title: string;
  status: IdeaStatus;
  vote_count: number;
  vote_version: number;
  voted: boolean;
  category_id: number;
}): SimilarIdea {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    voteCount: r.vote_count,
    voteVersion: r.vote_version,
    voted: Boolean(r.voted),
    categoryId: r.category_id,
  };
}

import type {
  IdeaDetail,
  IdeaSort,
  IdeaState,
  IdeaStatus,
  IdeaSummary,
  Page,
  SimilarIdea,
  UserRef,
  VoteResponse,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPost, apiPut, withQuery } from './client';

export interface IdeaListParams {
  /** Category slug (its sub-categories included); none: every idea. */
  category?: string;
  sort?: IdeaSort;
  status?: IdeaStatus;
  state?: IdeaState;
  voted?: boolean;
  tag?: string;
  minAgeDays?: number;
  cursor?: string | null;
  limit?: number;
}

export interface Voter {
  user: UserRef;
  votedAt: string;
}

/** GET /api/ideas: one keyset page of a board. */
export function listIdeas(params: IdeaListParams): Promise<Page<IdeaSummary>> {
  return apiGet<Page<IdeaSummary>>(withQuery('/api/ideas', { ...params }));
}

/** GET /api/ideas/similar: up to 5 ideas whose title looks like `q` (at least 3 characters). */
export async function similarIdeas(q: string, category?: string): Promise<SimilarIdea[]> {
  return (await apiGet<{ ideas: SimilarIdea[] }>(withQuery('/api/ideas/similar', { q, category }))).ideas;
}

/** GET /api/ideas/:id: the idea part of a thread, as the reader sees it. */
export function getIdea(id: number): Promise<IdeaDetail> {
  return apiGet<IdeaDetail>(`/api/ideas/${id}`);
}

/** PUT /api/ideas/:id/vote */
export function voteIdea(id: number): Promise<VoteResponse> {
  return apiPut<VoteResponse>(`/api/ideas/${id}/vote`);
}

/** DELETE /api/ideas/:id/vote */
export function unvoteIdea(id: number): Promise<VoteResponse> {
  return apiDelete<VoteResponse>(`/api/ideas/${id}/vote`);
}

/** GET /api/ideas/:id/voters (staff and product managers), newest first. */
export function listVoters(id: number, cursor?: string | null): Promise<Page<Voter>> {
  return apiGet<Page<Voter>>(withQuery(`/api/ideas/${id}/voters`, { cursor }));
}

/** PUT /api/ideas/:id/status: a new status, optionally with an official response (Markdown). */
export function setIdeaStatus(id: number, status: IdeaStatus, response?: string): Promise<IdeaDetail> {
  return apiPut<IdeaDetail>(`/api/ideas/${id}/status`, response === undefined ? { status } : { status, response });
}

/** PUT /api/ideas/:id/tags (staff). */
export function setIdeaTags(id: number, tags: string[]): Promise<IdeaDetail> {
  return apiPut<IdeaDetail>(`/api/ideas/${id}/tags`, { tags });
}

/** POST /api/ideas/:id/merge (staff): its votes move to `intoId`. */
export function mergeIdea(id: number, intoId: number): Promise<IdeaDetail> {
  return apiPost<IdeaDetail>(`/api/ideas/${id}/merge`, { intoId });
}

/** POST /api/ideas/:id/unmerge (staff): undoes the merge, votes included. */
export function unmergeIdea(id: number): Promise<IdeaDetail> {
  return apiPost<IdeaDetail>(`/api/ideas/${id}/unmerge`);
}

/** POST /api/ideas/status: one status (and official response) on many ideas, all or none. */
export function setIdeaStatuses(ids: number[], status: IdeaStatus, response?: string): Promise<{ updated: number }> {
  return apiPost<{ updated: number }>('/api/ideas/status', { ids, status, ...(response ? { response } : {}) });
}

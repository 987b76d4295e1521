import type {
  BulkReviewBody,
  BulkReviewResponse,
  FlagBody,
  FlagResponse,
  MemberStanding,
  ReviewActionBody,
  ReviewableDetail,
  ReviewCounts,
  ReviewOutcome,
  ReviewQueuePage,
  ReviewQueueQuery,
  Sanction,
  SanctionKind,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPost, apiPut, withQuery } from './client';

/** POST /api/posts/:id/flags */
export function flagPost(postId: number, body: FlagBody): Promise<FlagResponse> {
  return apiPost<FlagResponse>(`/api/posts/${postId}/flags`, body);
}

/** GET /api/review: the queue (staff). */
export function getReviewQueue(query: ReviewQueueQuery): Promise<ReviewQueuePage> {
  return apiGet<ReviewQueuePage>(withQuery('/api/review', { ...query }));
}

/** GET /api/review/:id: one item with its whole post and all its flags. */
export function getReviewable(id: number): Promise<ReviewableDetail> {
  return apiGet<ReviewableDetail>(`/api/review/${id}`);
}

/** GET /api/review/counts */
export function getReviewCounts(): Promise<ReviewCounts> {
  return apiGet<ReviewCounts>('/api/review/counts');
}

/** POST /api/review/:id/actions */
export function decideReviewable(id: number, body: ReviewActionBody): Promise<ReviewOutcome> {
  return apiPost<ReviewOutcome>(`/api/review/${id}/actions`, body);
}

/** POST /api/review/bulk */
export function decideReviewables(body: BulkReviewBody): Promise<BulkReviewResponse> {
  return apiPost<BulkReviewResponse>('/api/review/bulk', body);
}

/** PUT or DELETE /api/review/:id/claim */
export function setReviewClaim(id: number, claim: boolean): Promise<void> {
  return claim ? apiPut<void>(`/api/review/${id}/claim`) : apiDelete<void>(`/api/review/${id}/claim`);
}

/** GET /api/moderation/users/:id (staff) */
export function getMemberStanding(userId: number): Promise<MemberStanding> {
  return apiGet<MemberStanding>(`/api/moderation/users/${userId}`);
}

/** PUT /api/moderation/users/:id/sanction */
export function sanctionMember(userId: number, body: Sanction): Promise<void> {
  return apiPut<void>(`/api/moderation/users/${userId}/sanction`, body);
}

/** DELETE /api/moderation/users/:id/sanction/:kind */
export function liftSanction(userId: number, kind: SanctionKind): Promise<void> {
  return apiDelete<void>(`/api/moderation/users/${userId}/sanction/${kind}`);
}

/** POST /api/moderation/users/:id/notes */
export function addStaffNote(userId: number, body: string): Promise<{ id: number }> {
  return apiPost<{ id: number }>(`/api/moderation/users/${userId}/notes`, { body });
}

/** DELETE /api/moderation/notes/:id */
export function deleteStaffNote(noteId: number): Promise<void> {
  return apiDelete<void>(`/api/moderation/notes/${noteId}`);
}

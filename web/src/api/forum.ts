import type {
  Category,
  CreatePostBody,
  CreateThreadBody,
  ModerateThreadBody,
  MovePostsBody,
  Page,
  Post,
  PostQueuedResponse,
  QueuedPost,
  RevisionList,
  ThreadDetail,
  ThreadKind,
  ThreadSort,
  ThreadSummary,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPatch, apiPost, apiPut, withQuery } from './client';

export type CategoryWithLatest = Category & { latestThreads: ThreadSummary[] };

export interface CategoryResponse {
  category: Category;
  parent: Category | null;
  children: Category[];
}

export interface ThreadListParams {
  category?: string;
  sort?: ThreadSort;
  filter?: 'new' | 'unread';
  kind?: ThreadKind;
  cursor?: string | null;
  limit?: number;
}

/** GET /api/categories: every category, flat and ordered by position, each with its latest threads. */
export async function getCategories(): Promise<CategoryWithLatest[]> {
  return (await apiGet<{ categories: CategoryWithLatest[] }>('/api/categories')).categories;
}

/** GET /api/categories/:slug */
export function getCategory(slug: string): Promise<CategoryResponse> {
  return apiGet<CategoryResponse>(`/api/categories/${encodeURIComponent(slug)}`);
}

/** GET /api/threads: one keyset page of a thread list. */
export function listThreads(params: ThreadListParams): Promise<Page<ThreadSummary>> {
  return apiGet<Page<ThreadSummary>>(withQuery('/api/threads', { ...params }));
}

/** A post or thread held for a moderator's approval (202): nothing was published. */
export const isQueued = (answer: object): answer is PostQueuedResponse => 'queued' in answer;

/** POST /api/threads: starts a thread with its first post (or holds it for approval). */
export function createThread(body: CreateThreadBody): Promise<ThreadDetail | PostQueuedResponse> {
  return apiPost<ThreadDetail | PostQueuedResponse>('/api/threads', body);
}

/** GET /api/threads/:id: the thread and its posts numbered above `after`. */
export function getThread(id: number, after = 0, limit?: number): Promise<ThreadDetail> {
  return apiGet<ThreadDetail>(withQuery(`/api/threads/${id}`, { after: after || undefined, limit }));
}

/** PATCH /api/threads/:id: renames the thread (author or staff). */
export function updateThread(id: number, title: string): Promise<ThreadDetail> {
  return apiPatch<ThreadDetail>(`/api/threads/${id}`, { title });
}

export function deleteThread(id: number): Promise<void> {
  return apiDelete<void>(`/api/threads/${id}`);
}

export function restoreThread(id: number): Promise<void> {
  return apiPost<void>(`/api/threads/${id}/restore`);
}

/** POST /api/threads/:id/posts: a reply (or, held for approval, nothing published yet). */
export function createPost(threadId: number, body: CreatePostBody): Promise<Post | PostQueuedResponse> {
  return apiPost<Post | PostQueuedResponse>(`/api/threads/${threadId}/posts`, body);
}

/** GET /api/me/queued-posts: your posts held for approval, newest first. */
export function listQueuedPosts(cursor?: string): Promise<Page<QueuedPost>> {
  return apiGet<Page<QueuedPost>>(withQuery('/api/me/queued-posts', { cursor }));
}

/**
 * PUT /api/threads/:id/read: moves the reader's marker forward (never back). `keepalive` lets
 * the request finish while the page is being left.
 */
export async function markThreadRead(threadId: number, postNumber: number, keepalive = false): Promise<number> {
  const answer = await apiPut<{ lastReadPostNumber: number }>(
    `/api/threads/${threadId}/read`,
    { postNumber },
    { keepalive },
  );
  return answer.lastReadPostNumber;
}

export function updatePost(id: number, body: string): Promise<Post> {
  return apiPatch<Post>(`/api/posts/${id}`, { body });
}

export function deletePost(id: number): Promise<void> {
  return apiDelete<void>(`/api/posts/${id}`);
}

export function restorePost(id: number): Promise<void> {
  return apiPost<void>(`/api/posts/${id}/restore`);
}

/** GET /api/posts/:id/revisions (staff only). */
export function getRevisions(id: number): Promise<RevisionList> {
  return apiGet<RevisionList>(`/api/posts/${id}/revisions`);
}

export interface LikeResult {
  liked: boolean;
  likeCount: number;
}

export function likePost(id: number): Promise<LikeResult> {
  return apiPut<LikeResult>(`/api/posts/${id}/like`);
}

export function unlikePost(id: number): Promise<LikeResult> {
  return apiDelete<LikeResult>(`/api/posts/${id}/like`);
}

/** POST /api/markdown/preview: the server's rendering, the only one the client shows. */
export async function previewMarkdown(body: string): Promise<string> {
  return (await apiPost<{ cooked: string }>('/api/markdown/preview', { body })).cooked;
}

/** PATCH /api/threads/:id/moderation (staff): pin, lock, unlist, move. */
export function moderateThread(id: number, body: ModerateThreadBody): Promise<ThreadDetail> {
  return apiPatch<ThreadDetail>(`/api/threads/${id}/moderation`, body);
}

/** POST /api/threads/:id/move-posts (staff): to an existing thread or a new one; answers the destination. */
export function movePosts(id: number, body: MovePostsBody): Promise<{ threadId: number }> {
  return apiPost<{ threadId: number }>(`/api/threads/${id}/move-posts`, body);
}

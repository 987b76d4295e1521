import type { Bookmark, BookmarkResponse, Page } from '@fanlab/shared';
import { apiDelete, apiGet, apiPut, withQuery } from './client';

/** PUT or DELETE /api/posts/:id/bookmark (both idempotent). */
export function setBookmark(postId: number, bookmarked: boolean): Promise<BookmarkResponse> {
  const path = `/api/posts/${postId}/bookmark`;
  return bookmarked ? apiPut<BookmarkResponse>(path) : apiDelete<BookmarkResponse>(path);
}

/** GET /api/me/bookmarks: one page of your bookmarks, newest first. */
export function listBookmarks(cursor?: string | null): Promise<Page<Bookmark>> {
  return apiGet<Page<Bookmark>>(withQuery('/api/me/bookmarks', { cursor }));
}

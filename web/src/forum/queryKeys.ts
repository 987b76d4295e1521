import type { ActivityType } from '@fanlab/shared';
import type { ThreadListParams } from '../api/forum';

/** Every cache key of the forum, so invalidations and cache edits agree with the queries. */
export const forumKeys = {
  categories: ['categories'] as const,
  category: (slug: string) => ['categories', slug] as const,
  threadLists: ['threads', 'list'] as const,
  threadList: (params: Omit<ThreadListParams, 'cursor'>) => ['threads', 'list', params] as const,
  thread: (id: number) => ['threads', 'detail', id] as const,
  /** Your posts held for approval. */
  queuedPosts: ['me', 'queued-posts'] as const,
  preview: (body: string) => ['markdown-preview', body] as const,
  revisions: (postId: number) => ['posts', postId, 'revisions'] as const,
  notifications: ['notifications'] as const,
  notificationMenu: ['notifications', 'menu'] as const,
  notificationList: ['notifications', 'list'] as const,
  /** Your notification levels (the categories you chose; your watched or muted threads). */
  notificationLevels: ['me', 'notification-levels'] as const,
  categoryLevels: ['me', 'notification-levels', 'categories'] as const,
  threadLevels: (level: 'watching' | 'muted') => ['me', 'notification-levels', 'threads', level] as const,
  search: (params: Record<string, unknown>) => ['search', params] as const,
  profile: (username: string) => ['users', username.toLowerCase()] as const,
  activity: (username: string, type: ActivityType) => ['users', username.toLowerCase(), 'activity', type] as const,
};

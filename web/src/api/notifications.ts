import type { Notification } from '@fanlab/shared';
import { apiGet, apiPost, withQuery } from './client';

export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

/** GET /api/notifications: newest first. */
export function listNotifications(params: { cursor?: string | null; limit?: number } = {}): Promise<NotificationPage> {
  return apiGet<NotificationPage>(withQuery('/api/notifications', params));
}

/** POST /api/notifications/read: some, or all of them. Resolves with the unread count left. */
export async function markNotificationsRead(which: { ids: number[] } | { all: true }): Promise<number> {
  return (await apiPost<{ unreadCount: number }>('/api/notifications/read', which)).unreadCount;
}

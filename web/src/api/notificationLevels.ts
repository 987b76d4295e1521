import type { CategoryLevels, NotificationLevel, NotificationLevelResponse, Page, ThreadLevel } from '@fanlab/shared';
import { apiGet, apiPut, withQuery } from './client';

/** PUT /api/{threads|categories}/:id/notification-level: your level of a thread or a category. */
export function setNotificationLevel(
  place: 'threads' | 'categories',
  id: number,
  level: NotificationLevel,
): Promise<NotificationLevelResponse> {
  return apiPut<NotificationLevelResponse>(`/api/${place}/${id}/notification-level`, { level });
}

/** GET /api/me/notification-levels/categories: the categories you chose a level for. */
export function listCategoryLevels(): Promise<CategoryLevels> {
  return apiGet<CategoryLevels>('/api/me/notification-levels/categories');
}

/** GET /api/me/notification-levels/threads: one page of the threads you watch or muted. */
export function listThreadLevels(level: 'watching' | 'muted', cursor?: string | null): Promise<Page<ThreadLevel>> {
  return apiGet<Page<ThreadLevel>>(withQuery('/api/me/notification-levels/threads', { level, cursor }));
}

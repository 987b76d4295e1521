import type { ActivityItem, ActivityType, Page, Profile } from '@fanlab/shared';
import { apiGet, withQuery } from './client';

/** GET /api/users/:username: the public profile. */
export function getProfile(username: string): Promise<Profile> {
  return apiGet<Profile>(`/api/users/${encodeURIComponent(username)}`);
}

/** GET /api/users/:username/activity: one page of their threads, replies, ideas or likes. */
export function getActivity(username: string, type: ActivityType, cursor?: string | null): Promise<Page<ActivityItem>> {
  return apiGet<Page<ActivityItem>>(withQuery(`/api/users/${encodeURIComponent(username)}/activity`, { type, cursor }));
}

import type { ActivityItem, ActivityType, Page, Profile, UserSearchResponse } from '@fanlab/shared';
import { apiGet, withQuery } from './client';

/** GET /api/users/:username: the public profile. */
export function getProfile(username: string): Promise<Profile> {
  return apiGet<Profile>(`/api/users/${encodeURIComponent(username)}`);
}

/** GET /api/users/:username/activity: one page of their threads, replies, ideas or likes. */
export function getActivity(username: string, type: ActivityType, cursor?: string | null): Promise<Page<ActivityItem>> {
  return apiGet<Page<ActivityItem>>(withQuery(`/api/users/${encodeURIComponent(username)}/activity`, { type, cursor }));
}

/** GET /api/users?q=: members whose name starts with `q` (@mention suggestions). */
export async function searchUsers(q: string): Promise<UserSearchResponse['users']> {
  return (await apiGet<UserSearchResponse>(withQuery('/api/users', { q }))).users;
}

import type {
  CreateReleaseBody,
  Page,
  Release,
  ReleaseCalendar,
  ReleaseChannel,
  ReleaseState,
  UpdateReleaseBody,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPatch, apiPost, withQuery } from './client';

export interface ReleaseListParams {
  channel?: ReleaseChannel;
  state?: ReleaseState;
  cursor?: string | null;
  limit?: number;
}

/** GET /api/releases: one page of the changelog (newest first). */
export function listReleases(params: ReleaseListParams): Promise<Page<Release>> {
  return apiGet<Page<Release>>(withQuery('/api/releases', { ...params }));
}

export function getRelease(id: number): Promise<Release> {
  return apiGet<Release>(`/api/releases/${id}`);
}

/** GET /api/releases/calendar: a month (YYYY-MM) by day, Fridays marked. */
export function getReleaseCalendar(month: string): Promise<ReleaseCalendar> {
  return apiGet<ReleaseCalendar>(withQuery('/api/releases/calendar', { month }));
}

export function createRelease(body: CreateReleaseBody): Promise<Release> {
  return apiPost<Release>('/api/releases', body);
}

export function updateRelease(id: number, body: UpdateReleaseBody): Promise<Release> {
  return apiPatch<Release>(`/api/releases/${id}`, body);
}

export function publishRelease(id: number): Promise<Release> {
  return apiPost<Release>(`/api/releases/${id}/publish`);
}

export function deleteRelease(id: number): Promise<void> {
  return apiDelete<void>(`/api/releases/${id}`);
}

import type { SetTrustLevelBody, SiteSettingsAnswer, SiteSettingsPatch, TrustProgress } from '@fanlab/shared';
import { apiGet, apiPatch, apiPut } from './client';

/** GET /api/admin/settings (admins) */
export function getSiteSettings(): Promise<SiteSettingsAnswer> {
  return apiGet<SiteSettingsAnswer>('/api/admin/settings');
}

/** PATCH /api/admin/settings: the settings given change; null restores a default. */
export function updateSiteSettings(patch: SiteSettingsPatch): Promise<SiteSettingsAnswer> {
  return apiPatch<SiteSettingsAnswer>('/api/admin/settings', patch);
}

/** GET /api/users/:id/trust (the member, or staff) */
export function getTrustProgress(userId: number): Promise<TrustProgress> {
  return apiGet<TrustProgress>(`/api/users/${userId}/trust`);
}

/** PUT /api/moderation/users/:id/trust-level (staff) */
export function setTrustLevel(userId: number, body: SetTrustLevelBody): Promise<TrustProgress> {
  return apiPut<TrustProgress>(`/api/moderation/users/${userId}/trust-level`, body);
}

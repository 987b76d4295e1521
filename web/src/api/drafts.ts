import type { Draft, DraftResponse, SaveDraftBody } from '@fanlab/shared';
import { apiDelete, apiGet, apiPut } from './client';

const path = (key: string) => `/api/me/drafts/${encodeURIComponent(key)}`;

/** GET /api/me/drafts/:key: your draft for a place, or null. */
export async function getDraft(key: string): Promise<Draft | null> {
  return (await apiGet<DraftResponse>(path(key))).draft;
}

/**
 * PUT /api/me/drafts/:key (no text at all forgets it). `keepalive` lets a save started as the
 * page goes away finish after it.
 */
export async function putDraft(key: string, body: SaveDraftBody, keepalive = false): Promise<Draft | null> {
  return (await apiPut<DraftResponse>(path(key), body, { keepalive })).draft;
}

/** DELETE /api/me/drafts/:key (idempotent). */
export function deleteDraft(key: string): Promise<void> {
  return apiDelete<void>(path(key));
}

import type {
  BetaApplication,
  BetaApplicationListQuery,
  BetaApplicationPage,
  BetaApplyBody,
  BetaApplyResponse,
  BetaDecisionBody,
  BetaProgram,
  BetaProgramList,
  BetaProgramListQuery,
  CreateBetaProgramBody,
  MyBetaApplication,
  UpdateBetaProgramBody,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPatch, apiPost, withQuery } from './client';

/** GET /api/beta/programs: newest first (drafts only for managers). */
export function listBetaPrograms(query: BetaProgramListQuery): Promise<BetaProgramList> {
  return apiGet<BetaProgramList>(withQuery('/api/beta/programs', { ...query }));
}

/** GET /api/beta/programs/by-slug/:slug: the program with its seats and the reader's application. */
export function getBetaProgram(slug: string): Promise<BetaProgram> {
  return apiGet<BetaProgram>(`/api/beta/programs/by-slug/${encodeURIComponent(slug)}`);
}

/** POST /api/beta/programs (managers): a new draft. */
export function createBetaProgram(body: CreateBetaProgramBody): Promise<BetaProgram> {
  return apiPost<BetaProgram>('/api/beta/programs', body);
}

/** PATCH /api/beta/programs/:id (managers): fields and/or the state. */
export function updateBetaProgram(id: number, body: UpdateBetaProgramBody): Promise<BetaProgram> {
  return apiPatch<BetaProgram>(`/api/beta/programs/${id}`, body);
}

/** POST /api/beta/programs/:id/applications: accepted, waitlisted or pending (422: not eligible). */
export function applyToBetaProgram(id: number, body: BetaApplyBody): Promise<BetaApplyResponse> {
  return apiPost<BetaApplyResponse>(`/api/beta/programs/${id}/applications`, body);
}

/** DELETE /api/beta/programs/:id/application: the reader withdraws. */
export function withdrawBetaApplication(id: number): Promise<MyBetaApplication> {
  return apiDelete<MyBetaApplication>(`/api/beta/programs/${id}/application`);
}

/** GET /api/beta/me/applications: the reader's applications, newest first. */
export async function listMyBetaApplications(): Promise<MyBetaApplication[]> {
  return (await apiGet<{ items: MyBetaApplication[] }>('/api/beta/me/applications')).items;
}

/** GET /api/beta/programs/:id/applications (managers): application order, keyset-paged. */
export function listBetaApplications(id: number, query: BetaApplicationListQuery): Promise<BetaApplicationPage> {
  return apiGet<BetaApplicationPage>(withQuery(`/api/beta/programs/${id}/applications`, { ...query }));
}

/** POST /api/beta/applications/:id/decision (managers): accept, reject, waitlist or remove, with a reason. */
export function decideBetaApplication(id: number, body: BetaDecisionBody): Promise<BetaApplication> {
  return apiPost<BetaApplication>(`/api/beta/applications/${id}/decision`, body);
}

/** Where the testers' CSV downloads from (managers; a plain link, streamed by the server). */
export const betaTestersCsvUrl = (id: number) => `/api/beta/programs/${id}/testers.csv`;

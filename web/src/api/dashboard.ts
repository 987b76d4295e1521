import type { DashboardCharts, TopRequestsPage } from '@fanlab/shared';
import { apiGet, withQuery } from './client';

/**
 * The dashboard's filters as the page's URL has them: strings, not yet checked (the API checks
 * them, and its error is what a bad pasted link shows). Keys left out take the API's defaults.
 */
export interface DashboardFilterParams {
  category?: string;
  status?: string;
  space?: string;
  region?: string;
  tag?: string;
  window?: string;
  sort?: string;
}

export type DashboardExportFormat = 'csv' | 'jsonl' | 'json';

/** GET /api/dashboard/top: one page of top requests under the filters. */
export function getTopRequests(filters: DashboardFilterParams, cursor: string | null): Promise<TopRequestsPage> {
  return apiGet<TopRequestsPage>(withQuery('/api/dashboard/top', { ...filters, cursor, limit: 50 }));
}

/** GET /api/dashboard/charts: the site's weekly charts over a window. */
export function getDashboardCharts(window: string | undefined): Promise<DashboardCharts> {
  return apiGet<DashboardCharts>(withQuery('/api/dashboard/charts', { window }));
}

/** The download address of every top request under the filters (no limit: all rows). */
export function topRequestsExportUrl(filters: DashboardFilterParams, format: DashboardExportFormat, bom = false) {
  return withQuery('/api/dashboard/top/export', { ...filters, format, bom: bom || undefined });
}

import {
  DashboardCharts,
  DashboardChartsQuery,
  TOP_REQUEST_COLUMNS,
  TopRequestsExportQuery,
  TopRequestsPage,
  TopRequestsQuery,
} from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import type { CategorySource } from '../forum/category-places';
import type { App } from '../http/app-type';
import { enforce, errorResponses } from '../http/errors';
import { exportStream, sendExport } from '../http/exports';
import { ChartsCache } from './charts';
import { dashboardPolicy } from './policy';
import { topRequestExportShape, toTopRequest } from './present';
import { resolveFilters, sparklineSpan, topRequestsExportQuery, topRequestsPage } from './queries';

export function dashboardRoutes(app: App, db: Db, publicUrl: string, categories: CategorySource) {
  const tags = ['dashboard'];
  const charts = new ChartsCache(db);
  const exportShape = topRequestExportShape(publicUrl);

  app.get(
    '/api/dashboard/top',
    {
      config: { tokenScope: 'read:ideas' },
      schema: {
        tags,
        summary: 'Top requests under filters, ranked, with votes per day over the window (product managers, admins)',
        description:
          'Statuses default to open work (open, under review, planned, in progress, in beta); window to 30d; sort to votes. `/api/dashboard/top/export` gives the same rows.',
        querystring: TopRequestsQuery,
        response: { 200: TopRequestsPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      enforce(dashboardPolicy.see(requireUser(request)));
      const filters = resolveFilters(await categories.places(), request.query);
      const span = sparklineSpan(filters.window);
      const page = await topRequestsPage(db, filters, { ...request.query, sparkline: span });
      return {
        items: page.rows.map(({ row, rank, sparkline }) => toTopRequest(row, rank, sparkline)),
        nextCursor: page.nextCursor,
        windowStartsAt: page.windowStartsAt?.toISOString() ?? null,
        sparklineFrom: span.from,
      };
    },
  );

  app.get(
    '/api/dashboard/top/export',
    {
      config: { tokenScope: 'read:exports' },
      schema: {
        tags,
        summary: 'The top requests as CSV, JSON Lines or JSON, streamed: the dashboard’s rows for the same filters',
        description: `Columns: ${TOP_REQUEST_COLUMNS.join(', ')}. Every matching row unless \`limit\`; CSV per RFC 4180, formula-safe, \`bom=true\` for Excel.`,
        querystring: TopRequestsExportQuery,
        produces: ['text/csv', 'application/x-ndjson', 'application/json'],
        response: { 200: Type.String({ description: 'The file' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      enforce(dashboardPolicy.see(requireUser(request)));
      const filters = resolveFilters(await categories.places(), request.query);
      const format = request.query.format ?? 'csv';
      const stream = exportStream(db, topRequestsExportQuery(db, filters, request.query.limit), exportShape, format, {
        bom: request.query.bom,
        log: request.log,
      });
      return sendExport(reply, stream, format, `top-requests-${filters.window}-${filters.sort}`);
    },
  );

  app.get(
    '/api/dashboard/charts',
    {
      config: { tokenScope: 'read:ideas' },
      schema: {
        tags,
        summary:
          'Site charts per week: votes, new ideas, active voters, status changes (counted at most once a minute)',
        querystring: DashboardChartsQuery,
        response: { 200: DashboardCharts, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      enforce(dashboardPolicy.see(requireUser(request)));
      return charts.get(request.query.window ?? '30d');
    },
  );
}

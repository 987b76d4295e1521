import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type DashboardFilterParams, getDashboardCharts, getTopRequests } from '../api/dashboard';

/** The numbers move with every vote: the dashboard asks again every minute, and when the tab gets focus. */
const REFRESH_MS = 60_000;

/** Every cache key of the dashboard. */
export const dashboardKeys = {
  all: ['dashboard'] as const,
  top: (filters: DashboardFilterParams) => ['dashboard', 'top', filters] as const,
  charts: (window: string | undefined) => ['dashboard', 'charts', window ?? null] as const,
};

/** Top requests under the filters, page by page. */
export function useTopRequests(filters: DashboardFilterParams) {
  return useInfiniteQuery({
    queryKey: dashboardKeys.top(filters),
    queryFn: ({ pageParam }) => getTopRequests(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}

/** The site's weekly charts over the window. */
export function useDashboardCharts(window: string | undefined) {
  return useQuery({
    queryKey: dashboardKeys.charts(window),
    queryFn: () => getDashboardCharts(window),
    refetchInterval: REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}

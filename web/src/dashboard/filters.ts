import {
  type Category,
  type DashboardSort,
  type DashboardWindow,
  dashboardSorts,
  dashboardWindows,
  type IdeaStatus,
  ideaStatuses,
  OPEN_WORK_STATUSES,
} from '@fanlab/shared';
import type { DashboardFilterParams } from '../api/dashboard';

/** The search parameters of /dashboard that are filters, in the order links and exports write them. */
export const FILTER_KEYS = ['category', 'status', 'space', 'region', 'tag', 'window', 'sort'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const DEFAULT_WINDOW: DashboardWindow = '30d';
export const DEFAULT_SORT: DashboardSort = 'votes';

/** The filters in the URL, as written (empty values left out). */
export function readFilters(params: URLSearchParams): DashboardFilterParams {
  const filters: DashboardFilterParams = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

const isDefault = (key: FilterKey, value: string) =>
  (key === 'window' && value === DEFAULT_WINDOW) ||
  (key === 'sort' && value === DEFAULT_SORT) ||
  (key === 'status' && value === OPEN_WORK_STATUSES.join(','));

/** The URL's parameters with one filter set; a default or empty value is left out of the URL. */
export function withFilter(params: URLSearchParams, key: FilterKey, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || isDefault(key, trimmed)) next.delete(key);
  else next.set(key, trimmed);
  return next;
}

export const windowOf = (filters: DashboardFilterParams): DashboardWindow =>
  dashboardWindows.find((w) => w === filters.window) ?? DEFAULT_WINDOW;

export const sortOf = (filters: DashboardFilterParams): DashboardSort =>
  dashboardSorts.find((s) => s === filters.sort) ?? DEFAULT_SORT;

/** The statuses a `status` parameter names (open work when it names none). */
export function statusesOf(filters: DashboardFilterParams): ReadonlySet<IdeaStatus> {
  const named = (filters.status ?? '').split(',');
  const known = ideaStatuses.filter((s) => named.includes(s));
  return new Set(known.length ? known : OPEN_WORK_STATUSES);
}

/** The `status` parameter for a choice of statuses, in the statuses' own order. */
export function statusParam(selected: ReadonlySet<IdeaStatus>): string {
  return ideaStatuses.filter((s) => selected.has(s)).join(',');
}

export interface CategoryOption {
  slug: string;
  name: string;
  /** 0 for a top-level category, 1 for its sub-categories, … */
  depth: number;
}

/**
 * Categories in tree order (each followed by its sub-categories, by position), those that hold
 * ideas or have a sub-category that does.
 */
export function categoryOptions(
  categories: readonly Pick<Category, 'id' | 'parentId' | 'slug' | 'name' | 'position' | 'allowIdeas'>[],
): CategoryOption[] {
  const children = new Map<number | null, (typeof categories)[number][]>();
  for (const category of categories) {
    const siblings = children.get(category.parentId) ?? [];
    siblings.push(category);
    children.set(category.parentId, siblings);
  }
  const options: CategoryOption[] = [];
  const visit = (parentId: number | null, depth: number, seen: Set<number>): boolean => {
    let any = false;
    const siblings = [...(children.get(parentId) ?? [])].sort((a, b) => a.position - b.position || a.id - b.id);
    for (const category of siblings) {
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      const at = options.length;
      options.push({ slug: category.slug, name: category.name, depth });
      const below = visit(category.id, depth + 1, seen);
      if (!category.allowIdeas && !below) options.splice(at);
      else any = true;
    }
    return any;
  };
  visit(null, 0, new Set());
  return options;
}

/** The language spaces (`es`, `es-MX`) and regions (`MX`) the categories' locales name, sorted. */
export function localeChoices(categories: readonly Pick<Category, 'locale'>[]): {
  spaces: string[];
  regions: string[];
} {
  const spaces = new Set<string>();
  const regions = new Set<string>();
  for (const { locale } of categories) {
    const match = locale ? /^([a-z]{2,3})(?:-([A-Z]{2}))?$/.exec(locale) : null;
    if (!match) continue;
    const [, language, region] = match as unknown as [string, string, string | undefined];
    spaces.add(language);
    if (region) {
      spaces.add(`${language}-${region}`);
      regions.add(region);
    }
  }
  return { spaces: [...spaces].sort(), regions: [...regions].sort() };
}

import { dashboardSorts, dashboardWindows, type IdeaStatus, ideaStatuses, OPEN_WORK_STATUSES } from '@fanlab/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { DashboardFilterParams } from '../api/dashboard';
import { useCategories } from '../forum/useCategories';
import {
  categoryOptions,
  type FilterKey,
  localeChoices,
  sortOf,
  statusesOf,
  statusParam,
  windowOf,
  withFilter,
} from './filters';

/** A select's options, with the URL's value among them even when no category uses it. */
function withCurrent(values: string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [...values, current] : values;
}

/** The tag: written freely, applied on Enter, with the button or on leaving the field. */
function TagFilter({ value, onApply }: { value: string | undefined; onApply: (tag: string) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    if (draft.trim() !== (value ?? '')) onApply(draft);
  };
  return (
    <form className="dashboard-tag" onSubmit={apply}>
      <label>
        {t('dashboard.tag')}
        <input
          type="search"
          data-testid="dashboard-tag"
          value={draft}
          maxLength={30}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => apply()}
        />
      </label>
      <button type="submit" className="button button-small button-secondary">
        {t('dashboard.tagApply')}
      </button>
    </form>
  );
}

/** The filters of /dashboard: each one lives in the URL, so a link shares them and back/forward move through them. */
export function DashboardFilters({ filters }: { filters: DashboardFilterParams }) {
  const { t } = useTranslation();
  const [, setParams] = useSearchParams();
  const { data: categories } = useCategories();
  // From the URL as it is now, not as the last render saw it: React Router's setter (even its
  // function form) starts from the rendered params, so a second choice made before the page
  // re-rendered dropped the first.
  const set = (key: FilterKey, value: string | undefined) =>
    setParams(withFilter(new URLSearchParams(window.location.search), key, value));
  const statuses = statusesOf(filters);
  const toggleStatus = (status: IdeaStatus) => {
    const next = new Set(statuses);
    if (next.has(status)) next.delete(status);
    else next.add(status);
    set('status', statusParam(next));
  };
  const options = categoryOptions(categories ?? []);
  const locales = localeChoices(categories ?? []);
  const categoryKnown = !filters.category || options.some((o) => o.slug === filters.category);
  return (
    <section className="dashboard-filters card" aria-label={t('dashboard.filters')}>
      <div className="dashboard-filter-row">
        <label>
          {t('dashboard.category')}
          <select
            data-testid="dashboard-category"
            value={filters.category ?? ''}
            onChange={(e) => set('category', e.target.value)}
          >
            <option value="">{t('dashboard.allCategories')}</option>
            {options.map((o) => (
              <option key={o.slug} value={o.slug}>
                {'\u00a0\u00a0'.repeat(o.depth)}
                {o.name}
              </option>
            ))}
            {categoryKnown ? null : <option value={filters.category}>{filters.category}</option>}
          </select>
        </label>
        <label>
          {t('dashboard.window')}
          <select
            data-testid="dashboard-window"
            value={windowOf(filters)}
            onChange={(e) => set('window', e.target.value)}
          >
            {dashboardWindows.map((w) => (
              <option key={w} value={w}>
                {t(`dashboard.windows.${w}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.sort')}
          <select data-testid="dashboard-sort" value={sortOf(filters)} onChange={(e) => set('sort', e.target.value)}>
            {dashboardSorts.map((s) => (
              <option key={s} value={s}>
                {t(`dashboard.sorts.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.space')}
          <select
            data-testid="dashboard-space"
            value={filters.space ?? ''}
            onChange={(e) => set('space', e.target.value)}
          >
            <option value="">{t('dashboard.anySpace')}</option>
            {withCurrent(locales.spaces, filters.space).map((space) => (
              <option key={space} value={space}>
                {space}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.region')}
          <select
            data-testid="dashboard-region"
            value={filters.region ?? ''}
            onChange={(e) => set('region', e.target.value)}
          >
            <option value="">{t('dashboard.anyRegion')}</option>
            {withCurrent(locales.regions, filters.region).map((region) => (
              <option key={region} value={region}>
                {region}
              </option>
            ))}
          </select>
        </label>
        <TagFilter value={filters.tag} onApply={(tag) => set('tag', tag)} />
      </div>
      <fieldset className="dashboard-statuses" data-testid="dashboard-statuses">
        <legend>{t('dashboard.statuses')}</legend>
        {ideaStatuses.map((status) => (
          <label key={status} className="dashboard-status">
            <input
              type="checkbox"
              value={status}
              checked={statuses.has(status)}
              // the API needs one status at least: the last one stays
              disabled={statuses.size === 1 && statuses.has(status)}
              onChange={() => toggleStatus(status)}
            />{' '}
            {t(`ideas.status.${status}`)}
          </label>
        ))}
        <span className="dashboard-status-presets">
          <button
            type="button"
            className="link-button"
            data-testid="dashboard-open-work"
            onClick={() => set('status', OPEN_WORK_STATUSES.join(','))}
          >
            {t('dashboard.openWork')}
          </button>
          <button
            type="button"
            className="link-button"
            data-testid="dashboard-all-statuses"
            onClick={() => set('status', ideaStatuses.join(','))}
          >
            {t('dashboard.allStatuses')}
          </button>
        </span>
      </fieldset>
    </section>
  );
}

import type { ChartWeek } from '@fanlab/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../components/Loading';
import { DashboardError } from './DashboardError';
import { useDashboardCharts } from './useDashboard';
import { type ChartField, WeeklyChart } from './WeeklyChart';

const FIELDS: readonly ChartField[] = ['votes', 'newIdeas', 'activeVoters', 'statusChanges'];

/** The same numbers as the chart, for reading rather than looking. */
function WeeksTable({ weeks, field, name }: { weeks: readonly ChartWeek[]; field: ChartField; name: string }) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeZone: 'UTC' });
  const count = new Intl.NumberFormat(i18n.resolvedLanguage);
  return (
    <div className="dashboard-table-wrap">
      <table className="admin-table dashboard-weeks" data-testid="chart-table">
        <caption>{t('dashboard.chartCaption', { name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.week')}</th>
            <th scope="col" className="numeric">
              {name}
            </th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => (
            <tr key={w.week} data-week={w.week}>
              <th scope="row">
                <time dateTime={w.week}>{day.format(new Date(`${w.week}T00:00:00Z`))}</time>
              </th>
              <td className="numeric" data-value={w[field]}>
                {count.format(w[field])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChartCard({ weeks, field }: { weeks: readonly ChartWeek[]; field: ChartField }) {
  const { t } = useTranslation();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const name = t(`dashboard.charts.${field}`);
  return (
    <figure className="dashboard-chart card" data-testid="dashboard-chart" data-field={field}>
      <figcaption className="dashboard-chart-head">
        <h3>{name}</h3>
        <button
          type="button"
          className="link-button"
          data-testid="chart-toggle"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((shown) => !shown)}
        >
          {showTable ? t('dashboard.hideTable') : t('dashboard.showTable')}
        </button>
      </figcaption>
      <WeeklyChart weeks={weeks} field={field} label={name} />
      <div id={tableId} hidden={!showTable}>
        {showTable ? <WeeksTable weeks={weeks} field={field} name={name} /> : null}
      </div>
    </figure>
  );
}

/** Votes, new ideas, active voters and status changes per week over the window. */
export function SiteCharts({ window }: { window: string | undefined }) {
  const { t, i18n } = useTranslation();
  const charts = useDashboardCharts(window);
  const time = new Intl.DateTimeFormat(i18n.resolvedLanguage, { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="dashboard-charts-section" aria-labelledby="dashboard-charts-heading">
      <div className="section-head">
        <h2 id="dashboard-charts-heading">{t('dashboard.chartsHeading')}</h2>
        {charts.data ? (
          <p className="muted" data-testid="charts-counted-at">
            <time dateTime={charts.data.computedAt}>
              {t('dashboard.countedAt', { time: time.format(new Date(charts.data.computedAt)) })}
            </time>
          </p>
        ) : null}
      </div>
      {charts.isPending ? <Loading /> : null}
      {charts.isError ? <DashboardError error={charts.error} onRetry={() => void charts.refetch()} /> : null}
      {charts.data ? (
        <div className="dashboard-charts">
          {FIELDS.map((field) => (
            <ChartCard key={field} weeks={charts.data.weeks} field={field} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

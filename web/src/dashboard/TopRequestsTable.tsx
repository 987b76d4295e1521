import type { TopRequest } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IdeaStatusBadge } from '../ideas/IdeaStatusBadge';
import { Sparkline } from './Sparkline';

/** Ranked top requests; the table scrolls sideways inside its own box on a narrow screen. */
export function TopRequestsTable({ rows }: { rows: readonly TopRequest[] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.resolvedLanguage);
  return (
    <div className="dashboard-table-wrap">
      <table className="admin-table dashboard-table" data-testid="top-requests">
        <caption className="visually-hidden">{t('dashboard.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.columns.rank')}</th>
            <th scope="col">{t('dashboard.columns.title')}</th>
            <th scope="col">{t('dashboard.columns.category')}</th>
            <th scope="col">{t('dashboard.columns.status')}</th>
            <th scope="col" className="numeric">
              {t('dashboard.columns.votes')}
            </th>
            <th scope="col" className="numeric">
              {t('dashboard.columns.windowVotes')}
            </th>
            <th scope="col">{t('dashboard.columns.trend')}</th>
            <th scope="col" className="numeric">
              {t('dashboard.columns.replies')}
            </th>
            <th scope="col">{t('dashboard.columns.tags')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const recent = row.sparkline.reduce((sum, n) => sum + n, 0);
            return (
              <tr key={row.id} data-testid="top-request" data-idea-id={row.id}>
                <td className="numeric" data-field="rank">
                  {number.format(row.rank)}
                </td>
                <td data-field="title" className="dashboard-title">
                  <Link to={row.path}>{row.title}</Link>
                </td>
                <td data-field="category">{row.categoryPath}</td>
                <td data-field="status">
                  <IdeaStatusBadge status={row.status} />
                </td>
                <td className="numeric" data-field="votes">
                  {number.format(row.votes)}
                </td>
                <td className="numeric" data-field="windowVotes">
                  {number.format(row.windowVotes)}
                </td>
                <td data-field="sparkline">
                  <Sparkline
                    values={row.sparkline}
                    label={t('dashboard.sparkline', { count: recent, days: row.sparkline.length })}
                  />
                </td>
                <td className="numeric" data-field="replies">
                  {number.format(row.replies)}
                </td>
                <td data-field="tags">
                  {row.tags.length ? (
                    <ul className="dashboard-tags">
                      {row.tags.map((tag) => (
                        <li key={tag} className="badge">
                          {tag}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DashboardFilterParams, topRequestsExportUrl } from '../api/dashboard';

/** Downloads of every top request under exactly the page's filters (the server streams them all). */
export function ExportLinks({ filters }: { filters: DashboardFilterParams }) {
  const { t } = useTranslation();
  const [bom, setBom] = useState(false);
  const bomId = useId();
  return (
    <div className="dashboard-exports">
      <span className="muted">{t('dashboard.export')}</span>
      <a
        className="button button-small button-secondary"
        data-testid="export-csv"
        href={topRequestsExportUrl(filters, 'csv', bom)}
        download
      >
        {t('dashboard.exportCsv')}
      </a>
      <label htmlFor={bomId} className="dashboard-bom">
        <input
          id={bomId}
          type="checkbox"
          data-testid="export-bom"
          checked={bom}
          onChange={(e) => setBom(e.target.checked)}
        />{' '}
        {t('dashboard.exportBom')}
      </label>
      <a
        className="button button-small button-secondary"
        data-testid="export-jsonl"
        href={topRequestsExportUrl(filters, 'jsonl')}
        download
      >
        {t('dashboard.exportJsonl')}
      </a>
      <a
        className="button button-small button-secondary"
        data-testid="export-json"
        href={topRequestsExportUrl(filters, 'json')}
        download
      >
        {t('dashboard.exportJson')}
      </a>
    </div>
  );
}

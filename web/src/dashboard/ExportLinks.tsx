import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DashboardExportFormat, type DashboardFilterParams, topRequestsExportUrl } from '../api/dashboard';

/** Downloads of every top request under exactly the page's filters (the server streams them all). */
export function ExportLinks({ filters }: { filters: DashboardFilterParams }) {
  const { t } = useTranslation();
  const [bom, setBom] = useState(false);
  const bomId = useId();
  const link = (format: DashboardExportFormat, label: string) => (
    <a
      className="button button-small button-secondary"
      data-testid={`export-${format}`}
      href={topRequestsExportUrl(filters, format, format === 'csv' ? bom : undefined)}
      download
    >
      {label}
    </a>
  );
  return (
    <div className="dashboard-exports">
      <span className="muted">{t('dashboard.export')}</span>
      {link('csv', t('dashboard.exportCsv'))}
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
      {link('jsonl', t('dashboard.exportJsonl'))}
      {link('json', t('dashboard.exportJson'))}
    </div>
  );
}

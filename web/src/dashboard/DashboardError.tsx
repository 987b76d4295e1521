import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { LoadError } from '../components/LoadError';

/**
 * A dashboard query that failed. A filter the API refused (a bad value in a pasted link) shows the
 * API's own words and a way back to the defaults; anything else can be tried again.
 */
export function DashboardError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.status < 400 || error.status >= 500) {
    return <LoadError error={error} onRetry={onRetry} />;
  }
  return (
    <div className="load-error" role="alert" data-testid="dashboard-bad-filters">
      <p>{t('dashboard.badFilters', { message: error.message })}</p>
      <p>
        <Link to="/dashboard">{t('dashboard.reset')}</Link>
      </p>
    </div>
  );
}

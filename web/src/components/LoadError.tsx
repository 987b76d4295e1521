import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errorMessage';

/** A list or page that could not be loaded, with a way to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="load-error" role="alert" data-testid="load-error">
      <p>{errorMessage(t, error)}</p>
      {onRetry ? (
        <button type="button" className="button button-small button-secondary" onClick={onRetry}>
          {t('forum.retry')}
        </button>
      ) : null}
    </div>
  );
}

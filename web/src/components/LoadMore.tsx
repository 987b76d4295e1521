import { useTranslation } from 'react-i18next';

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  label?: string;
  testId?: string;
}

/** The "Load more" button under a keyset-paginated list (nothing once the list is complete). */
export function LoadMore({ hasMore, loading, onLoad, label, testId = 'load-more' }: LoadMoreProps) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <p className="load-more">
      <button
        type="button"
        className="button button-secondary"
        data-testid={testId}
        disabled={loading}
        onClick={onLoad}
      >
        {loading ? t('app.loading') : (label ?? t('forum.loadMore'))}
      </button>
    </p>
  );
}

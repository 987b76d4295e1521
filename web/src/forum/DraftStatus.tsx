import { useTranslation } from 'react-i18next';
import { formatRelative } from '../components/relativeTime';
import type { DraftControl } from './useDraft';

/** The composer's draft marker ("Draft saved"), with a way to throw a kept draft away. */
export function DraftStatus({ draft }: { draft: DraftControl }) {
  const { t, i18n } = useTranslation();
  const { state, savedAt, restored } = draft;
  const message =
    state === 'saving'
      ? t('composer.draft.saving')
      : state === 'failed'
        ? t('composer.draft.failed')
        : restored && savedAt
          ? t('composer.draft.restored', { when: formatRelative(new Date(savedAt), i18n.resolvedLanguage) })
          : state === 'saved' && savedAt
            ? t('composer.draft.saved')
            : null;
  return (
    <span className={`draft-status${state === 'failed' ? ' draft-status-failed' : ''}`} data-testid="draft-status">
      <span role="status" data-testid="draft-state" data-state={state}>
        {message}
      </span>
      {savedAt && state !== 'saving' ? (
        <button type="button" className="link-button" data-testid="draft-discard" onClick={draft.discard}>
          {t('composer.draft.discard')}
        </button>
      ) : null}
    </span>
  );
}

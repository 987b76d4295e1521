import type { IdeaStatus } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';

/** An idea's status, in its colour. */
export function IdeaStatusBadge({ status }: { status: IdeaStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge idea-status idea-status-${status}`} data-testid="idea-status" data-status={status}>
      {t(`ideas.status.${status}`)}
    </span>
  );
}

import type { BetaApplicationStatus, BetaProgramState } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';

/** draft, open, closed, archived. */
export function ProgramStateBadge({ state }: { state: BetaProgramState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge beta-state beta-state-${state}`} data-testid="program-state" data-state={state}>
      {t(`beta.state.${state}`)}
    </span>
  );
}

/** pending, accepted, waitlisted, rejected, withdrawn, removed. */
export function ApplicationStatusBadge({ status }: { status: BetaApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge beta-status beta-status-${status}`} data-testid="application-status" data-status={status}>
      {t(`beta.status.${status}`)}
    </span>
  );
}

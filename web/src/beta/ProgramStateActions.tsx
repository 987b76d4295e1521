import type { BetaProgram, BetaProgramState } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { useUpdateProgram } from './mutations';

/** Where a program may go from its state: draft → open → closed → open again or archived (final). */
export const nextStates: Record<BetaProgramState, readonly BetaProgramState[]> = {
  draft: ['open'],
  open: ['closed'],
  closed: ['open', 'archived'],
  archived: [],
};

/** Open, close, reopen or archive the program. */
export function ProgramStateActions({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  const update = useUpdateProgram(program.id);
  const next = nextStates[program.state];
  return (
    <div className="beta-state-actions" data-testid="state-actions">
      {next.length ? (
        <p className="actions">
          {next.map((state) => (
            <button
              key={state}
              type="button"
              className={state === 'archived' ? 'button button-small button-danger-outline' : 'button button-small'}
              data-testid={`set-state-${state}`}
              disabled={update.isPending}
              onClick={() => update.mutate({ state })}
            >
              {t(`beta.manageTools.to.${program.state === 'closed' && state === 'open' ? 'reopen' : state}`)}
            </button>
          ))}
        </p>
      ) : (
        <p className="notice">{t('beta.manageTools.archivedFinal')}</p>
      )}
      <FormError message={update.error ? errorMessage(t, update.error) : null} />
    </div>
  );
}

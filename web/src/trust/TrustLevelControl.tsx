import { type TrustLevel, trustLevels } from '@fanlab/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setTrustLevel } from '../api/settings';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';

/** In a member's standing, for staff: their trust level, and setting it (locked by default). */
export function TrustLevelControl(props: {
  userId: number;
  level: TrustLevel;
  locked: boolean;
  canSet: boolean;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [level, setLevel] = useState<TrustLevel>(props.level);
  const [lock, setLock] = useState(true);
  const change = useMutation({
    mutationFn: () => setTrustLevel(props.userId, { level, lock }),
    onSuccess: (progress) => {
      setLevel(progress.level);
      queryClient.invalidateQueries({ queryKey: ['trust', props.userId] });
      props.onChanged();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  const summary = (
    <span data-testid="standing-trust">
      {t('trust.memberLevel', { level: props.level, name: t(`trust.levels.${props.level}`) })}
      {props.locked ? ` · ${t('trust.locked')}` : ''}
    </span>
  );
  if (!props.canSet) return <li>{summary}</li>;
  return (
    <li>
      {summary}
      <form className="trust-form" onSubmit={onSubmit} data-testid="trust-form">
        <select
          aria-label={t('trust.setLevel')}
          value={level}
          onChange={(e) => setLevel(Number(e.target.value) as TrustLevel)}
        >
          {trustLevels.map((l) => (
            <option key={l} value={l}>
              {t('trust.levelOption', { level: l, name: t(`trust.levels.${l}`) })}
            </option>
          ))}
        </select>
        <label className="checkbox">
          <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} />
          {t('trust.lock')}
        </label>
        <button type="submit" className="button button-small button-secondary" disabled={change.isPending}>
          {t('trust.set')}
        </button>
      </form>
      <FormError message={change.error ? errorMessage(t, change.error) : null} />
    </li>
  );
}

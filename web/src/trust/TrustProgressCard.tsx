import type { TrustStat } from '@fanlab/shared';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getTrustProgress } from '../api/settings';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';

export const trustQueryKey = (userId: number) => ['trust', userId];

/** On the account page: the member's trust level and, rule by rule, what the next one needs. */
export function TrustProgressCard({ userId }: { userId: number }) {
  const { t } = useTranslation();
  const progress = useQuery({ queryKey: trustQueryKey(userId), queryFn: () => getTrustProgress(userId) });
  return (
    <section aria-labelledby="trust-heading" className="card" data-testid="trust-progress">
      <h2 id="trust-heading">{t('trust.heading')}</h2>
      {progress.error ? <FormError message={errorMessage(t, progress.error)} /> : null}
      {progress.data ? (
        <>
          <p data-testid="trust-level">
            {t('trust.yourLevel', { level: progress.data.level, name: t(`trust.levels.${progress.data.level}`) })}
            {progress.data.locked ? ` · ${t('trust.lockedByStaff')}` : ''}
          </p>
          {progress.data.level === 0 ? <p className="field-hint">{t('trust.newMemberLimits')}</p> : null}
          {progress.data.next ? (
            <>
              <p>
                {t('trust.toReach', {
                  level: progress.data.next.level,
                  name: t(`trust.levels.${progress.data.next.level}`),
                })}
              </p>
              <ul className="trust-rules">
                {progress.data.next.rules.map((rule) => (
                  <li key={rule.stat} className={rule.have >= rule.needed ? 'trust-rule trust-rule-met' : 'trust-rule'}>
                    <span>{t(`trust.stats.${rule.stat as TrustStat}`)}</span>
                    <progress max={Math.max(rule.needed, 1)} value={Math.min(rule.have, rule.needed)} />
                    <span className="muted">{t('trust.haveOf', { have: rule.have, needed: rule.needed })}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

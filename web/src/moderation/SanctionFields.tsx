import { SANCTION_DAYS_MAX, SANCTION_REASON_MAX } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';

/** How many days and why: the fields of every silence or suspension form (the server's bounds). */
export function SanctionFields({
  days,
  reason,
  onDays,
  onReason,
}: {
  days: number;
  reason: string;
  onDays: (days: number) => void;
  onReason: (reason: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('review.silenceDays')}{' '}
        <input
          type="number"
          name="days"
          min={1}
          max={SANCTION_DAYS_MAX}
          value={days}
          onChange={(e) => onDays(Math.max(1, Math.min(SANCTION_DAYS_MAX, Number(e.target.value) || 1)))}
        />
      </label>
      <label>
        {t('review.silenceReason')}{' '}
        <input
          name="reason"
          required
          maxLength={SANCTION_REASON_MAX}
          value={reason}
          onChange={(e) => onReason(e.target.value)}
        />
      </label>
    </>
  );
}

import type { BetaProgram } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { useLiveSeats } from './useBeta';

/** Seats left in all and per device model, kept live by `beta:<id>`; how long the waitlist is. */
export function SeatsPanel({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  const waiting = program.myApplication?.status === 'waitlisted' || program.myApplication?.status === 'pending';
  const seats = useLiveSeats(program.id, program.slug, program.seats, waiting);
  const quotas = new Map(program.devices.map((d) => [d.model, d.quota]));
  const perModel = program.devices.some((d) => d.quota !== null);
  return (
    <section
      className="beta-seats card"
      aria-labelledby="beta-seats-heading"
      data-testid="seats-panel"
      data-version={seats.version}
    >
      <h2 id="beta-seats-heading" className="visually-hidden">
        {t('beta.seatsHeading')}
      </h2>
      <p className="beta-seats-count" aria-live="polite">
        <strong data-testid="seats-left">{seats.seatsLeft}</strong>{' '}
        <span>{t('beta.seatsLeftLabel', { count: seats.seatsLeft, seats: seats.seats })}</span>
      </p>
      <p className="beta-seats-meta muted">
        <span data-testid="seats-accepted">{t('beta.testersCount', { count: seats.accepted })}</span>
        {' · '}
        <span data-testid="waitlist-length">{t('beta.waitlistLength', { count: seats.waitlistLength })}</span>
      </p>
      {perModel ? (
        <ul className="beta-seats-models" data-testid="seats-models">
          {seats.devices.map((device) => (
            <li key={device.model} data-model={device.model}>
              {device.model}: {t('beta.modelSeatsLeft', { count: device.seatsLeft })}
              {quotas.get(device.model) != null ? (
                <span className="muted"> ({t('beta.modelQuota', { count: quotas.get(device.model) ?? 0 })})</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

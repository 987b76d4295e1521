import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { useReleaseCalendar } from './useReleases';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** YYYY-MM of `month` moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, m - 1 + delta, 1));
  return date.toISOString().slice(0, 7);
}

/** A month of releases, Monday first, Fridays marked: the weekly beta ships on Fridays. */
export function ReleaseCalendarPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('releases.calendar'));
  const [params] = useSearchParams();
  const given = params.get('month') ?? '';
  const month = MONTH.test(given) ? given : new Date().toISOString().slice(0, 7);
  const calendar = useReleaseCalendar(month);
  const [year, m] = month.split('-').map(Number) as [number, number];
  const monthName = new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, m - 1, 1)),
  );
  // Monday 2024-01-01 onwards: the weekday names in the reader's language
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 1 + i)),
    ),
  );
  return (
    <section className="release-calendar-page">
      <p className="breadcrumb">
        <Link to="/releases">{t('releases.changelog')}</Link>
      </p>
      <div className="section-head">
        <h1>{t('releases.calendarOf', { month: monthName })}</h1>
        <p className="actions">
          <Link
            to={`/releases/calendar?month=${shiftMonth(month, -1)}`}
            className="button button-small button-secondary"
          >
            {t('releases.previousMonth')}
          </Link>
          <Link
            to={`/releases/calendar?month=${shiftMonth(month, 1)}`}
            className="button button-small button-secondary"
            data-testid="next-month"
          >
            {t('releases.nextMonth')}
          </Link>
        </p>
      </div>
      <p className="muted">{t('releases.fridayNote')}</p>
      {calendar.isPending ? <Loading /> : null}
      {calendar.isError ? <LoadError error={calendar.error} onRetry={() => void calendar.refetch()} /> : null}
      {calendar.data ? (
        <ol className="release-calendar" data-testid="release-calendar">
          {weekdays.map((name) => (
            <li key={name} className="calendar-weekday" aria-hidden="true">
              {name}
            </li>
          ))}
          {calendar.data.days.map((day, index) => (
            <li
              key={day.date}
              className={`calendar-day${day.friday ? ' calendar-friday' : ''}${index === 0 ? ` calendar-start-${day.weekday}` : ''}`}
              data-weekday={day.weekday}
              data-testid="calendar-day"
              data-date={day.date}
              data-friday={day.friday}
            >
              <span className="calendar-date">
                {Number(day.date.slice(8))}
                {day.friday ? <span className="visually-hidden"> ({t('releases.friday')})</span> : null}
              </span>
              {day.releases.map((r) => (
                <Link
                  key={r.id}
                  to={`/releases/${r.id}`}
                  className={`calendar-release release-channel-${r.channel}${r.state === 'draft' ? ' calendar-draft' : ''}`}
                >
                  {r.version}
                  <span className="visually-hidden"> {t(`releases.channel.${r.channel}`)}</span>
                </Link>
              ))}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

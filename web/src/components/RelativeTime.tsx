import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRelative } from './relativeTime';

/** Re-renders every subscriber once a minute, from one shared timer. */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function useMinuteTick(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const listener = () => setNow(Date.now());
    listeners.add(listener);
    timer ??= setInterval(() => {
      for (const notify of listeners) notify();
    }, 60_000);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}

/** "5 minutes ago" in the interface language, with the full date and time on hover. */
export function RelativeTime({ date, className }: { date: string; className?: string }) {
  const { i18n } = useTranslation();
  const now = useMinuteTick();
  const value = new Date(date);
  if (Number.isNaN(value.getTime())) return null;
  const locale = i18n.resolvedLanguage;
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(value);
  return (
    <time dateTime={date} title={full} className={className}>
      {formatRelative(value, locale, Math.max(now, Date.now()))}
    </time>
  );
}

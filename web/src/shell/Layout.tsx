import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, ScrollRestoration } from 'react-router';
import { useMe } from '../account/useMe';
import { UnsavedTextGuard } from '../components/unsavedText';
import { useLocaleSync } from '../i18n/useLocale';
import { Header } from './Header';

/** A silenced member is told why and until when, on every page. */
function SilencedNotice() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  if (!me?.silencedUntil) return null;
  const until = new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(me.silencedUntil),
  );
  return (
    <div className="silenced-notice" role="status" data-testid="silenced-notice">
      <p className="silenced-line">{t('silenced.notice', { until })}</p>
      {me.silenceReason ? <p className="silenced-line">{t('silenced.reason', { reason: me.silenceReason })}</p> : null}
    </div>
  );
}

const FooterTools = lazy(() => import('./FooterTools').then((m) => ({ default: m.FooterTools })));

export function Layout() {
  const { t } = useTranslation();
  useLocaleSync();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Header />
      <main id="main" className="content" tabIndex={-1}>
        <SilencedNotice />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
        <Suspense fallback={null}>
          <FooterTools />
        </Suspense>
      </footer>
      <ScrollRestoration />
      <UnsavedTextGuard />
    </>
  );
}

import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { usePageTitle } from '../components/usePageTitle';
import { NotFoundPage } from './NotFoundPage';

function CrashMessage() {
  const { t } = useTranslation();
  usePageTitle(t('errorPage.title'));
  return (
    <section className="message-page" data-testid="error-page">
      <h1>{t('errorPage.heading')}</h1>
      <p>{t('errorPage.text')}</p>
      <p className="actions">
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {t('errorPage.reload')}
        </button>
        {/* A full page load: the router itself may be what broke. */}
        <a href="/" className="button button-secondary">
          {t('errorPage.home')}
        </a>
      </p>
    </section>
  );
}

/**
 * The router's errorElement. Inside the layout it replaces the page; `standalone` is for the
 * outermost route, when the layout itself failed, and brings its own landmark.
 */
export function ErrorPage({ standalone = false }: { standalone?: boolean }) {
  const error = useRouteError();
  useEffect(() => {
    console.error(error);
  }, [error]);
  const content = isRouteErrorResponse(error) && error.status === 404 ? <NotFoundPage /> : <CrashMessage />;
  return standalone ? (
    <main id="main" className="content">
      {content}
    </main>
  ) : (
    content
  );
}

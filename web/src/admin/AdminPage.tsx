import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { type AdminTab, adminTabs } from './tabs';

/** /admin: the tabs this reader may open, and the open one. */
export function AdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.title'));
  const { data: me, isPending } = useMe();
  if (isPending) return <Loading />;
  if (!me) return <SignInPrompt message={t('admin.signIn')} />;
  const tabs = adminTabs.filter((tab) => tab.allowed(me));
  if (tabs.length === 0) {
    return (
      <section>
        <h1>{t('admin.title')}</h1>
        <p className="notice" data-testid="admin-forbidden">
          {t('admin.forbidden')}
        </p>
      </section>
    );
  }
  return (
    <section className="admin-page">
      <h1>{t('admin.title')}</h1>
      <nav className="tabs" aria-label={t('admin.tabsLabel')}>
        {tabs.map((tab) => (
          <NavLink
            key={tab.id}
            to={`/admin/${tab.route.split('/')[0]}`}
            className="tab"
            data-testid={`admin-tab-${tab.id}`}
          >
            {t(`admin.tabs.${tab.id}`)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </section>
  );
}

/** /admin itself: the first tab this reader may open. */
export function AdminIndex() {
  const { data: me } = useMe();
  const first = me ? adminTabs.find((tab) => tab.allowed(me)) : undefined;
  return first ? <Navigate to={`/admin/${first.route.split('/')[0]}`} replace /> : null;
}

/** One tab's page, for those its flag lets in. */
export function AdminTabPage({ tab }: { tab: AdminTab }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!me) return null;
  if (!tab.allowed(me)) {
    return (
      <p className="notice" data-testid="admin-forbidden">
        {t('admin.tabForbidden')}
      </p>
    );
  }
  return <>{tab.element}</>;
}

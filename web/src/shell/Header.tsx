import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '../account/mutations';
import { withNext } from '../account/nextPath';
import { useMe } from '../account/useMe';
import { mayOpenAdmin } from '../admin/tabs';
import { Icon } from '../components/Icon';
import { useMenu } from '../components/useMenu';
import { useReviewCounts, useReviewLive } from '../moderation/useReview';
import { NotificationBell } from '../notifications/NotificationBell';
import { HeaderSearch } from '../search/HeaderSearch';
import { LanguageSelect } from './LanguageSelect';

/** Staff: the review queue, with how many items wait (kept live). */
function ReviewLink() {
  const { t } = useTranslation();
  useReviewLive();
  const counts = useReviewCounts(true);
  const pending = counts.data?.pending ?? 0;
  return (
    <NavLink to="/review" className="nav-link" data-testid="nav-review">
      {pending > 0 ? t('review.navCount', { count: pending }) : t('review.nav')}
    </NavLink>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const { data: me, isPending } = useMe();
  const location = useLocation();

  if (isPending) return null;
  if (!me) {
    const here = `${location.pathname}${location.search}`;
    const onAuthPage = location.pathname === '/sign-in' || location.pathname === '/sign-up';
    const next = onAuthPage ? new URLSearchParams(location.search).get('next') : here;
    return (
      <div className="user-menu">
        <NavLink to={withNext('/sign-in', next)} className="nav-link">
          {t('nav.signIn')}
        </NavLink>
        <NavLink to={withNext('/sign-up', next)} className="button button-small">
          {t('nav.signUp')}
        </NavLink>
        <LanguageSelect />
      </div>
    );
  }
  return (
    <div className="user-menu">
      {me.canReview ? <ReviewLink /> : null}
      <AccountMenu username={me.username}>
        {me.canTriage ? (
          <NavLink to="/triage" className="nav-link" data-testid="nav-triage">
            {t('triage.nav')}
          </NavLink>
        ) : null}
        {me.canSeeDashboard ? (
          <NavLink to="/dashboard" className="nav-link" data-testid="nav-dashboard">
            {t('dashboard.nav')}
          </NavLink>
        ) : null}
        {mayOpenAdmin(me) ? (
          <NavLink to="/admin" className="nav-link" data-testid="nav-admin">
            {t('admin.nav')}
          </NavLink>
        ) : null}
      </AccountMenu>
    </div>
  );
}

/**
 * The signed-in member's menu: their name opens it on wide screens (staff pages, account,
 * language, sign out); on a phone its items are part of the header's menu panel, so the button
 * is hidden and the list always shown there (styles.css).
 */
function AccountMenu({ username, children }: { username: string; children: ReactNode }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const wrapper = useRef<HTMLDivElement>(null);
  const { id: listId, open, toggle } = useMenu(wrapper);
  return (
    <div className="account-menu" ref={wrapper}>
      <button
        type="button"
        className="account-menu-button"
        data-testid="account-menu"
        aria-expanded={open}
        aria-controls={listId}
        onClick={toggle}
      >
        <span className="visually-hidden">{t('nav.signedInAs')} </span>
        <span data-testid="header-username">{username}</span>
        <Icon name="down" />
      </button>
      <div id={listId} className="account-menu-list" data-open={open}>
        <span className="account-menu-name" aria-hidden="true">
          {username}
        </span>
        {children}
        <NavLink to="/bookmarks" className="nav-link" data-testid="nav-bookmarks">
          {t('nav.bookmarks')}
        </NavLink>
        <NavLink to="/account" className="nav-link" data-testid="nav-account">
          {t('nav.account')}
        </NavLink>
        <LanguageSelect />
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid="sign-out"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/') })}
        >
          {signOut.isPending ? t('nav.signingOut') : t('nav.signOut')}
        </button>
      </div>
    </div>
  );
}

function SiteNav() {
  const { t } = useTranslation();
  const signedIn = Boolean(useMe().data);
  return (
    <nav aria-label={t('nav.label')} className="site-nav">
      <NavLink to="/" end className="nav-link">
        {t('nav.home')}
      </NavLink>
      <NavLink to="/latest" className="nav-link" data-testid="nav-latest">
        {t('nav.latest')}
      </NavLink>
      <NavLink to="/ideas" className="nav-link" data-testid="nav-ideas">
        {t('nav.ideas')}
      </NavLink>
      <NavLink to="/releases" className="nav-link" data-testid="nav-releases">
        {t('nav.releases')}
      </NavLink>
      <NavLink to="/beta" className="nav-link" data-testid="nav-beta">
        {t('beta.nav')}
      </NavLink>
      {signedIn ? (
        <>
          <NavLink to="/unread" className="nav-link" data-testid="nav-unread">
            {t('nav.unread')}
          </NavLink>
          <NavLink to="/new" className="nav-link" data-testid="nav-new">
            {t('nav.new')}
          </NavLink>
        </>
      ) : null}
    </nav>
  );
}

/**
 * The site's header, sticky. Wide: name, navigation, search, the member's menu and the bell in
 * one row. A phone (styles.css, under 60rem): name, bell and a menu button; the button opens the
 * navigation, search and account items as a panel under the row.
 */
export function Header() {
  const { t } = useTranslation();
  const signedIn = Boolean(useMe().data);
  const header = useRef<HTMLElement>(null);
  const { id: panelId, open, toggle } = useMenu(header);
  return (
    <header className="site-header" ref={header}>
      <div className="site-header-inner">
        <Link to="/" className="site-name">
          {t('app.name')}
        </Link>
        <div id={panelId} className="header-panel" data-open={open} data-testid="header-panel">
          <SiteNav />
          <div className="header-end">
            <HeaderSearch />
            <UserMenu />
          </div>
        </div>
        <div className="header-quick">
          {signedIn ? <NotificationBell /> : null}
          <button
            type="button"
            className="menu-toggle"
            data-testid="menu-toggle"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={toggle}
          >
            <Icon name={open ? 'close' : 'menu'} />
            <span className="visually-hidden">{open ? t('nav.closeMenu') : t('nav.menu')}</span>
          </button>
        </div>
      </div>
    </header>
  );
}

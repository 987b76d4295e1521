import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '../account/mutations';
import { withNext } from '../account/nextPath';
import { useMe } from '../account/useMe';
import { mayOpenAdmin } from '../admin/tabs';
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
  const signOut = useSignOut();
  const navigate = useNavigate();
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
      </div>
    );
  }
  return (
    <div className="user-menu">
      {me.canReview ? <ReviewLink /> : null}
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
      <NotificationBell />
      <span className="user-name">
        <span className="visually-hidden">{t('nav.signedInAs')} </span>
        <span data-testid="header-username">{me.username}</span>
      </span>
      <NavLink to="/account" className="nav-link">
        {t('nav.account')}
      </NavLink>
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

export function Header() {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="site-name">
          {t('app.name')}
        </Link>
        <SiteNav />
        <div className="header-end">
          <HeaderSearch />
          <UserMenu />
          <LanguageSelect />
        </div>
      </div>
    </header>
  );
}

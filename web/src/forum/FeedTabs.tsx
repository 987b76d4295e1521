import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useMe } from '../account/useMe';

/** Categories, Latest, New and Unread: the ways to browse the whole forum. */
export function FeedTabs() {
  const { t } = useTranslation();
  const signedIn = Boolean(useMe().data);
  return (
    <nav className="tabs" aria-label={t('feeds.label')}>
      <NavLink to="/" end className="tab" data-testid="feed-categories">
        {t('feeds.categories')}
      </NavLink>
      <NavLink to="/latest" className="tab" data-testid="feed-latest">
        {t('feeds.latest')}
      </NavLink>
      {signedIn ? (
        <>
          <NavLink to="/new" className="tab" data-testid="feed-new">
            {t('feeds.new')}
          </NavLink>
          <NavLink to="/unread" className="tab" data-testid="feed-unread">
            {t('feeds.unread')}
          </NavLink>
        </>
      ) : null}
    </nav>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Avatar } from '../components/Avatar';
import { RoleName } from './RoleName';
import { useProfile } from './useProfile';

/** A small card about a user: who they are and how active, with a link to their profile. */
export function UserCard({ username, id }: { username: string; id: string }) {
  const { t, i18n } = useTranslation();
  const { data: profile, isPending, isError } = useProfile(username);
  return (
    <div id={id} className="user-card" role="dialog" aria-label={username} data-testid="user-card">
      <p className="user-card-name">
        <Avatar username={username} /> {username}
      </p>
      {isPending ? <p className="loading">{t('app.loading')}</p> : null}
      {isError ? <p className="notice">{t('profile.loadFailed')}</p> : null}
      {profile ? (
        <>
          <p className="user-card-role">
            <RoleName role={profile.role} />
          </p>
          <p className="user-card-meta">
            {t('profile.joined', {
              date: new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium' }).format(
                new Date(profile.joinedAt),
              ),
            })}
          </p>
          <ul className="user-card-stats">
            <li>{t('profile.threadCount', { count: profile.threadCount })}</li>
            <li>{t('profile.replyCount', { count: profile.replyCount })}</li>
            <li>{t('profile.likesReceived', { count: profile.likesReceived })}</li>
          </ul>
        </>
      ) : null}
      <Link to={`/u/${encodeURIComponent(username)}`} className="user-card-profile" data-testid="user-card-profile">
        {t('profile.view')}
      </Link>
    </div>
  );
}

import type { ActivityItem, ActivityType } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { Avatar } from '../components/Avatar';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { MemberModeration } from '../moderation/MemberModeration';
import { NotFoundPage } from '../shell/NotFoundPage';
import { RoleName } from './RoleName';
import { useActivity, useProfile } from './useProfile';

const TABS: ActivityType[] = ['threads', 'replies', 'ideas', 'likes'];
const isTab = (value: string | null): value is ActivityType => TABS.includes(value as ActivityType);

function Activity({ username, type }: { username: string; type: ActivityType }) {
  const { t } = useTranslation();
  const list = useActivity(username, type);
  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  // Activity rows have no id of their own: a post is its thread and number.
  const seen = new Set<string>();
  const items: ActivityItem[] = [];
  for (const page of list.data.pages) {
    for (const item of page.items) {
      const key = `${item.threadId}-${item.postNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return (
    <>
      {items.length === 0 ? (
        <EmptyState>
          <p>{t(`profile.empty.${type}`, { username })}</p>
        </EmptyState>
      ) : (
        <ul className="activity-list" data-testid="activity-list">
          {items.map((item) => (
            <li key={`${item.threadId}-${item.postNumber}`} className="activity-item" data-testid="activity-item">
              <p className="activity-title">
                <Link to={item.postNumber > 1 ? `/t/${item.threadId}/${item.postNumber}` : `/t/${item.threadId}`}>
                  {item.threadTitle}
                </Link>{' '}
                <RelativeTime date={item.createdAt} className="notice" />
              </p>
              {item.excerpt ? <p className="activity-excerpt">{item.excerpt}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        testId="load-more-activity"
      />
    </>
  );
}

/** `/u/:username`: who someone is and what they did. */
export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const { username = '' } = useParams();
  const [params] = useSearchParams();
  const requested = params.get('tab');
  const tab: ActivityType = isTab(requested) ? requested : 'threads';
  const { data: profile, error, isPending, refetch } = useProfile(username);
  const { data: me } = useMe();
  usePageTitle(profile?.username ?? username);

  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;

  const date = (value: string) =>
    new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'long' }).format(new Date(value));
  /** A UTC day (YYYY-MM-DD): today, yesterday, or the date. */
  const day = (value: string) => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    if (value === today) return t('profile.today');
    if (value === yesterday) return t('profile.yesterday');
    return new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${value}T00:00:00Z`),
    );
  };
  const stats = [
    { label: t('profile.stats.threads'), value: profile.threadCount },
    { label: t('profile.stats.replies'), value: profile.replyCount },
    { label: t('profile.stats.ideas'), value: profile.ideaCount },
    { label: t('profile.stats.likesGiven'), value: profile.likesGiven },
    { label: t('profile.stats.likesReceived'), value: profile.likesReceived },
  ];
  const number = new Intl.NumberFormat(i18n.resolvedLanguage);

  return (
    <div className="profile-page">
      <header className="profile-header card">
        <div className="profile-name">
          <Avatar username={profile.username} size="large" />
          <h1 data-testid="profile-username">{profile.username}</h1>
        </div>
        <dl className="details">
          <dt>{t('account.role')}</dt>
          <dd data-testid="profile-role">
            <RoleName role={profile.role} />
          </dd>
          <dt>{t('profile.joinedLabel')}</dt>
          <dd>
            <time dateTime={profile.joinedAt}>{date(profile.joinedAt)}</time>
          </dd>
          <dt>{t('profile.lastSeen')}</dt>
          <dd>
            {profile.lastSeenOn ? (
              <time dateTime={profile.lastSeenOn}>{day(profile.lastSeenOn)}</time>
            ) : (
              t('profile.notShown')
            )}
          </dd>
        </dl>
        <ul className="profile-stats">
          {stats.map((stat) => (
            <li key={stat.label}>
              <span className="profile-stat-value">{number.format(stat.value)}</span>
              <span className="profile-stat-label">{stat.label}</span>
            </li>
          ))}
        </ul>
      </header>
      {me?.canReview && me.id !== profile.id ? <MemberModeration userId={profile.id} /> : null}
      <nav className="tabs" aria-label={t('profile.activityLabel')}>
        {TABS.map((type) => (
          <Link
            key={type}
            to={{ search: type === 'threads' ? '' : `?tab=${type}` }}
            className="tab"
            aria-current={type === tab ? 'page' : undefined}
            data-testid={`profile-tab-${type}`}
            replace
          >
            {t(`profile.tabs.${type}`)}
          </Link>
        ))}
      </nav>
      <Activity key={`${username}-${tab}`} username={profile.username} type={tab} />
    </div>
  );
}

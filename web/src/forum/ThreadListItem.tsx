import type { Category, ThreadSummary } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { RelativeTime } from '../components/RelativeTime';
import { UserLink } from '../users/UserLink';
import { CategoryBadge } from './CategoryBadge';

interface ThreadListItemProps {
  thread: ThreadSummary;
  /** Shown as a badge (lists across categories, or sub-categories inside a category). */
  category?: Pick<Category, 'slug' | 'name' | 'color'>;
  signedIn: boolean;
}

/** One row of a thread list. */
export function ThreadListItem({ thread, category, signedIn }: ThreadListItemProps) {
  const { t } = useTranslation();
  // Unread replies take the reader to the first one they have not seen.
  const firstUnread = thread.highestPostNumber - thread.unreadCount + 1;
  const to = signedIn && thread.unreadCount > 0 ? `/t/${thread.id}/${firstUnread}` : `/t/${thread.id}`;
  return (
    <li className="thread-item" data-testid="thread-list-item" data-thread-id={thread.id}>
      <div className="thread-item-main">
        <p className="thread-item-title">
          {thread.pinned ? (
            <span className="thread-flag" title={t('thread.pinned')} data-testid="pinned-icon">
              <Icon name="pin" />
              <span className="visually-hidden">{t('thread.pinned')}</span>
            </span>
          ) : null}
          {thread.locked ? (
            <span className="thread-flag" title={t('thread.locked')}>
              <Icon name="lock" />
              <span className="visually-hidden">{t('thread.locked')}</span>
            </span>
          ) : null}
          <Link to={to} className="thread-item-link" data-testid="thread-link">
            {thread.title}
          </Link>
          {signedIn && thread.isNew ? (
            <span className="badge badge-new" data-testid="new-badge">
              {t('threadList.newBadge')}
            </span>
          ) : null}
          {signedIn && !thread.isNew && thread.unreadCount > 0 ? (
            <Link
              to={to}
              className="badge badge-unread"
              data-testid="unread-count"
              title={t('threadList.unreadTitle', { count: thread.unreadCount })}
            >
              {thread.unreadCount}
              <span className="visually-hidden"> {t('threadList.unreadTitle', { count: thread.unreadCount })}</span>
            </Link>
          ) : null}
        </p>
        <p className="thread-item-meta">
          {category ? <CategoryBadge category={category} /> : null}
          {thread.kind === 'idea' ? <span className="badge badge-kind">{t('threadList.idea')}</span> : null}
          <span>
            {t('threadList.by')} <UserLink username={thread.author.username} />
          </span>
        </p>
      </div>
      <dl className="thread-item-stats">
        <div>
          <dt>{t('threadList.replies')}</dt>
          <dd data-testid="reply-count">{thread.replyCount}</dd>
        </div>
        <div>
          <dt>{t('threadList.likes')}</dt>
          <dd data-testid="like-count">{thread.likeCount}</dd>
        </div>
        <div>
          <dt>{t('threadList.activity')}</dt>
          <dd>
            <RelativeTime date={thread.bumpedAt} />
          </dd>
        </div>
      </dl>
    </li>
  );
}

import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { useMenu } from '../components/useMenu';
import { NotificationItem } from './NotificationItem';
import { useNotificationMenu, useNotificationsLive } from './useNotifications';

/** The header's bell: the unread count (kept live) and a menu of the newest notifications (closed
 * on navigation, Escape and presses elsewhere). */
export function NotificationBell() {
  const { t } = useTranslation();
  const wrapper = useRef<HTMLDivElement>(null);
  const { id: menuId, open, close, toggle } = useMenu(wrapper);
  const { data, isPending, isError } = useNotificationMenu(true);
  useNotificationsLive();
  const unread = data?.unreadCount ?? 0;

  return (
    <div className="bell" ref={wrapper}>
      <button
        type="button"
        className="bell-button"
        data-testid="notification-bell"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={toggle}
      >
        <Icon name="bell" />
        <span className="visually-hidden">
          {unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}
        </span>
        {unread > 0 ? (
          <span className="bell-count" data-testid="notification-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id={menuId} className="bell-menu" data-testid="notification-menu">
          <h2 className="small-heading">{t('notifications.heading')}</h2>
          {isPending ? <p className="loading">{t('app.loading')}</p> : null}
          {isError ? <p className="notice">{t('notifications.loadFailed')}</p> : null}
          {data && data.items.length === 0 ? <p className="notice">{t('notifications.empty')}</p> : null}
          {data?.items.length ? (
            <ul className="notification-list">
              {data.items.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onOpen={close} />
              ))}
            </ul>
          ) : null}
          <Link to="/notifications" className="bell-all" data-testid="all-notifications">
            {t('notifications.seeAll')}
          </Link>
        </div>
      ) : null}
    </div>
  );
}

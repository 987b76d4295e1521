import type { Notification } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RelativeTime } from '../components/RelativeTime';
import { notificationHref, notificationText } from './notificationText';
import { useMarkNotificationsRead } from './useNotifications';

const icons: Record<string, string> = {
  reply: '↩',
  mention: '@',
  quote: '❝',
  like: '♥',
  status: '★',
  merged: '⇢',
  released: '🚀',
};

/** One notification: its text links to what it is about and marks it read. */
export function NotificationItem({ notification, onOpen }: { notification: Notification; onOpen?: () => void }) {
  const { t } = useTranslation();
  const markRead = useMarkNotificationsRead();
  return (
    <li
      className={`notification${notification.read ? '' : ' notification-unread'}`}
      data-testid="notification-item"
      data-notification-id={notification.id}
      data-read={notification.read}
    >
      <span className="notification-icon" aria-hidden="true">
        {icons[notification.kind] ?? '•'}
      </span>
      <span className="notification-body">
        <Link
          to={notificationHref(notification)}
          className="notification-link"
          onClick={() => {
            if (!notification.read) markRead.mutate({ ids: [notification.id] });
            onOpen?.();
          }}
        >
          {notificationText(t, notification)}
        </Link>
        {typeof notification.data.response === 'string' && notification.data.response ? (
          <span className="notification-response" data-testid="notification-response">
            {notification.data.response}
          </span>
        ) : null}
        {notification.read ? null : <span className="visually-hidden"> ({t('notifications.unread')})</span>}
        <RelativeTime date={notification.updatedAt} className="notification-time" />
      </span>
    </li>
  );
}

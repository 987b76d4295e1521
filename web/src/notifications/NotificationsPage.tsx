import { useTranslation } from 'react-i18next';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { EmptyState } from '../components/EmptyState';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { uniqueItems } from '../forum/flatten';
import { errorMessage } from '../i18n/errorMessage';
import { NotificationItem } from './NotificationItem';
import { useMarkNotificationsRead, useNotificationList, useNotificationMenu } from './useNotifications';

function Notifications() {
  const { t } = useTranslation();
  const list = useNotificationList(true);
  const menu = useNotificationMenu(true);
  const markAll = useMarkNotificationsRead();
  const items = uniqueItems(list.data?.pages);
  // The bell's count is the live one; the list's is as of its last load.
  const unread = menu.data?.unreadCount ?? list.data?.pages[0]?.unreadCount ?? 0;

  if (list.isPending) return <Loading />;
  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;

  return (
    <>
      <p className="actions">
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid="mark-all-read"
          disabled={unread === 0 || markAll.isPending}
          onClick={() => markAll.mutate({ all: true })}
        >
          {t('notifications.markAllRead')}
        </button>
      </p>
      <FormError message={markAll.error ? errorMessage(t, markAll.error) : null} />
      {items.length === 0 ? (
        <EmptyState>
          <p>{t('notifications.empty')}</p>
        </EmptyState>
      ) : (
        <ul className="notification-list notification-page-list" data-testid="notification-list">
          {items.map((notification) => (
            <NotificationItem key={notification.id} notification={notification} />
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        testId="load-more-notifications"
      />
    </>
  );
}

export function NotificationsPage() {
  const { t } = useTranslation();
  usePageTitle(t('notifications.heading'));
  const { data: me, isPending } = useMe();
  return (
    <div className="notifications-page">
      <h1>{t('notifications.heading')}</h1>
      {isPending ? <Loading /> : me ? <Notifications /> : <SignInPrompt message={t('notifications.signIn')} />}
    </div>
  );
}

import { type Notification, NotificationEvents } from '@fanlab/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../account/useMe';
import { listNotifications, markNotificationsRead, type NotificationPage } from '../api/notifications';
import { forumKeys } from '../forum/queryKeys';
import { useLiveChannel } from '../live/useLiveChannel';

export const MENU_SIZE = 5;

/** The newest notifications and the unread count, for the header's bell. */
export function useNotificationMenu(enabled: boolean) {
  return useQuery({
    queryKey: forumKeys.notificationMenu,
    queryFn: () => listNotifications({ limit: MENU_SIZE }),
    enabled,
    staleTime: 60_000,
  });
}

/** Every notification, page by page. */
export function useNotificationList(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: forumKeys.notificationList,
    queryFn: ({ pageParam }) => listNotifications({ cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

function setUnreadCount(queryClient: ReturnType<typeof useQueryClient>, unreadCount: number) {
  queryClient.setQueryData<NotificationPage>(forumKeys.notificationMenu, (page) =>
    page ? { ...page, unreadCount } : page,
  );
}

/** The menu's newest entries with `notification` added or (a grouped one) moved to the top. */
function withNotification(page: NotificationPage, notification: Notification, unreadCount: number) {
  const others = page.items.filter((item) => item.id !== notification.id);
  return { ...page, unreadCount, items: [notification, ...others].slice(0, MENU_SIZE) };
}

/**
 * Keeps the notification caches current from the signed-in user's live channel. Mount once
 * (the header's bell does); it shares the tab's one socket and `user:<id>` subscription.
 */
export function useNotificationsLive() {
  const queryClient = useQueryClient();
  const userId = useMe().data?.id;
  useLiveChannel(userId === undefined ? null : `user:${userId}`, {
    onEvent: (event) => {
      const data = event.data as { notification?: Notification; unreadCount?: unknown } | null;
      const unreadCount = typeof data?.unreadCount === 'number' ? data.unreadCount : undefined;
      if (event.event === NotificationEvents.changed && data?.notification && unreadCount !== undefined) {
        const notification = data.notification;
        queryClient.setQueryData<NotificationPage>(forumKeys.notificationMenu, (page) =>
          page ? withNotification(page, notification, unreadCount) : page,
        );
        void queryClient.invalidateQueries({ queryKey: forumKeys.notificationList });
      } else if (event.event === NotificationEvents.allRead && unreadCount !== undefined) {
        setUnreadCount(queryClient, unreadCount);
        void queryClient.invalidateQueries({ queryKey: forumKeys.notifications });
      }
    },
    // Without a replay (no cursor yet, or the server could not resume) anything may have happened.
    onSubscribed: ({ resumed }) => {
      if (resumed) return;
      const menu = queryClient.getQueryState(forumKeys.notificationMenu);
      const fresh = menu && (menu.fetchStatus === 'fetching' || Date.now() - menu.dataUpdatedAt < 5_000);
      if (!fresh) void queryClient.invalidateQueries({ queryKey: forumKeys.notifications });
    },
  });
}

/** Marks some (or all) notifications read and updates every cached copy. */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (which: { ids: number[] } | { all: true }) => markNotificationsRead(which),
    onSuccess: (unreadCount, which) => {
      const isRead = (item: Notification) => 'all' in which || which.ids.includes(item.id);
      const markPage = (page: NotificationPage): NotificationPage => ({
        ...page,
        unreadCount,
        items: page.items.map((item) => (isRead(item) ? { ...item, read: true } : item)),
      });
      queryClient.setQueryData<NotificationPage>(forumKeys.notificationMenu, (page) => page && markPage(page));
      queryClient.setQueryData<{ pages: NotificationPage[]; pageParams: unknown[] }>(
        forumKeys.notificationList,
        (data) => data && { ...data, pages: data.pages.map(markPage) },
      );
    },
  });
}

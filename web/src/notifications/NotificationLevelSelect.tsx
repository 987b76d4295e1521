import { type CategoryLevels, type NotificationLevel, notificationLevels } from '@fanlab/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { listCategoryLevels, setNotificationLevel } from '../api/notificationLevels';
import { FormError } from '../components/FormError';
import { forumKeys } from '../forum/queryKeys';
import { patchThread } from '../forum/threadCache';
import { errorMessage } from '../i18n/errorMessage';

interface NotificationLevelSelectProps {
  place: 'threads' | 'categories';
  id: number;
  /** The level in force now. */
  level: NotificationLevel;
  /** In a list of places: the place's name (in the label, for screen readers), no help line. */
  compactFor?: string;
}

/**
 * The reader's notification level of a thread or a category (docs/notifications.md): a plain
 * select (it works the same with a keyboard, a screen reader and a phone's picker), with what the
 * chosen level means under it. A thread's change shows at once in its page; a category's also
 * reaches its threads' levels and the Unread and New lists, which load again.
 */
export function NotificationLevelSelect({ place, id, level, compactFor }: NotificationLevelSelectProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const selectId = useId();
  const helpId = useId();
  const change = useMutation({
    mutationFn: (next: NotificationLevel) => setNotificationLevel(place, id, next),
    onSuccess: ({ level: saved }) => {
      if (place === 'threads') {
        patchThread(queryClient, id, { notificationLevel: saved });
      } else {
        queryClient.setQueryData<CategoryLevels>(forumKeys.categoryLevels, (current) => ({
          items: [...(current?.items ?? []).filter((item) => item.categoryId !== id), { categoryId: id, level: saved }],
        }));
        void queryClient.invalidateQueries({ queryKey: ['threads', 'detail'] });
      }
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
      void queryClient.invalidateQueries({ queryKey: forumKeys.notificationLevels, refetchType: 'none' });
    },
  });
  // while saving, the choice; once saved, what the server answered (a list's row may be older)
  const shown = change.isPending && change.variables ? change.variables : (change.data?.level ?? level);
  const help = place === 'threads' ? t(`notificationLevel.thread.${shown}`) : t(`notificationLevel.category.${shown}`);
  return (
    <div
      className={compactFor === undefined ? 'notification-level' : 'notification-level notification-level-compact'}
      data-testid={`notification-level-${place}`}
    >
      <label htmlFor={selectId} className={compactFor === undefined ? 'notification-level-label' : 'visually-hidden'}>
        {compactFor === undefined
          ? t('notificationLevel.label')
          : t('notificationLevel.labelFor', { name: compactFor })}
      </label>{' '}
      <select
        id={selectId}
        data-testid="notification-level"
        className="notification-level-select"
        aria-describedby={helpId}
        value={shown}
        disabled={change.isPending}
        onChange={(event) => change.mutate(event.target.value as NotificationLevel)}
      >
        {notificationLevels.map((option) => (
          <option key={option} value={option}>
            {t(`notificationLevel.${option}`)}
          </option>
        ))}
      </select>
      <p
        id={helpId}
        className={compactFor === undefined ? 'notification-level-help' : 'visually-hidden'}
        aria-live="polite"
      >
        {change.isPending ? t('notificationLevel.saving') : help}
      </p>
      <FormError message={change.error ? errorMessage(t, change.error) : null} />
    </div>
  );
}

/** The reader's level of a category: the one they chose, else normal (signed-in readers only). */
export function CategoryNotificationLevel({ categoryId }: { categoryId: number }) {
  const levels = useQuery({ queryKey: forumKeys.categoryLevels, queryFn: listCategoryLevels });
  if (!levels.data) return null;
  const level = levels.data.items.find((item) => item.categoryId === categoryId)?.level ?? 'normal';
  return <NotificationLevelSelect place="categories" id={categoryId} level={level} />;
}

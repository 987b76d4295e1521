import type { AdminUser } from '@fanlab/shared';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { RelativeTime } from '../components/RelativeTime';
import { RoleName } from '../users/RoleName';

/**
 * What the admin screens show of a user, in order: the list's columns and the detail panel's
 * rows both come from this one list: a new field is one more entry here, reading an AdminUser field.
 */
export interface UserField {
  id: 'email' | 'role' | 'trust' | 'joined' | 'lastSeen' | 'standing';
  label: (t: TFunction) => string;
  /** Null: the reader may not see it (emails for moderators); the field is left out. */
  value: (user: AdminUser, t: TFunction, when: (iso: string) => string) => ReactNode | null;
}

export const userFields: readonly UserField[] = [
  { id: 'email', label: (t) => t('admin.users.email'), value: (u) => u.email },
  { id: 'role', label: (t) => t('admin.users.role'), value: (u) => <RoleName role={u.role} /> },
  {
    id: 'trust',
    label: (t) => t('trust.setLevel'),
    value: (u, t) =>
      `${t('trust.levelOption', { level: u.trustLevel, name: t(`trust.levels.${u.trustLevel}`) })}${
        u.trustLevelLocked ? ` · ${t('trust.locked')}` : ''
      }`,
  },
  { id: 'joined', label: (t) => t('admin.users.joined'), value: (u) => <RelativeTime date={u.createdAt} /> },
  {
    id: 'lastSeen',
    label: (t) => t('admin.users.lastSeen'),
    value: (u, t) => (u.lastSeenAt ? <RelativeTime date={u.lastSeenAt} /> : t('admin.users.never')),
  },
  {
    id: 'standing',
    label: (t) => t('admin.users.standing'),
    value: (u, t, when) => <Standing user={u} t={t} when={when} />,
  },
];

function Standing({ user, t, when }: { user: AdminUser; t: TFunction; when: (iso: string) => string }) {
  if (!user.silencedUntil && !user.suspendedUntil)
    return <span className="muted">{t('admin.users.inGoodStanding')}</span>;
  return (
    <span className="standing-badges">
      {user.suspendedUntil ? (
        <span className="badge badge-danger" data-testid="user-suspended">
          {t('admin.users.suspendedUntil', { until: when(user.suspendedUntil) })}
        </span>
      ) : null}
      {user.silencedUntil ? (
        <span className="badge badge-warning" data-testid="user-silenced">
          {t('admin.users.silencedUntil', { until: when(user.silencedUntil) })}
        </span>
      ) : null}
    </span>
  );
}

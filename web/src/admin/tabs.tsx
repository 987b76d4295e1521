import type { Me } from '@fanlab/shared';
import type { ReactNode } from 'react';
import { lazyPage } from '../components/lazyPage';

// The header asks these tabs whether to show Admin (mayOpenAdmin): their pages load on first visit.
const UsersTab = lazyPage(() => import('./UsersTab').then((m) => m.UsersTab));
const CategoriesTab = lazyPage(() => import('./CategoriesTab').then((m) => m.CategoriesTab));
const AuditLogTab = lazyPage(() => import('./AuditLogTab').then((m) => m.AuditLogTab));
const SiteSettingsPage = lazyPage(() => import('../settings/SiteSettingsPage').then((m) => m.SiteSettingsPage));

/**
 * The tabs of /admin, in the order they show. A new tab (site settings) is one more entry: its
 * id (its label is `admin.tabs.<id>`), the route under /admin it answers, the `Me` flag that opens
 * it (set by the server from its policy: the client never looks at roles) and its page.
 */
export interface AdminTab {
  id: 'users' | 'categories' | 'audit' | 'settings';
  /** The route under /admin (the tab links to its first segment). */
  route: string;
  allowed: (me: Me) => boolean;
  element: ReactNode;
}

export const adminTabs: readonly AdminTab[] = [
  { id: 'users', route: 'users/:id?', allowed: (me) => me.canSeeUsers, element: <UsersTab /> },
  { id: 'categories', route: 'categories', allowed: (me) => me.canManageCategories, element: <CategoriesTab /> },
  { id: 'audit', route: 'audit', allowed: (me) => me.canReadAuditLog, element: <AuditLogTab /> },
  { id: 'settings', route: 'settings', allowed: (me) => me.canManageSettings, element: <SiteSettingsPage /> },
];

/** Whether `me` may open any admin tab (the header's Admin link). */
export const mayOpenAdmin = (me: Me | null | undefined) => Boolean(me && adminTabs.some((tab) => tab.allowed(me)));

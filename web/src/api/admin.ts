import type {
  AdminUser,
  AdminUserQuery,
  AuditEntry,
  AuditLogQuery,
  Category,
  CategoryBody,
  CategoryOrderBody,
  CategoryPatch,
  Page,
  Role,
} from '@fanlab/shared';
import { apiDelete, apiGet, apiPatch, apiPost, apiPut, withQuery } from './client';

/** GET /api/admin/users (staff) */
export function listAdminUsers(query: AdminUserQuery): Promise<Page<AdminUser>> {
  return apiGet<Page<AdminUser>>(withQuery('/api/admin/users', { ...query }));
}

/** GET /api/admin/users/:id (staff) */
export function getAdminUser(id: number): Promise<AdminUser> {
  return apiGet<AdminUser>(`/api/admin/users/${id}`);
}

/** PUT /api/admin/users/:id/role (admins) */
export function setUserRole(id: number, role: Role): Promise<AdminUser> {
  return apiPut<AdminUser>(`/api/admin/users/${id}/role`, { role });
}

/** GET /api/admin/audit-log (admins) */
export function listAuditLog(query: AuditLogQuery): Promise<Page<AuditEntry>> {
  return apiGet<Page<AuditEntry>>(withQuery('/api/admin/audit-log', { ...query }));
}

/** POST /api/admin/categories */
export function createCategory(body: CategoryBody): Promise<Category> {
  return apiPost<Category>('/api/admin/categories', body);
}

/** PATCH /api/admin/categories/:id */
export function updateCategory(id: number, patch: CategoryPatch): Promise<Category> {
  return apiPatch<Category>(`/api/admin/categories/${id}`, patch);
}

/** DELETE /api/admin/categories/:id */
export function deleteCategory(id: number): Promise<void> {
  return apiDelete<void>(`/api/admin/categories/${id}`);
}

/** PUT /api/admin/categories/order: every sibling once, first first. */
export function reorderCategories(body: CategoryOrderBody): Promise<{ categories: Category[] }> {
  return apiPut<{ categories: Category[] }>('/api/admin/categories/order', body);
}

import { AdminUser, AdminUserQuery, AuditEntry, AuditLogQuery, IdParams, Page, SetRoleBody } from '@fanlab/shared';
import type { FastifyRequest } from 'fastify';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { enforce, errorResponses } from '../http/errors';
import { changeRole } from './actions';
import { adminPolicy } from './policy';
import { toAdminUser } from './present';
import { findAdminUser, listAuditLog, listUsers } from './queries';

export function adminRoutes(app: App, db: Db) {
  const tags = ['admin'];
  const staff = (request: FastifyRequest) => {
    enforce(adminPolicy.seeUsers(request.user));
    return requireUser(request);
  };

  app.get(
    '/api/admin/users',
    {
      schema: {
        tags,
        summary: 'Users, newest first (staff; emails for admins only)',
        description:
          '`q` matches a username prefix, and for admins an email prefix too; `sanction` keeps those ' +
          'silenced, suspended, either (`any`) or neither (`none`) right now.',
        querystring: AdminUserQuery,
        response: { 200: Page(AdminUser), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listUsers(db, staff(request), request.query),
  );

  app.get(
    '/api/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'One user, as the list shows them (staff)',
        params: IdParams,
        response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => findAdminUser(db, staff(request), request.params.id),
  );

  app.put(
    '/api/admin/users/:id/role',
    {
      schema: {
        tags,
        summary: "Change a user's role (admins, never their own; written to the audit log)",
        params: IdParams,
        body: SetRoleBody,
        response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      const row = await withTx(db, (tx) => changeRole(tx, admin, request.params.id, request.body.role));
      return toAdminUser(row, admin);
    },
  );

  app.get(
    '/api/admin/audit-log',
    {
      schema: {
        tags,
        summary: 'The audit log of staff and operator actions, newest first (admins)',
        description:
          'Filters: `actor` (username), `action`, `targetType` and `targetId`, and a time range ' +
          '(`from` inclusive, `to` exclusive; ISO 8601).',
        querystring: AuditLogQuery,
        response: { 200: Page(AuditEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      enforce(adminPolicy.readAuditLog(request.user));
      return listAuditLog(db, request.query);
    },
  );
}

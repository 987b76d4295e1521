import { AdminUser, AuditActionSchema, IdParams, Page, PageQuery, Role, SetRoleBody } from '@fanlab/shared';
import { Type } from 'typebox';
import { authorize } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { changeRole } from './actions';
import { toAdminUser } from './present';
import { listAuditLog, listUsers } from './queries';

const AuditEntry = Type.Object({
  id: Type.Integer(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  action: AuditActionSchema,
  targetType: Type.String({ description: 'user, category, thread or post' }),
  targetId: Type.Union([Type.Integer(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});

export function adminRoutes(app: App, db: Db) {
  const tags = ['admin'];

  app.get(
    '/api/admin/users',
    {
      schema: {
        tags,
        summary: 'Users, newest first (admins)',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ maxLength: 254, description: 'Username or email prefix' })),
            role: Type.Optional(Role),
          }),
        ]),
        response: { 200: Page(AdminUser), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      authorize(request, 'manageUsers');
      return listUsers(db, request.query);
    },
  );

  app.put(
    '/api/admin/users/:id/role',
    {
      schema: {
        tags,
        summary: "Change a user's role (admins; written to the audit log)",
        params: IdParams,
        body: SetRoleBody,
        response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const admin = authorize(request, 'manageUsers');
      return toAdminUser(await withTx(db, (tx) => changeRole(tx, admin, request.params.id, request.body.role)));
    },
  );

  app.get(
    '/api/admin/audit-log',
    {
      schema: {
        tags,
        summary: 'The audit log of staff and operator actions, newest first (admins)',
        querystring: PageQuery,
        response: { 200: Page(AuditEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      authorize(request, 'readAuditLog');
      return listAuditLog(db, request.query);
    },
  );
}

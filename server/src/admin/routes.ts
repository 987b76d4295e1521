import { AdminUser, AuditActionSchema, ErrorCodes, IdParams, Page, PageQuery, Role, SetRoleBody } from '@fanlab/shared';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { setRole } from '../auth/accounts';
import { authorize } from '../auth/policy';
import { toAdminUser } from '../auth/users';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { AppError, errorResponses } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';

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
      const { cursor, limit = 25, q, role } = request.query;
      const after = decodeCursor(cursor, ['id']);
      let query = db
        .selectFrom('users')
        .select(['id', 'username', 'email', 'role', 'created_at', 'last_seen_at'])
        .orderBy('id', 'desc')
        .limit(sql.lit(limit + 1));
      if (after) query = query.where('id', '<', after[0]);
      if (role) query = query.where('role', '=', role);
      if (q) {
        const prefix = `${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
        query = query.where((eb) =>
          eb.or([eb(eb.fn('lower', ['username']), 'like', prefix), eb(eb.fn('lower', ['email']), 'like', prefix)]),
        );
      }
      const rows = await query.execute();
      return toPage(rows, limit, toAdminUser, (r) => [r.id]);
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
      if (request.params.id === admin.id) {
        throw new AppError(409, ErrorCodes.ownRole, 'You cannot change your own role; ask another admin.');
      }
      return toAdminUser(await withTx(db, (tx) => setRole(tx, admin.id, request.params.id, request.body.role)));
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
      const { cursor, limit = 25 } = request.query;
      const after = decodeCursor(cursor, ['id']);
      let query = db
        .selectFrom('audit_log')
        .leftJoin('users', 'users.id', 'audit_log.actor_id')
        .select([
          'audit_log.id',
          'audit_log.actor_id',
          'users.username',
          'audit_log.action',
          'audit_log.target_type',
          'audit_log.target_id',
          'audit_log.data',
          'audit_log.created_at',
        ])
        .orderBy('audit_log.id', 'desc')
        .limit(sql.lit(limit + 1));
      if (after) query = query.where('audit_log.id', '<', after[0]);
      const rows = await query.execute();
      return toPage(
        rows,
        limit,
        (r) => ({
          id: r.id,
          actorId: r.actor_id,
          actorUsername: r.username,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          data: r.data,
          createdAt: r.created_at.toISOString(),
        }),
        (r) => [r.id],
      );
    },
  );
}

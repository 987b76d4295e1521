import {
  CategoryLevels,
  IdParams,
  MarkReadBody,
  NotificationLevelBody,
  NotificationLevelResponse,
  NotificationPage,
  Page,
  PageQuery,
  ThreadLevel,
  ThreadLevelQuery,
} from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { markNotificationsRead } from './actions';
import { listCategoryLevels, listThreadLevels, setCategoryLevel, setThreadLevel } from './levels';
import { toNotification } from './present';
import { listNotifications, unreadCount } from './queries';

export function notificationRoutes(app: App, db: Db) {
  const tags = ['notifications'];

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'Your notifications, newest first, with the unread count',
        querystring: PageQuery,
        response: { 200: NotificationPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const limit = request.query.limit ?? 25;
      const before = decodeCursor(request.query.cursor, ['id']);
      const [rows, count] = await Promise.all([
        listNotifications(db, user.id, limit, before?.[0]),
        unreadCount(db, user.id),
      ]);
      return { ...toPage(rows, limit, toNotification, (r) => [r.id]), unreadCount: count };
    },
  );

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark notifications read: { ids } or { all: true }',
        body: MarkReadBody,
        response: { 200: Type.Object({ unreadCount: Type.Integer() }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const ids = 'all' in request.body ? 'all' : request.body.ids;
      return { unreadCount: await withTx(db, (tx) => markNotificationsRead(tx, user.id, ids)) };
    },
  );

  // Notification levels (docs/notifications.md): any signed-in member, silenced ones too (choosing
  // what to hear about is not speaking), of threads they can see; only ever their own.
  for (const [what, set] of [
    ['threads', setThreadLevel],
    ['categories', setCategoryLevel],
  ] as const) {
    app.put(
      `/api/${what}/:id/notification-level`,
      {
        schema: {
          tags,
          summary: `Your notification level of a ${what === 'threads' ? 'thread' : 'category'}: watching, tracking, normal or muted`,
          params: IdParams,
          body: NotificationLevelBody,
          response: { 200: NotificationLevelResponse, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const user = requireUser(request);
        return { level: await withTx(db, (tx) => set(tx, user, request.params.id, request.body.level)) };
      },
    );
  }

  app.get(
    '/api/me/notification-levels/categories',
    {
      schema: {
        tags,
        summary: 'The categories you chose a notification level for (the rest are normal)',
        response: { 200: CategoryLevels, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.header('cache-control', 'no-store').send({ items: await listCategoryLevels(db, user.id) });
    },
  );

  app.get(
    '/api/me/notification-levels/threads',
    {
      schema: {
        tags,
        summary: 'The threads you watch or muted, most recently chosen first',
        querystring: ThreadLevelQuery,
        response: { 200: Page(ThreadLevel), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { level, limit, cursor } = request.query;
      const page = await listThreadLevels(db, user.id, level, limit ?? 30, cursor);
      return reply.header('cache-control', 'no-store').send(page);
    },
  );
}

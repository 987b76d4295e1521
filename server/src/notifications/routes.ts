import { MarkReadBody, NotificationPage, PageQuery } from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { markNotificationsRead } from './actions';
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
}

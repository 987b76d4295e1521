import { ActivityItem, ActivityQuery, Page, Profile } from '@fanlab/shared';
import { Type } from 'typebox';
import type { Db } from '../db/connect';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { getProfile, listActivity } from './queries';

const UsernameParams = Type.Object({ username: Type.String({ maxLength: 20 }) });

export function userRoutes(app: App, db: Db) {
  const tags = ['users'];
  app.get(
    '/api/users/:username',
    {
      schema: {
        tags,
        summary: 'A public profile (also the user card)',
        params: UsernameParams,
        response: { 200: Profile, ...errorResponses(404) },
      },
    },
    async (request) => getProfile(db, request.params.username),
  );

  app.get(
    '/api/users/:username/activity',
    {
      schema: {
        tags,
        summary: "A user's threads, replies, ideas or liked posts, newest first",
        params: UsernameParams,
        querystring: ActivityQuery,
        response: { 200: Page(ActivityItem), ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      listActivity(db, request.params.username, request.query.type, request.query.limit ?? 20, request.query.cursor),
  );
}

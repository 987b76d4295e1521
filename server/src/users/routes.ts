import { ActivityItem, ActivityQuery, Page, Profile, UserSearchQuery, UserSearchResponse } from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { getProfile, listActivity, searchUsernames } from './queries';

const UsernameParams = Type.Object({ username: Type.String({ maxLength: 20 }) });

export function userRoutes(app: App, db: Db) {
  const tags = ['users'];
  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: "Usernames starting with `q` (the composer's @mention suggestions); members only",
        querystring: UserSearchQuery,
        response: { 200: UserSearchResponse, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      // names are public on profiles; asking for them by prefix is for members writing a post
      requireUser(request);
      const users = await searchUsernames(db, request.query.q, request.query.limit ?? 6);
      return reply.header('cache-control', 'private, max-age=30').send({ users });
    },
  );

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

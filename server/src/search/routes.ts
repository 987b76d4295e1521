import { SearchQuery, SearchResponse } from '@fanlab/shared';
import type { Db } from '../db/connect';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { search } from './queries';

export function searchRoutes(app: App, db: Db) {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Full-text search over titles and posts, ranked, with highlighted snippets',
        querystring: SearchQuery,
        response: { 200: SearchResponse, ...errorResponses(400) },
      },
    },
    async (request) => search(db, request.query),
  );
}

import { Bookmark, BookmarkListQuery, BookmarkResponse, IdParams, Page } from '@fanlab/shared';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { setBookmark } from './actions';
import { listBookmarks } from './queries';

/**
 * Bookmarks: any signed-in member (silenced ones too: keeping a post to read later is not
 * speaking), of the posts they can see; only ever their own.
 */
export function bookmarkRoutes(app: App, db: Db) {
  const tags = ['bookmarks'];
  for (const [method, bookmarked] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/posts/:id/bookmark',
      {
        schema: {
          tags,
          summary: bookmarked ? 'Bookmark a post (idempotent)' : 'Take a bookmark back (idempotent)',
          params: IdParams,
          response: { 200: BookmarkResponse, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const user = requireUser(request);
        return { bookmarked: await withTx(db, (tx) => setBookmark(tx, user, request.params.id, bookmarked)) };
      },
    );
  }

  app.get(
    '/api/me/bookmarks',
    {
      schema: {
        tags,
        summary: 'Your bookmarked posts, newest first',
        querystring: BookmarkListQuery,
        response: { 200: Page(Bookmark), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const page = await listBookmarks(db, user, request.query.limit ?? 30, request.query.cursor);
      return reply.header('cache-control', 'no-store').send(page);
    },
  );
}

import { DraftParams, DraftResponse, SaveDraftBody } from '@fanlab/shared';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { deleteDraft, saveDraft } from './actions';
import { findDraft } from './queries';

/**
 * A member's drafts (shared/drafts.ts). The policy is the key itself: every route reads and
 * writes the signed-in member's own drafts only, so there is nobody else's to guard.
 */
export function draftRoutes(app: App, db: Db) {
  const tags = ['drafts'];

  app.get(
    '/api/me/drafts/:key',
    {
      schema: {
        tags,
        summary: 'Your draft for a place (a new thread in a category, a reply, an edit), or null',
        params: DraftParams,
        response: { 200: DraftResponse, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const draft = await findDraft(db, user.id, request.params.key);
      return reply.header('cache-control', 'no-store').send({ draft });
    },
  );

  app.put(
    '/api/me/drafts/:key',
    {
      schema: {
        tags,
        summary: 'Save your draft for a place; no text at all forgets it. Past 50, your oldest is forgotten',
        params: DraftParams,
        body: SaveDraftBody,
        response: { 200: DraftResponse, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const draft = await withTx(db, (tx) => saveDraft(tx, user.id, request.params.key, request.body));
      return { draft };
    },
  );

  app.delete(
    '/api/me/drafts/:key',
    {
      schema: {
        tags,
        summary: 'Forget your draft for a place (idempotent)',
        params: DraftParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => deleteDraft(tx, user.id, request.params.key));
      return reply.code(204).send(null);
    },
  );
}

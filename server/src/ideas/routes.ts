import {
  BulkStatusBody,
  ExportQuery,
  IdeaDetail,
  IdeaListQuery,
  IdeaSummary,
  IdParams,
  MergeBody,
  Page,
  PageQuery,
  SetStatusBody,
  SetTagsBody,
  SimilarIdea,
  SimilarQuery,
  VOTER_EXPORT_COLUMNS,
  VoteResponse,
  Voter,
} from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser, requireVoice } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { CategorySource } from '../forum/category-places';
import type { App } from '../http/app-type';
import { enforce, errorResponses } from '../http/errors';
import { exportRow, exportShape, exportStream, sendExport } from '../http/exports';
import { listCache } from '../http/response-cache';
import { draftResponse, mergeIdeas, setIdeaStatus, setTags, unmergeIdea } from './actions';
import { ideaPolicy } from './policy';
import { findIdea, getIdeaDetail, listIdeas, listVoters, similarIdeas, voterExportQuery } from './queries';
import type { VoteWriter } from './votes';

const voterExportShape = exportShape(VOTER_EXPORT_COLUMNS, {
  username: 'text',
  voted_at: 'timestamp',
  trust_level: 'number',
  language: ['text', exportRow('locale')],
  role: 'text',
  via_merge_of: 'number',
});

export function ideaRoutes(app: App, db: Db, votes: VoteWriter, categories: CategorySource) {
  const tags = ['ideas'];

  app.get(
    '/api/ideas',
    {
      config: { tokenScope: 'read:ideas', ...listCache },
      schema: {
        tags,
        summary:
          'Idea board: top, trending, hot, new or most discussed; open work by default; filter by category, status or state, tag, my votes',
        querystring: IdeaListQuery,
        response: { 200: Page(IdeaSummary), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      if (request.query.voted) requireUser(request); // "my votes" are someone's
      return listIdeas(db, request.user, request.query, categories);
    },
  );

  app.get(
    '/api/ideas/similar',
    {
      config: { tokenScope: 'read:ideas' },
      schema: {
        tags,
        summary: 'The five existing ideas most like a title being typed',
        querystring: SimilarQuery,
        response: { 200: Type.Object({ ideas: Type.Array(SimilarIdea) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({
      ideas: await similarIdeas(db, request.user, request.query.q, request.query.category, categories),
    }),
  );

  app.get(
    '/api/ideas/:id',
    {
      config: { tokenScope: 'read:ideas' },
      schema: {
        tags,
        summary: 'The idea part of a thread: status, votes, official response, timeline, merges',
        params: IdParams,
        response: { 200: IdeaDetail, ...errorResponses(400, 404) },
      },
    },
    async (request) => getIdeaDetail(db, request.user, request.params.id),
  );

  for (const [method, vote] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/ideas/:id/vote',
      {
        schema: {
          tags,
          summary: vote ? 'Vote for an idea (idempotent)' : 'Take your vote back (idempotent)',
          params: IdParams,
          response: { 200: VoteResponse, ...errorResponses(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => {
        const user = requireVoice(request);
        return votes.submit(request.params.id, user.id, vote);
      },
    );
  }

  app.get(
    '/api/ideas/:id/voters',
    {
      config: { tokenScope: 'read:exports' },
      schema: {
        tags,
        summary: 'Who voted, and when, newest first (staff and product managers)',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(Voter), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      enforce(ideaPolicy.seeVoters(requireUser(request)));
      return listVoters(db, request.params.id, request.query.limit ?? 50, request.query.cursor);
    },
  );

  app.get(
    '/api/ideas/:id/voters/export',
    {
      config: { tokenScope: 'read:exports' },
      schema: {
        tags,
        summary: 'The whole voter list as CSV, JSON Lines or JSON, streamed (staff and product managers)',
        description: `Columns: ${VOTER_EXPORT_COLUMNS.join(', ')}. Each voter once, merged duplicates' voters included.`,
        params: IdParams,
        querystring: ExportQuery,
        produces: ['text/csv', 'application/x-ndjson', 'application/json'],
        response: { 200: Type.String({ description: 'The file' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      enforce(ideaPolicy.seeVoters(requireUser(request)));
      const idea = await findIdea(db, request.params.id);
      const format = request.query.format ?? 'csv';
      const stream = exportStream(db, voterExportQuery(db, idea.id), voterExportShape, format, {
        bom: request.query.bom,
        log: request.log,
      });
      return sendExport(reply, stream, format, `idea-${idea.id}-voters`);
    },
  );

  app.put(
    '/api/ideas/:id/status',
    {
      schema: {
        tags,
        summary: 'Set the status (and the official response); the author and voters are notified',
        params: IdParams,
        body: SetStatusBody,
        response: { 200: IdeaDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(ideaPolicy.triage(user));
      const response = await draftResponse(db, request.body.response);
      await withTx(db, (tx) => setIdeaStatus(tx, user, [request.params.id], request.body.status, response));
      return getIdeaDetail(db, user, request.params.id);
    },
  );

  app.post(
    '/api/ideas/status',
    {
      schema: {
        tags,
        summary: 'Bulk triage: one status on many ideas, all or none (each change notified and audited)',
        body: BulkStatusBody,
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(ideaPolicy.triage(user));
      const response = await draftResponse(db, request.body.response);
      await withTx(db, (tx) => setIdeaStatus(tx, user, request.body.ids, request.body.status, response));
      return { updated: new Set(request.body.ids).size };
    },
  );

  app.put(
    '/api/ideas/:id/tags',
    {
      schema: {
        tags,
        summary: "Set an idea's tags (staff)",
        params: IdParams,
        body: SetTagsBody,
        response: { 200: IdeaDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(ideaPolicy.curate(user));
      await withTx(db, (tx) => setTags(tx, user, request.params.id, request.body.tags));
      return getIdeaDetail(db, user, request.params.id);
    },
  );

  app.post(
    '/api/ideas/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge this idea into another (staff): its voters move over, nobody doubled or lost',
        params: IdParams,
        body: MergeBody,
        response: { 200: IdeaDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(ideaPolicy.curate(user));
      await withTx(db, (tx) => mergeIdeas(tx, user, request.params.id, request.body.intoId));
      return getIdeaDetail(db, user, request.params.id);
    },
  );

  app.post(
    '/api/ideas/:id/unmerge',
    {
      schema: {
        tags,
        summary:
          'Undo a merge (staff), as if it had never been made; 409 unmerge_target_first while the target is merged on',
        params: IdParams,
        response: { 200: IdeaDetail, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(ideaPolicy.curate(user));
      await withTx(db, (tx) => unmergeIdea(tx, user, request.params.id));
      return getIdeaDetail(db, user, request.params.id);
    },
  );
}

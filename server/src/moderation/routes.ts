import {
  BulkReviewBody,
  BulkReviewResponse,
  FlagBody,
  FlagResponse,
  Id,
  IdParams,
  MemberStanding,
  Page,
  PageQuery,
  QueuedPost,
  ReviewActionBody,
  ReviewableDetail,
  ReviewCounts,
  ReviewOutcome,
  ReviewQueuePage,
  ReviewQueueQuery,
  Sanction,
  StaffNoteBody,
  sanctionKinds,
} from '@fanlab/shared';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { AppError, enforce, errorResponses, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { consume } from '../http/rate-limit';
import type { SiteSettingsStore } from '../settings/store';
import {
  addStaffNote,
  deleteStaffNote,
  flagPost,
  liftSanction,
  performReviewAction,
  sanctionUser,
  setClaim,
} from './actions';
import { moderationPolicy } from './policy';
import { toMemberStanding, toQueuedPost, toQueueItem, toReviewableDetail } from './present';
import { findReviewable, flagsOf, listQueue, memberStanding, ownQueuedPosts, pendingCount } from './queries';
import type { QueuePageCache } from './queue-cache';

export function moderationRoutes(app: App, db: Db, store: SiteSettingsStore, pages: QueuePageCache) {
  const tags = ['moderation'];
  const staff = (request: FastifyRequest) => {
    const user = request.user;
    enforce(moderationPolicy.review(user), { forbidden: 'Only moderators work the review queue.' });
    return requireUser(request);
  };

  app.get(
    '/api/me/queued-posts',
    {
      schema: {
        tags,
        summary: 'Your posts held for approval, newest first: what waits and what was decided',
        querystring: PageQuery,
        response: { 200: Page(QueuedPost), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const limit = request.query.limit ?? 20;
      const [beforeId] = decodeCursor(request.query.cursor, ['id']) ?? [];
      const rows = await ownQueuedPosts(db, user.id, { limit, beforeId });
      return toPage(rows, limit, toQueuedPost, (r) => [r.id]);
    },
  );

  app.post(
    '/api/posts/:id/flags',
    {
      schema: {
        tags,
        summary: 'Flag a post for moderators (once per member per post)',
        params: IdParams,
        body: FlagBody,
        response: { 201: FlagResponse, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await consume(db, `flag:user:${user.id}`, store.current.flagLimit);
      const result = await withTx(db, (tx) => flagPost(tx, user, request.params.id, request.body, store.current));
      pages.clear();
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/review',
    {
      schema: {
        tags,
        summary: 'The review queue: highest score first (staff)',
        querystring: ReviewQueueQuery,
        response: { 200: ReviewQueuePage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      staff(request);
      const {
        status = 'pending',
        type,
        category,
        program,
        reason,
        minAgeHours,
        includeDeferred,
        limit = 25,
        cursor,
      } = request.query;
      const after = decodeCursor(cursor, ['float', 'id']);
      // The same for every moderator: one read and one serialization per page (queue-cache.ts).
      const key = JSON.stringify([
        status,
        type,
        category,
        program,
        reason,
        minAgeHours,
        includeDeferred,
        limit,
        cursor,
      ]);
      const body = await pages.page(key, async () => {
        // one query: each item with its post's excerpt, per-reason summary and newest few flags
        // (GET /api/review/:id has the whole post and every flag)
        const rows = await listQueue(
          db,
          { status, type, categoryId: category, programId: program, reason, minAgeHours, includeDeferred },
          limit,
          after ? [after[0], after[1]] : undefined,
        );
        // the route's own response serializer, as if Fastify had sent the page
        return Buffer.from(reply.serialize(toPage(rows, limit, toQueueItem, (r) => [r.score, r.id])) as string);
      });
      // a Buffer with a JSON content type is sent as it is (already serialized above)
      return reply.type('application/json; charset=utf-8').send(body as unknown as ReviewQueuePage);
    },
  );

  app.get(
    '/api/review/counts',
    {
      schema: {
        tags,
        summary: 'How many items wait for a decision (staff)',
        response: { 200: ReviewCounts, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      staff(request);
      return { pending: await pendingCount(db) };
    },
  );

  app.get(
    '/api/review/:id',
    {
      schema: {
        tags,
        summary: 'One review item with its whole post and every flag (staff)',
        params: IdParams,
        response: { 200: ReviewableDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      staff(request);
      const row = await findReviewable(db, request.params.id);
      if (!row) throw notFound('The review item');
      return toReviewableDetail(row, await flagsOf(db, row.id));
    },
  );

  app.post(
    '/api/review/:id/actions',
    {
      schema: {
        tags,
        summary: 'Decide a review item: agree, disagree, ignore or defer (staff)',
        description:
          'Send the `version` you saw: if the item was decided or changed since, the answer is 409 ' +
          '`review_conflict` and nothing happens; an item another moderator claimed is 409 `review_claimed`.',
        params: IdParams,
        body: ReviewActionBody,
        response: { 200: ReviewOutcome, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = staff(request);
      const outcome = await withTx(db, (tx) =>
        performReviewAction(tx, user, request.params.id, request.body, store.current),
      );
      pages.clear();
      return outcome;
    },
  );

  app.post(
    '/api/review/bulk',
    {
      schema: {
        tags,
        summary: 'Decide up to 100 items at once (each on its own: one refused does not stop the others)',
        body: BulkReviewBody,
        response: { 200: BulkReviewResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = staff(request);
      const results: { id: number; outcome: string }[] = [];
      for (const item of request.body.items) {
        try {
          await withTx(db, (tx) =>
            performReviewAction(
              tx,
              user,
              item.id,
              { action: request.body.action, version: item.version },
              store.current,
            ),
          );
          results.push({ id: item.id, outcome: 'done' });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ id: item.id, outcome: err.code });
        }
      }
      pages.clear();
      return { results };
    },
  );

  const UserParams = Type.Object({ id: Id });

  app.get(
    '/api/moderation/users/:id',
    {
      schema: {
        tags,
        summary: "A member's standing: sanctions and their reasons, flag record, staff notes (staff)",
        params: UserParams,
        response: { 200: MemberStanding, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = staff(request);
      const standing = await memberStanding(db, request.params.id);
      if (!standing) throw notFound('The user');
      return toMemberStanding(standing, user);
    },
  );

  app.put(
    '/api/moderation/users/:id/sanction',
    {
      schema: {
        tags,
        summary: 'Silence or suspend a member for some days, with the reason they are shown (staff; never staff)',
        params: UserParams,
        body: Sanction,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      await withTx(db, (tx) => sanctionUser(tx, user, request.params.id, request.body, null));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/moderation/users/:id/sanction/:kind',
    {
      schema: {
        tags,
        summary: 'Lift a silence or suspension before it ends (staff)',
        params: Type.Object({ id: Id, kind: Type.Union(sanctionKinds.map((k) => Type.Literal(k))) }),
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      await withTx(db, (tx) => liftSanction(tx, user, request.params.id, request.params.kind));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/moderation/users/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a staff note about a member (staff only ever see them)',
        params: UserParams,
        body: StaffNoteBody,
        response: { 201: Type.Object({ id: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      const id = await withTx(db, (tx) => addStaffNote(tx, user, request.params.id, request.body.body));
      return reply.code(201).send({ id });
    },
  );

  app.delete(
    '/api/moderation/notes/:id',
    {
      schema: {
        tags,
        summary: 'Delete a staff note (its author or an admin)',
        params: IdParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = staff(request);
      await withTx(db, (tx) => deleteStaffNote(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  for (const [method, claim] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/review/:id/claim',
      schema: {
        tags,
        summary: claim ? 'Claim an item: others see you are working on it (staff)' : 'Let a claimed item go (staff)',
        params: IdParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      handler: async (request, reply) => {
        const user = staff(request);
        await withTx(db, (tx) => setClaim(tx, user, (request.params as { id: number }).id, claim, store.current));
        pages.clear();
        return reply.code(204).send(null);
      },
    });
  }
}

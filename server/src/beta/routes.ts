import {
  BETA_CSV_COLUMNS,
  BetaApplication,
  BetaApplicationListQuery,
  BetaApplicationPage,
  BetaApplyBody,
  BetaApplyResponse,
  BetaDecisionBody,
  BetaProgram,
  BetaProgramList,
  BetaProgramListQuery,
  BetaSlugParams,
  CreateBetaProgramBody,
  IdParams,
  MyBetaApplication,
  UpdateBetaProgramBody,
} from '@fanlab/shared';
import { Type } from 'typebox';
import { authorize, requireUser, requireVoice } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { errorResponses } from '../http/errors';
import { exportRow, exportShape, exportStream, sendExport } from '../http/exports';
import { withdrawApplication } from './actions/applications';
import { decideApplication } from './actions/decisions';
import { createProgram, draftProgram, updateProgram } from './actions/programs';
import {
  getApplication,
  getProgram,
  listApplications,
  listPrograms,
  myApplications,
  myApplicationTo,
  programForManager,
  testerExportQuery,
} from './queries';
import type { ApplicationWriter } from './writer';

/** The testers export's columns (BETA_CSV_COLUMNS) from an application row. */
const testerExportShape = exportShape(BETA_CSV_COLUMNS, {
  tester_number: 'number',
  username: 'text',
  device: ['text', exportRow('device_model')],
  region: 'text',
  quiz_score: 'number',
  status: 'text',
  applied_at: 'timestamp',
  decided_at: 'timestamp',
  feedback_count: 'number',
});

export function betaRoutes(app: App, db: Db, applications: ApplicationWriter) {
  const tags = ['beta'];

  app.get(
    '/api/beta/programs',
    {
      schema: {
        tags,
        summary: 'Beta programs, newest first (drafts for their managers; archived when asked for)',
        querystring: BetaProgramListQuery,
        response: { 200: BetaProgramList, ...errorResponses(400) },
      },
    },
    async (request) => listPrograms(db, request.user, request.query),
  );

  app.post(
    '/api/beta/programs',
    {
      schema: {
        tags,
        summary: 'Create a beta program (a draft): product managers and admins',
        body: CreateBetaProgramBody,
        response: { 201: BetaProgram, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = authorize(request, 'manageBetaPrograms');
      const draft = await draftProgram(db, request.body.description);
      const id = await withTx(db, (tx) => createProgram(tx, user, request.body, draft));
      return reply.code(201).send(await getProgram(db, user, { id }));
    },
  );

  app.get(
    '/api/beta/programs/by-slug/:slug',
    {
      schema: {
        tags,
        summary: 'One beta program, by slug',
        params: BetaSlugParams,
        response: { 200: BetaProgram, ...errorResponses(400, 404) },
      },
    },
    async (request) => getProgram(db, request.user, { slug: request.params.slug }),
  );

  app.get(
    '/api/beta/programs/:id',
    {
      schema: {
        tags,
        summary: "One beta program: requirements, seats left, the reader's application",
        params: IdParams,
        response: { 200: BetaProgram, ...errorResponses(400, 404) },
      },
    },
    async (request) => getProgram(db, request.user, { id: request.params.id }),
  );

  app.patch(
    '/api/beta/programs/:id',
    {
      schema: {
        tags,
        summary: 'Change a beta program (fields and state); seats never below the testers accepted',
        params: IdParams,
        body: UpdateBetaProgramBody,
        response: { 200: BetaProgram, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = authorize(request, 'manageBetaPrograms');
      const draft = await draftProgram(db, request.body.description);
      await withTx(db, (tx) => updateProgram(tx, user, request.params.id, request.body, draft));
      return getProgram(db, user, { id: request.params.id });
    },
  );

  app.post(
    '/api/beta/programs/:id/applications',
    {
      schema: {
        tags,
        summary:
          'Apply: accepted (tester number), waitlisted (position), pending review, or 422 naming each failed rule',
        params: IdParams,
        body: BetaApplyBody,
        response: { 201: BetaApplyResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = requireVoice(request);
      // the application writer commits applications in batches (group commit: writer.ts)
      const { outcome } = await applications.submit(user, request.params.id, request.body);
      const application = (await myApplicationTo(db, user, request.params.id)) as MyBetaApplication;
      return reply.code(201).send({ outcome, application });
    },
  );

  app.delete(
    '/api/beta/programs/:id/application',
    {
      schema: {
        tags,
        summary: 'Withdraw your application; an accepted seat goes to the first waitlisted applicant it fits',
        params: IdParams,
        response: { 200: MyBetaApplication, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await withTx(db, (tx) => withdrawApplication(tx, user, request.params.id));
      return (await myApplicationTo(db, user, request.params.id)) as MyBetaApplication;
    },
  );

  app.get(
    '/api/beta/me/applications',
    {
      schema: {
        tags,
        summary: 'Your beta applications, newest first, with state, tester number and waitlist position',
        response: { 200: Type.Object({ items: Type.Array(MyBetaApplication) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await myApplications(db, requireUser(request)) }),
  );

  app.get(
    '/api/beta/programs/:id/applications',
    {
      schema: {
        tags,
        summary:
          'Applications with tester activity (managers): filter by status, device, region, quiz score and date; keyset-paged',
        params: IdParams,
        querystring: BetaApplicationListQuery,
        response: { 200: BetaApplicationPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      authorize(request, 'manageBetaPrograms');
      return listApplications(db, request.params.id, request.query);
    },
  );

  app.post(
    '/api/beta/applications/:id/decision',
    {
      schema: {
        tags,
        summary: 'Accept, reject, waitlist or remove an applicant, with a reason (managers)',
        params: IdParams,
        body: BetaDecisionBody,
        response: { 200: BetaApplication, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = authorize(request, 'manageBetaPrograms');
      await withTx(db, (tx) =>
        decideApplication(tx, user, request.params.id, request.body.action, request.body.reason),
      );
      return getApplication(db, request.params.id);
    },
  );

  app.get(
    '/api/beta/programs/:id/testers.csv',
    {
      config: { tokenScope: 'read:exports' },
      schema: {
        tags,
        summary: 'The testers as CSV (streamed, formula-safe), by tester number (managers)',
        params: IdParams,
        querystring: Type.Object({ bom: Type.Optional(Type.Boolean()) }),
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      authorize(request, 'manageBetaPrograms');
      const program = await programForManager(db, request.params.id);
      const stream = exportStream(
        db,
        testerExportQuery(db, program.id, program.feedback_category_id),
        testerExportShape,
        'csv',
        { bom: request.query.bom, log: request.log },
      );
      return sendExport(reply, stream, 'csv', `${program.slug}-testers`);
    },
  );
}

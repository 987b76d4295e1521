import {
  CalendarQuery,
  CreateReleaseBody,
  IdParams,
  Page,
  Release,
  ReleaseCalendar,
  ReleaseListQuery,
  UpdateReleaseBody,
} from '@fanlab/shared';
import { Type } from 'typebox';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { enforce, errorResponses } from '../http/errors';
import { createRelease, deleteRelease, draftNotes, publishRelease, updateRelease } from './actions';
import { releasePolicy } from './policy';
import { releasesAtom } from './present';
import { feedReleases, getRelease, listReleases, releaseCalendar } from './queries';

export function releaseRoutes(app: App, db: Db, publicUrl: string) {
  const tags = ['releases'];
  const base = publicUrl.replace(/\/+$/, '');

  app.get(
    '/api/releases',
    {
      schema: {
        tags,
        summary:
          'The changelog: published releases newest first, each with its ideas and their votes (drafts: ?state=draft, for those who write releases)',
        querystring: ReleaseListQuery,
        response: { 200: Page(Release), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listReleases(db, request.user, request.query),
  );

  app.get(
    '/api/releases/calendar',
    {
      schema: {
        tags,
        summary: 'A month of releases by day, Fridays marked (the weekly beta ships on Fridays)',
        querystring: CalendarQuery,
        response: { 200: ReleaseCalendar, ...errorResponses(400) },
      },
    },
    async (request) => releaseCalendar(db, request.user, request.query.month),
  );

  app.get(
    '/api/releases/:id',
    {
      schema: {
        tags,
        summary: 'One release (a draft only for those who write releases)',
        params: IdParams,
        response: { 200: Release, ...errorResponses(400, 404) },
      },
    },
    async (request) => getRelease(db, request.user, request.params.id),
  );

  app.post(
    '/api/releases',
    {
      schema: {
        tags,
        summary:
          'A draft release (product managers and admins): version unique per channel, notes in Markdown, linked ideas',
        body: CreateReleaseBody,
        response: { 201: Release, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      enforce(releasePolicy.manage(user));
      const notes = await draftNotes(db, request.body.notes);
      const id = await withTx(db, (tx) => createRelease(tx, user, request.body, notes));
      return reply.code(201).send(await getRelease(db, user, id));
    },
  );

  app.patch(
    '/api/releases/:id',
    {
      schema: {
        tags,
        summary:
          'Edit a release; once published only the date and notes change and ideas may only be added (they move on and their voters are told)',
        params: IdParams,
        body: UpdateReleaseBody,
        response: { 200: Release, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(releasePolicy.manage(user));
      const notes = await draftNotes(db, request.body.notes);
      await withTx(db, (tx) => updateRelease(tx, user, request.params.id, request.body, notes));
      return getRelease(db, user, request.params.id);
    },
  );

  app.post(
    '/api/releases/:id/publish',
    {
      schema: {
        tags,
        summary:
          'Publish a draft: its ideas move to in beta (beta) or shipped (stable), and every voter and author is notified (in the background, once per release)',
        params: IdParams,
        response: { 200: Release, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(releasePolicy.manage(user));
      await withTx(db, (tx) => publishRelease(tx, user, request.params.id));
      return getRelease(db, user, request.params.id);
    },
  );

  app.delete(
    '/api/releases/:id',
    {
      schema: {
        tags,
        summary: 'Delete a draft release (a published one stays: 409 release_published)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      enforce(releasePolicy.manage(user));
      await withTx(db, (tx) => deleteRelease(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/releases.atom',
    {
      schema: {
        tags,
        summary: 'The newest 30 published releases as an Atom 1.0 feed',
        produces: ['application/atom+xml'],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      const releases = await feedReleases(db);
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(releasesAtom(releases, base));
    },
  );
}

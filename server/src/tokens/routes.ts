import { CreatedToken, CreateTokenBody, IdParams, TokenList } from '@fanlab/shared';
import { requireUser } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { enforce, errorResponses } from '../http/errors';
import { createToken, revokeToken } from './actions';
import { tokenPolicy } from './policy';
import { listTokens } from './queries';

const onlyStaff = { forbidden: 'Only staff and product managers hold API tokens.' };

export function tokenRoutes(app: App, db: Db) {
  const tags = ['tokens'];

  app.get(
    '/api/me/tokens',
    {
      schema: {
        tags,
        summary: 'Your personal API tokens (never their secrets), newest first',
        response: { 200: TokenList, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      enforce(tokenPolicy.hold(user), onlyStaff);
      return listTokens(db, user.id);
    },
  );

  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token with scopes and an expiry; its secret is shown this once (audited)',
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      enforce(tokenPolicy.hold(user), onlyStaff);
      const created = await withTx(db, (tx) => createToken(tx, user, request.body));
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/api/me/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens at once (idempotent; audited)',
        params: IdParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      enforce(tokenPolicy.hold(user), onlyStaff);
      await withTx(db, (tx) => revokeToken(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );
}

import { ErrorCodes, type TokenScope } from '@fanlab/shared';
import type { FastifyRequest } from 'fastify';
import type { User } from 'lucia';
import { isSuspended } from '../auth/policy';
import type { CachedToken, SessionCache } from '../auth/session-cache';
import type { Db } from '../db/connect';
import type { App } from '../http/app-type';
import { AppError } from '../http/errors';
import { tokenPolicy } from './policy';
import { findToken } from './queries';
import { bearerSecret, secretHash } from './secrets';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope an API token needs to call this route. Only GET routes may name one; a route
     * that names none refuses tokens (403 token_scope): writes, staff screens, the live channel.
     */
    tokenScope?: TokenScope;
  }
  interface FastifyRequest {
    /** The API token this request was authenticated with (null: a session cookie, or anonymous). */
    apiToken: { id: number; scopes: TokenScope[] } | null;
  }
}

/** last_used_at is written at most this often per token, never per request. */
const LAST_USED_EVERY_MS = 60_000;

const invalid = (message: string) =>
  new AppError(401, ErrorCodes.invalidToken, message, undefined, {
    'www-authenticate': 'Bearer error="invalid_token"',
  });

/**
 * Authenticates a request by its `Authorization: Bearer` token alone (a cookie beside it is never
 * read), then checks the route takes tokens of its scopes. 401 invalid_token for a malformed,
 * unknown, revoked or expired token or a suspended owner; 403 when the owner may no longer hold
 * tokens or the route is outside the token's scopes. A usable token and its owner are kept in
 * this process's cache (auth/session-cache.ts), dropped when either changes.
 */
export async function authenticateBearer(
  db: Db,
  request: FastifyRequest,
  header: string,
  cache: SessionCache,
): Promise<void> {
  const secret = bearerSecret(header);
  if (!secret) throw invalid('The Authorization header must be "Bearer <token>" with a Fanlab API token.');
  const hash = secretHash(secret);
  let found: { token: CachedToken; user: User } | undefined = cache.lookupToken(hash);
  if (!found) {
    const read = cache.begin();
    found = await findToken(db, hash);
    if (!found) throw invalid('This API token does not exist.');
    // kept whatever it is: the checks below refuse a revoked or expired one from memory alike
    cache.storeToken(read, hash, found.token, found.user);
  }
  const { token, user } = found;
  if (token.revokedAt) throw invalid('This API token was revoked.');
  if (token.expiresAt.getTime() <= Date.now()) throw invalid('This API token has expired.');
  if (isSuspended(user)) throw invalid('The owner of this API token is suspended.');
  if (!tokenPolicy.hold(user).ok) {
    throw new AppError(403, ErrorCodes.forbidden, "This token's owner may no longer use API tokens.");
  }
  const scopes = token.scopes as TokenScope[];
  // unknown routes answer 404 as for anyone
  if (request.routeOptions.url !== undefined) {
    const needed = request.routeOptions.config.tokenScope;
    const reads = request.method === 'GET' || request.method === 'HEAD';
    if (!needed || !reads || !scopes.includes(needed)) {
      throw new AppError(
        403,
        ErrorCodes.tokenScope,
        needed && reads
          ? `This route needs an API token with the ${needed} scope; this one has ${scopes.join(', ')}.`
          : 'This route does not take API tokens: sign in instead.',
        { needed: needed ?? null, scopes },
      );
    }
  }
  request.user = user;
  request.apiToken = { id: token.id, scopes };
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    // once per process however many requests are in flight (the cached token shows the new time)
    const now = new Date();
    token.lastUsedAt = now;
    void db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', token.id)
      .execute()
      .catch((err) => request.log.warn({ err }, 'could not record a token use'));
  }
}

/**
 * Routes that take tokens say so in the OpenAPI description (and list the bearer scheme); a
 * route naming a scope must be a read (checked as routes register, so a mistake fails at start).
 */
export function describeTokenRoutes(app: App): void {
  app.addHook('onRoute', (route) => {
    const scope = route.config?.tokenScope;
    if (!scope) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
      throw new Error(`${route.url}: only GET routes may take API tokens (tokenScope ${scope})`);
    }
    if (!route.schema) return;
    route.schema.security = [{ session: [] }, { token: [] }];
    const said = (route.schema as { description?: string }).description;
    (route.schema as { description?: string }).description =
      `${said ? `${said} ` : ''}Also takes an API token with the \`${scope}\` scope.`;
  });
}

import { ErrorCodes } from '@fanlab/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function assertOwnOrigin(request: FastifyRequest, allowedOrigins: readonly string[]) {
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.host}`;
  if (origin && (origin === own || allowedOrigins.includes(origin))) return;
  throw new AppError(
    403,
    ErrorCodes.badOrigin,
    origin ? `Requests from ${origin} may not change anything here.` : 'A same-origin Origin header is required.',
  );
}

/**
 * CSRF defence: a state-changing request must carry an `Origin` header naming this site (or one
 * of ALLOWED_ORIGINS). Browsers always send Origin on POST/PUT/PATCH/DELETE, so a forged form or
 * fetch from another site is refused. The mere presence of an Authorization header exempts
 * nothing: the auth hook, which runs first, refuses any token it cannot verify.
 */
export function checkWriteOrigin(request: FastifyRequest, allowedOrigins: readonly string[]) {
  if (SAFE_METHODS.has(request.method)) return;
  assertOwnOrigin(request, allowedOrigins);
}

/** Websocket upgrades carry cookies too: only this site's pages may open one. */
export const checkSocketOrigin = assertOwnOrigin;

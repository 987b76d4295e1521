import { type Decision, type ErrorCode, ErrorCodes, ErrorResponse } from '@fanlab/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { App } from './app-type';

/** An error the client caused or may act on; becomes `{ error: { code, message, details? } }`. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthenticated = () => new AppError(401, ErrorCodes.unauthenticated, 'Sign in first.');
export const forbidden = (message = 'You may not do this.') => new AppError(403, ErrorCodes.forbidden, message);
export const notFound = (what = 'The resource') => new AppError(404, ErrorCodes.notFound, `${what} does not exist.`);

/** The status and default message of each reason a policy refuses with (others: 403). */
const refusals: Partial<Record<ErrorCode, [status: number, message: string]>> = {
  [ErrorCodes.unauthenticated]: [401, 'Sign in first.'],
  [ErrorCodes.forbidden]: [403, 'You may not do this.'],
  [ErrorCodes.silenced]: [403, 'You are silenced: you may read, but not post, edit, like or vote.'],
  [ErrorCodes.notFound]: [404, 'The resource does not exist.'],
  [ErrorCodes.ownPost]: [403, 'You cannot act on your own post.'],
  [ErrorCodes.threadLocked]: [409, 'This thread is locked.'],
  [ErrorCodes.hasReplies]: [409, 'Others have replied.'],
  [ErrorCodes.ownRole]: [409, 'You cannot change your own role.'],
  [ErrorCodes.alreadyFlagged]: [409, 'You flagged this post already.'],
  [ErrorCodes.reviewConflict]: [409, 'Someone decided or changed this item since you loaded it.'],
  [ErrorCodes.reviewClaimed]: [409, 'Another moderator is working on this item.'],
  [ErrorCodes.newMemberLimit]: [403, 'New members cannot do this yet.'],
  [ErrorCodes.betaInvalidTransition]: [409, 'The application or program cannot change that way from where it is.'],
};

/**
 * Throws the refusal of a policy decision (nothing when it allows): the reason is the error code,
 * `messages` words it for the caller (else a default per reason).
 */
export function enforce(decision: Decision, messages: Partial<Record<ErrorCode, string>> = {}): void {
  if (decision.ok) return;
  const [status, message] = refusals[decision.reason] ?? [403, 'You may not do this.'];
  throw new AppError(status, decision.reason, messages[decision.reason] ?? message);
}

/** Seconds a client should wait before retrying while the database is unreachable. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
export const databaseUnavailable = () =>
  new AppError(
    503,
    ErrorCodes.unavailable,
    'The database is not reachable right now. Try again in a few seconds.',
    undefined,
    { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  );

/** SQLSTATE deadlock_detected and serialization_failure. */
const CONFLICT_CODES = new Set(['40P01', '40001']);
const conflictRetry = () =>
  new AppError(
    503,
    ErrorCodes.unavailable,
    'Your change met another one at the same moment and was not saved. Send it again.',
    undefined,
    { 'retry-after': '1' },
  );

/** The standard error answers, for route response schemas (and the OpenAPI description). */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}

const fastifyErrorCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, ErrorCodes.invalidJson, 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, ErrorCodes.invalidJson, 'The request body is empty but JSON was declared.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, ErrorCodes.payloadTooLarge, 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, ErrorCodes.unsupportedMediaType, 'Send JSON (Content-Type: application/json).'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, ErrorCodes.validationFailed, 'Content-Length does not match the body.'],
};

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors` option):
 * a path that is not valid percent-encoded UTF-8, or a path parameter over maxParamLength.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return reply.code(414).send({ error: { code: ErrorCodes.uriTooLong, message: 'A part of the path is too long.' } });
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return reply
      .code(400)
      .send({ error: { code: ErrorCodes.invalidUrl, message: 'The path is not valid percent-encoded UTF-8.' } });
  }
  return reply.code(500).send({ error: { code: ErrorCodes.internal, message: 'Something went wrong on our side.' } });
}

function sendAppError(reply: FastifyReply, err: AppError) {
  return reply
    .code(err.statusCode)
    .headers(err.headers)
    .send({ error: { code: err.code, message: err.message, details: err.details } });
}

export function registerErrorHandling(app: App) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    // The database is down, restarting or unreachable (from any route or hook): 503, not 500.
    if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
      request.log.warn({ err: { message: err.message, code: err.code } }, 'database unavailable');
      return sendAppError(reply, databaseUnavailable());
    }
    if (err instanceof AppError) return sendAppError(reply, err);
    // PostgreSQL gave up a transaction that met a conflicting one (deadlock, serialization):
    // nothing of it was written, and the same request succeeds when sent again.
    if (CONFLICT_CODES.has(String(err.code))) {
      request.log.warn({ err: { message: err.message, code: err.code } }, 'transaction conflict: asked to retry');
      return sendAppError(reply, conflictRetry());
    }
    if (err.validation) {
      const details = err.validation.map((v) => ({
        field: `${err.validationContext ?? ''}${v.instancePath}`.replace(/\//g, '.'),
        message: v.message ?? 'is invalid',
      }));
      const first = details[0];
      const message = first ? `${first.field || 'request'} ${first.message}` : 'The request is invalid.';
      return reply.code(400).send({ error: { code: ErrorCodes.validationFailed, message, details } });
    }
    const known = err.code ? fastifyErrorCodes[err.code] : undefined;
    if (known) {
      return reply.code(known[0]).send({ error: { code: known[1], message: known[2] } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'bad_request', message: err.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: ErrorCodes.internal, message: 'Something went wrong on our side.' } });
  });
}

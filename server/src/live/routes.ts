import { ErrorCodes } from '@fanlab/shared';
import { sessionKey } from '../auth/sessions';
import type { App } from '../http/app-type';
import { AppError } from '../http/errors';
import { checkSocketOrigin } from '../http/origin';
import type { LiveHub } from './hub';

/**
 * GET /api/live: the websocket. Authenticated by the session cookie (read by the auth hook
 * before the upgrade); the Origin must be this site's, so another site cannot open a socket
 * with a visitor's cookie.
 */
export function liveRoutes(app: App, hub: LiveHub, allowedOrigins: readonly string[]) {
  app.get(
    '/api/live',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        checkSocketOrigin(request, allowedOrigins);
        const refused = hub.refuseSocket(request.ip, request.user);
        if (refused) throw new AppError(429, ErrorCodes.rateLimited, refused, undefined, { 'retry-after': '30' });
      },
    },
    (socket, request) => {
      hub.accept(socket, request.user, request.session ? sessionKey(request.session.id) : null, request.ip);
    },
  );
}

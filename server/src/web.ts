import { existsSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes } from '@fanlab/shared';
import fastifyStatic from '@fastify/static';
import type { App } from './http/app-type';

/**
 * Serves the built client (web/dist) and answers unknown non-API paths with index.html so
 * client-side routes survive a reload. Unknown /api paths get a JSON 404.
 */
export async function registerWeb(app: App, webDist: string) {
  const built = existsSync(path.join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      index: 'index.html',
      setHeaders(reply, file) {
        // Vite fingerprints everything under assets/; index.html must always be revalidated.
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (url.startsWith('/api/') || url === '/api' || request.method !== 'GET') {
      return reply
        .code(404)
        .send({ error: { code: ErrorCodes.notFound, message: `No route ${request.method} ${url}.` } });
    }
    if (!built) {
      return reply
        .code(404)
        .send({ error: { code: ErrorCodes.notFound, message: 'The web client is not built: run npm run build.' } });
    }
    return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
  });
}

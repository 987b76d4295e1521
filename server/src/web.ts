import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes } from '@fanlab/shared';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from './http/app-type';

/**
 * Serves the built client (web/dist) and answers unknown non-API paths with index.html so
 * client-side routes survive a reload. Unknown /api paths get a JSON 404. Files go brotli- or
 * gzip-compressed as the build wrote them, to clients that accept it.
 */
export async function registerWeb(app: App, webDist: string) {
  const built = existsSync(path.join(webDist, 'index.html'));
  const sendShell = async (reply: FastifyReply, url: string) =>
    reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(withPreloads(await readShell(path.join(webDist, 'index.html')), url));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      // the shell (index.html) for / and client routes is sendShell (above): read fresh, retried mid-swap
      index: false,
      // the .br and .gz copies the build wrote (web/scripts/precompress.mjs), to clients that take them
      preCompressed: true,
      setHeaders(reply, file) {
        // Vite fingerprints everything under assets/; index.html must always be revalidated.
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
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
    return sendShell(reply, url);
  });
  if (built) app.get('/', { schema: { hide: true } }, (_request, reply) => sendShell(reply, '/'));
}

/**
 * The API answers a page asks for as soon as it starts, by the page's path: every page asks who is
 * signed in, the home page for the categories. Preloaded from the shell, they download beside the
 * scripts instead of after them (on a slow phone connection, a round trip and the scripts' run
 * earlier). The client's fetch must ask exactly so (same URL, same-origin credentials: `as=fetch
 * crossorigin`).
 */
export function shellPreloads(url: string): string[] {
  return url === '/' ? ['/api/me', '/api/categories'] : ['/api/me'];
}

function withPreloads(shell: Buffer, url: string): string {
  const links = shellPreloads(url)
    .map((href) => `<link rel="preload" href="${href}" as="fetch" crossorigin>`)
    .join('');
  return shell.toString('utf8').replace('</head>', `${links}</head>`);
}

const SHELL_RETRIES = 5;

/**
 * The page every client route answers with. Read per request (the OS keeps it cached; it is
 * under 1 KB) so a new build is served at once; a build swapping web/dist in leaves it missing
 * for microseconds (scripts/lib/swap-build.mjs), so a missing file is tried again a few times
 * before it counts as an error.
 */
async function readShell(file: string): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= SHELL_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

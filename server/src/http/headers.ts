import fastifyHelmet from '@fastify/helmet';
import type { App } from './app-type';

/**
 * The app's Content Security Policy. Only our own bundled scripts run (no inline script, no
 * eval); styles come from our own stylesheet (rendered Markdown carries classes, never style
 * attributes); images from us only (remote images of posts are served through /api/images, so
 * readers' browsers never contact their hosts); live updates over the same origin's
 * websocket; no plugins, no framing by any site (one-click actions cannot be clickjacked).
 */
export const APP_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'media-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
} as const;

/** Swagger UI (/api/docs) styles its elements inline and shows data: images. */
const DOCS_CSP = { ...APP_CSP, 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] };

const serialize = (policy: Record<string, readonly string[]>, production: boolean) =>
  [
    ...Object.entries(policy).map(([name, values]) => `${name} ${values.join(' ')}`),
    ...(production ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

/**
 * Security headers on every answer (helmet): the CSP above, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, a same-origin referrer policy, cross-origin isolation of
 * our resources, and HSTS in production (served over HTTPS).
 */
export async function registerSecurityHeaders(app: App, options: { production: boolean }) {
  const appPolicy = serialize(APP_CSP, options.production);
  const docsPolicy = serialize(DOCS_CSP, options.production);
  await app.register(fastifyHelmet, {
    // set below, per path (helmet's own CSP would be one policy for every path)
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', async (request, reply) => {
    const docs = request.url === '/api/docs' || request.url.startsWith('/api/docs/');
    reply.header('content-security-policy', docs ? docsPolicy : appPolicy);
  });
}

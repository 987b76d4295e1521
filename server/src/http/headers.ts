import helmet, { type HelmetOptions } from 'helmet';
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
 * The headers helmet sets with these options, asked of helmet once: they are the same for every
 * answer, so running its dozen middlewares per request (2% of a cached page's cost) buys nothing.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
    getHeader: () => undefined,
  };
  let called = false;
  helmet(options)({} as never, response as never, () => {
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Security headers on every answer (helmet's): the CSP above, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, a same-origin referrer policy, cross-origin isolation of
 * our resources, and HSTS in production (served over HTTPS).
 */
export async function registerSecurityHeaders(app: App, options: { production: boolean }) {
  const common = helmetHeaders({
    // set below, per path (helmet's own CSP would be one policy for every path)
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
  const appHeaders = { ...common, 'content-security-policy': serialize(APP_CSP, options.production) };
  const docsHeaders = { ...common, 'content-security-policy': serialize(DOCS_CSP, options.production) };
  app.addHook('onRequest', async (request, reply) => {
    const docs = request.url === '/api/docs' || request.url.startsWith('/api/docs/');
    reply.headers(docs ? docsHeaders : appHeaders);
  });
}

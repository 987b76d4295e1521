import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { APP_CSP } from './headers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('API conventions', () => {
  it('answers health and readiness', async () => {
    const c = new Client(t.app);
    expect((await c.get('/api/health')).body).toEqual({ status: 'ok' });
    expect((await c.get('/api/ready')).body).toEqual({ status: 'ok' });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await new Client(t.app).get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const post = await new Client(t.app).post('/api/does-not-exist', {});
    expect(post.status).toBe(404);
  });

  it('echoes a request id or makes one', async () => {
    const res = await new Client(t.app).request('GET', '/api/health', undefined, { 'x-request-id': 'abc-123' });
    expect(res.headers['x-request-id']).toBe('abc-123');
    const made = await new Client(t.app).request('GET', '/api/health', undefined, { 'x-request-id': 'bad id!' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('marks API answers uncacheable', async () => {
    expect((await new Client(t.app).get('/api/me')).headers['cache-control']).toBe('no-store');
  });

  it('publishes an OpenAPI description of every route and a docs page', async () => {
    const c = new Client(t.app);
    const spec = await c.get('/api/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/sign-up', '/api/auth/sign-in', '/api/me', '/api/admin/users', '/api/ready']) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    const signUp = spec.body.paths['/api/auth/sign-up'].post;
    expect(signUp.requestBody.content['application/json'].schema.properties).toHaveProperty('username');
    expect(signUp.responses).toHaveProperty('409');
    const docs = await c.get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('<html');
  });

  it('rejects a query parameter of the wrong type', async () => {
    const res = await new Client(t.app).get('/api/admin/users?limit=abc');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('sends security headers on API answers, pages and errors; HSTS only in production', async () => {
    const c = new Client(t.app);
    for (const url of ['/api/me', '/api/does-not-exist', '/', '/t/1']) {
      const res = await c.get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      // remote post images come through /api/images: no other image source
      expect(csp).toContain("img-src 'self';");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    expect(APP_CSP['style-src']).toEqual(["'self'"]);
    // Swagger UI styles inline: only its pages get that allowance
    expect(String((await c.get('/api/docs/')).headers['content-security-policy'])).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
    const production = await startTestApp({ production: true });
    try {
      const res = await new Client(production.app).get('/api/me');
      expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await production.close();
    }
  });
});

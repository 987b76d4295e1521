import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { REPO_ROOT } from '../config';
import { COMPRESS_THRESHOLD_BYTES } from './compression';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const decoders: Record<string, (b: Buffer) => Buffer> = {
  br: (b) => zlib.brotliDecompressSync(b),
  gzip: (b) => zlib.gunzipSync(b),
};
const decoded = (res: { headers: Record<string, unknown>; rawPayload: Buffer }) => {
  const encoding = res.headers['content-encoding'] as string | undefined;
  return encoding ? (decoders[encoding] as (b: Buffer) => Buffer)(res.rawPayload) : res.rawPayload;
};

describe('compression', () => {
  it('sends the built scripts and styles as the build compressed them, to clients that take it', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    const assets = [...page.body.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const url of assets) {
      const file = readFileSync(path.join(REPO_ROOT, 'web', 'dist', url));
      if (file.length < COMPRESS_THRESHOLD_BYTES) continue;
      for (const [accept, expected] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['identity', undefined],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': accept } });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-encoding'], `${url} for ${accept}`).toBe(expected);
        expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
        expect(res.headers['cache-control']).toContain('immutable');
        expect(res.headers['content-type']).toMatch(url.endsWith('.js') ? /javascript/ : /css/);
        expect(decoded(res).equals(file), `${url} for ${accept}`).toBe(true);
        if (expected) expect(res.rawPayload.length).toBeLessThan(file.length > 10_000 ? file.length / 2 : file.length);
      }
    }
  });

  it('compresses API answers above the threshold, and leaves small ones alone', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);
    for (const [accept, expected] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/openapi.json',
        headers: { 'accept-encoding': accept },
      });
      expect(res.headers['content-encoding']).toBe(expected);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(JSON.parse(decoded(res).toString('utf8'))).toEqual(plain.json());
    }
    const small = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ status: 'ok' });
  });

  it('does not inflate compressed request bodies: they are refused as unreadable, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: zlib.gzipSync(JSON.stringify({ login: 'nobody', password: 'nothing at all' })),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).toEqual(expect.any(String));
  });
});

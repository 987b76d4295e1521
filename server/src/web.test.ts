import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './config';
import type { App } from './http/app-type';
import { registerWeb } from './web';

let dist: string;
let app: App;
beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'fanlab-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(path.join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  app = Fastify() as unknown as App;
  await registerWeb(app, dist);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('serving the built client', () => {
  it('serves index.html at / and for client routes, always revalidated', async () => {
    for (const url of ['/', '/account', '/sign-in?next=%2Faccount', '/u/somebody']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves fingerprinted assets as immutable', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers unknown API paths and non-GET requests with JSON 404s, not the page', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing'],
      ['POST', '/account'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });
});

describe('building the client while a server serves it', () => {
  it('never leaves a running server without its pages (npm test or npm start beside a running one)', async () => {
    const webDist = path.join(REPO_ROOT, 'web', 'dist');
    const served = Fastify() as unknown as App;
    await registerWeb(served, webDist);
    await served.ready();
    try {
      const page = await served.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1] ?? '/assets/missing.js';
      const build = spawn('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'ignore' });
      const built = new Promise<number | null>((resolve) => build.once('exit', resolve));
      let done = false;
      void built.then(() => {
        done = true;
      });
      const failures: string[] = [];
      let requests = 0;
      while (!done) {
        for (const url of ['/', asset, '/t/1']) {
          const res = await served.inject({ method: 'GET', url });
          requests += 1;
          if (res.statusCode !== 200) failures.push(`${url} ${res.statusCode}`);
        }
      }
      expect(await built).toBe(0);
      expect(requests).toBeGreaterThan(50);
      expect(failures.slice(0, 5)).toEqual([]);
    } finally {
      await served.close();
    }
  }, 60_000);
});

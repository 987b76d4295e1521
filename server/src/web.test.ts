import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
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
  writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><html><head></head><body><div id="root"></div></body></html>',
  );
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

  it('asks the browser for the API answers a page needs first, in the shell (the home page: categories too)', async () => {
    const preloads = async (url: string) =>
      [
        ...(await app.inject({ method: 'GET', url })).body.matchAll(
          /<link rel="preload" href="([^"]+)" as="fetch" crossorigin>/g,
        ),
      ].map((m) => m[1]);
    expect(await preloads('/')).toEqual(['/api/me', '/api/categories']);
    expect(await preloads('/t/1')).toEqual(['/api/me']);
    expect(await preloads('/account?x=1')).toEqual(['/api/me']);
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

describe('the built client’s first load', () => {
  const dist = path.join(REPO_ROOT, 'web', 'dist');
  const firstLoad = () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  };
  const gzipped = (url: string) => gzipSync(readFileSync(path.join(dist, url)), { level: 9 }).length;

  // 183,035 bytes when set; 185,851 on 2026-12-04 after the composer drafts, toolbar, mentions,
  // bookmarks and reading aids (their English strings and styles load with the shell; the footer's
  // theme switch and shortcuts were moved to a chunk of their own to stay near it). A budget with
  // ~1% headroom: a page's chunk pulled into the first load (tens of KB) still fails it.
  it('carries the shell and the home page, not every page: under 188 KB gzip, our own code under 45 KB', () => {
    const files = firstLoad();
    const total = files.reduce((sum, url) => sum + gzipped(url), 0);
    const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(
      readFileSync(path.join(dist, 'index.html'), 'utf8'),
    )?.[1];
    expect(entry).toBeDefined();
    expect(gzipped(entry as string)).toBeLessThan(45_000);
    expect(total).toBeLessThan(188_000);
    // pages load on first visit: their chunks exist, and none is in the first load
    const chunks = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    for (const page of ['ThreadPage', 'DashboardPage', 'AdminPage', 'ReviewQueuePage', 'ProgramPage']) {
      const chunk = chunks.find((f) => f.startsWith(`${page}-`));
      expect(chunk, page).toBeDefined();
      expect(files).not.toContain(`/assets/${chunk}`);
    }
  });

  it('loads languages other than English when they are shown, not before', () => {
    const es = JSON.parse(readFileSync(path.join(REPO_ROOT, 'web', 'src', 'i18n', 'es.json'), 'utf8'));
    const spanish = es.app.loading as string;
    expect(spanish).toMatch(/\S/);
    for (const url of firstLoad()) expect(readFileSync(path.join(dist, url), 'utf8')).not.toContain(spanish);
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

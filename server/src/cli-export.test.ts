import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_HOST, type TestApp } from '../test/app';
import { type Member, makeCategory, makeIdea, makeUser, vote } from '../test/factories';
import { REPO_ROOT } from './config';

let t: TestApp;
let pm: Member;
let folder: string;
let secret: string;
let tokenId: number;
let voted: number;

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  folder = await mkdtemp(path.join(os.tmpdir(), 'fanlab-cli-export-'));
  pm = await makeUser(t, { role: 'product_manager' });
  const author = await makeUser(t);
  const voters: Member[] = [];
  for (let i = 0; i < 5; i += 1) voters.push(await makeUser(t));
  const phones = await makeCategory(t, { allowIdeas: true, name: 'Phones', slug: 'phones' });
  const camera = await makeCategory(t, { allowIdeas: true, name: 'Camera', parentId: phones.id });
  const mexico = await makeCategory(t, { allowIdeas: true, name: 'México', locale: 'es-MX' });
  const titles: [number, string, number][] = [
    [phones.id, 'Battery "care" mode, please', 5],
    [camera.id, 'RAW photos\nin the gallery, with "quotes"', 3],
    [camera.id, '=Night mode', 2],
    [mexico.id, 'Modo oscuro en todas partes', 4],
  ];
  for (const [categoryId, title, votes] of titles) {
    const { id } = await makeIdea(t, author.user, { categoryId, title });
    for (const voter of voters.slice(0, votes)) await vote(voter, id);
    voted ??= id;
  }
  await sql`update threads set tags = array['camera'] where category_id = ${camera.id}`.execute(t.db);
  const res = await pm.client.post('/api/me/tokens', { name: 'cli', scopes: ['read:exports'], expiresInDays: 7 });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  secret = res.body.secret;
  tokenId = res.body.token.id;
});
afterAll(async () => {
  await t.close();
  await rm(folder, { recursive: true, force: true });
});

/** The CLI as a child process (async: the server answering it runs in this process). */
function cli(args: string[], env: Record<string, string> = { FANLAB_URL: t.baseUrl, FANLAB_TOKEN: secret }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same export straight from the API, as sent (with the PM's session). */
async function apiExport(url: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url, headers: { host: TEST_HOST, cookie: pm.client.cookie } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

const file = (name: string) => path.join(folder, name);

describe('npm run cli -- export:*', { timeout: 120_000 }, () => {
  it('writes the top requests export under every filter, byte for byte the API’s, and counts its rows', async () => {
    const cases: { args: string[]; query: string; rows: number }[] = [
      { args: ['--limit', '100', '--format', 'csv'], query: 'limit=100&format=csv', rows: 4 },
      {
        args: ['--category', 'phones', '--status', 'open,planned', '--window', 'all', '--sort', 'votes', '--bom'],
        query: 'category=phones&status=open,planned&window=all&sort=votes&bom=true',
        rows: 3,
      },
      {
        args: ['--tag', 'camera', '--sort', 'newest', '--format', 'jsonl'],
        query: 'tag=camera&sort=newest&format=jsonl',
        rows: 2,
      },
      {
        args: ['--space', 'es', '--region', 'MX', '--format', 'json'],
        query: 'space=es&region=MX&format=json',
        rows: 1,
      },
      {
        args: ['--window', '7d', '--sort', 'window', '--format', 'json', '--space', 'fr'],
        query: 'window=7d&sort=window&format=json&space=fr',
        rows: 0,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const out = file(`top-${i}.out`);
      const run = await cli(['export:top', ...c.args, '--out', out]);
      expect(run.stderr).toContain(`${c.rows} rows`);
      expect(run.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(await apiExport(`/api/dashboard/top/export?${c.query}`));
      expect(existsSync(`${out}.part`)).toBe(false);
    }
  });

  it('writes to standard output with --out - or no --out, and exports an idea’s voters', async () => {
    const expected = await apiExport('/api/dashboard/top/export?window=all');
    for (const out of [['--out', '-'], []]) {
      const run = await cli(['export:top', '--window', 'all', ...out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(expected);
    }
    const out = file('voters.csv');
    const run = await cli(['export:voters', '--idea', String(voted), '--format', 'csv', '--out', out]);
    expect(run.stderr).toContain('5 rows');
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(await apiExport(`/api/ideas/${voted}/voters/export?format=csv`));
  });

  it('exits 1 with the reason without a token, with the API’s message on an error, and 401 once revoked', async () => {
    const none = await cli(['export:top', '--out', file('none.csv')], { FANLAB_URL: t.baseUrl });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('FANLAB_TOKEN is not set');

    const bad = await cli(['export:top', '--window', '3d', '--out', file('bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/400 .*window/);
    const missing = await cli(['export:voters', '--idea', '99999999', '--out', file('missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404');

    expect((await pm.client.request('DELETE', `/api/me/tokens/${tokenId}`)).status).toBe(204);
    const revoked = await cli(['export:top', '--out', file('revoked.csv')]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('401');
    for (const name of ['none.csv', 'bad.csv', 'missing.csv', 'revoked.csv']) {
      expect(existsSync(file(name))).toBe(false);
      expect(existsSync(file(`${name}.part`))).toBe(false);
    }
  });

  it('leaves no half file when the download breaks off', async () => {
    const broken = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('rank,id\r\n1,2\r\n');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (broken.address() as AddressInfo).port;
      const out = file('broken.csv');
      const run = await cli(['export:top', '--out', out], {
        FANLAB_URL: `http://127.0.0.1:${port}`,
        FANLAB_TOKEN: 'x',
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('broke off');
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.part`)).toBe(false);
    } finally {
      broken.close();
    }
  });

  it('prints the usage and exits 2 on an unknown option or command, or without --idea', async () => {
    for (const args of [
      ['export:top', '--colour', 'red'],
      ['export:everything'],
      ['export:voters', '--format', 'csv'],
      ['export:voters', '--idea', 'abc'],
      ['export:top', 'stray'],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('npm run cli -- export:top');
    }
    const help = await cli(['export:top', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('FANLAB_TOKEN');
  });
});

import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { App } from './app-type';
import { registerRequestLog } from './request-log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function logged(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, logController: undefined });
  registerRequestLog(app as unknown as App, { slowMs: 40, summaryEveryMs: 150 });
  app.get('/fast', async () => ({ ok: true }));
  app.get('/slow', async () => {
    await sleep(60);
    return { ok: true };
  });
  app.get('/broken', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines };
}

describe('the request log', () => {
  it('logs failed and slow requests one line each, and a summary per interval; not every request', async () => {
    const { app, lines } = await logged('info');
    for (let i = 0; i < 5; i++) await app.inject('/fast');
    await app.inject('/slow');
    await app.inject('/broken');
    await app.inject('/missing');
    const mine = () => lines.filter((l) => l.msg !== 'incoming request' && l.msg !== 'request completed');
    expect(mine().find((l) => l.msg === 'slow request')).toMatchObject({ level: 40, url: '/slow', status: 200 });
    expect(mine().find((l) => l.msg === 'request failed')).toMatchObject({ level: 50, url: '/broken', status: 500 });
    expect(mine().filter((l) => l.url === '/fast')).toEqual([]);
    // the summaries of the intervals these requests fell into (one, or more on a slow machine)
    const summaries = () => lines.filter((l) => typeof l.msg === 'string' && / requests in the last /.test(l.msg));
    const total = (field: string) => summaries().reduce((n, l) => n + Number(l[field]), 0);
    await expect.poll(() => total('requests'), { timeout: 3_000 }).toBe(8);
    expect(summaries().every((l) => l.level === 30)).toBe(true);
    expect([total('2xx'), total('3xx'), total('4xx'), total('5xx')]).toEqual([6, 0, 1, 1]);
    expect(Math.max(...summaries().map((l) => Number(l.slowestMs)))).toBeGreaterThanOrEqual(55);
    await app.close();
  });

  it('logs every request at debug', async () => {
    const { app, lines } = await logged('debug');
    await app.inject('/fast');
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ level: 20, url: '/fast', status: 200 });
    await app.close();
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { forumFixture, startThread } from '../../server/test/forum';
import { IMAGE_HOST_CA, type ImageHost, PNG, serve, startImageHost } from '../../server/test/image-host';
import { launchBrowser, watchPage } from './browser';

let t: TestApp;
let browser: Browser;
let host: ImageHost;
beforeAll(async () => {
  host = await startImageHost();
  t = await startTestApp({ listen: true, images: { allowHosts: ['127.0.0.1'], ca: IMAGE_HOST_CA } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await host?.close();
});

describe('the Content Security Policy in the browser', () => {
  it('lets the app run (pages, live socket, post images through Fanlab) and blocks a script injected into the page', async () => {
    const { member, category } = await forumFixture(t);
    host.route('/p.png', serve(PNG));
    const thread = await startThread(
      member,
      category.id,
      'Aligned tables and pictures',
      `| left | right |\n|:-----|------:|\n| a | 1 |\n\n![photo](${host.origin}/p.png)`,
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
      window.reportViolation(event.violatedDirective + ' ' + event.blockedURI))`);
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await page.goto(`${t.baseUrl}/t/${thread.id}`);
    await page.waitForSelector('.cooked td.align-right');
    // the live socket opens (connect-src allows the same origin's websocket) and gets frames
    await expect.poll(() => frames.some((f) => f.includes('"subscribed"'))).toBe(true);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.cooked td.align-right')).textAlign`)).toBe(
      'right',
    );
    // the post image comes through Fanlab (img-src 'self'), loads, and the browser never asked the remote host
    const image = await page.waitForSelector('.cooked img[alt=photo]');
    expect(await image.getAttribute('src')).toMatch(/^\/api\/images\/[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.evaluate(`document.querySelector('.cooked img[alt=photo]').naturalWidth`)).toBe(1);
    expect(host.hits.get('/p.png')).toBe(1);
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);

    // what an XSS would try: an inline script and an inline event handler
    const ran = await page.evaluate(`(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.pwned = 1';
      document.body.appendChild(script);
      document.body.insertAdjacentHTML('beforeend', '<img src="/favicon.svg" onload="window.pwned = 2">');
      await new Promise((r) => setTimeout(r, 300));
      return window.pwned ?? 0;
    })()`);
    expect(ran).toBe(0);
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(violations.some((v) => v.startsWith('script-src-elem') || v.startsWith('script-src'))).toBe(true);
    expect(violations.some((v) => v.startsWith('script-src-attr'))).toBe(true);
    await context.close();
  });
});

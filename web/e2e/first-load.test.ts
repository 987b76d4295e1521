import { describe, expect, it } from 'vitest';
import { browserTestApp, watchPage } from './browser';

const suite = browserTestApp();

describe('the first load', () => {
  it('downloads the home page’s API answers once, from the shell’s preloads, beside the scripts', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems = watchPage(page);
    const asked: string[] = [];
    const warnings: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) asked.push(url.pathname);
    });
    page.on('console', (message) => {
      if (/preload/i.test(message.text())) warnings.push(message.text());
    });
    await page.goto(`${suite.t.baseUrl}/`);
    await page.waitForSelector('[data-testid=category-list], [data-testid=empty-state]');
    await page.waitForTimeout(300); // a second fetch of either would have started by now
    expect(asked.filter((p) => p === '/api/categories')).toHaveLength(1);
    expect(asked.filter((p) => p === '/api/me')).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

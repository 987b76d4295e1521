import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../server/src/config';
import { findChromium } from './chromium';

/** Headless Chromium (see findChromium) with the flags this machine needs (Playwright gives it a fresh profile). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(REPO_ROOT, 'web/dist/index.html'))) {
    throw new Error("web/dist is missing: run 'npm run build' (npm test does it for you)");
  }
  const install = await findChromium();
  return chromium.launch({
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects uncaught page errors, dialogs (an executed script would show up here) and anything the
 * Content Security Policy refused (the app itself must never trip it).
 */
export function watchPage(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) problems.push(`csp: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}

/** A fresh browser context signed in through the UI as `username`. */
export async function signInAs(browser: Browser, baseUrl: string, username: string, password: string) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${baseUrl}/sign-in`);
  await page.fill('input[name=login]', username);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
  await page.waitForSelector(`[data-testid=header-username]:text-is("${username}")`);
  return { context, page, problems };
}

/** Calls the API as the page's user (same cookies, same origin). */
export async function api(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
      return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
    },
    { method, path, body },
  );
}

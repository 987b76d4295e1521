import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp, type TestAppOptions } from '../../server/test/app';
import { launchBrowser } from './chromium';

export { launchBrowser };

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

/** The password of the accounts browser tests make. */
export const E2E_PASSWORD = 'amber-kettle-horizon';

/**
 * Opens the signed-in member's header menu (staff pages, account, language, sign out) on a wide
 * screen, unless it is open already.
 */
export async function openAccountMenu(page: Page) {
  const button = page.locator('[data-testid=account-menu]');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

/**
 * For a test file: the app on a real port and one headless Chromium, started before its tests
 * and closed after them. `signedIn(name)`: a fresh context signed in as an account with
 * E2E_PASSWORD.
 */
export function browserTestApp(options: Omit<TestAppOptions, 'listen'> = {}) {
  const suite = {
    t: undefined as unknown as TestApp,
    browser: undefined as unknown as Browser,
    signedIn: (username: string) => signInAs(suite.browser, suite.t.baseUrl, username, E2E_PASSWORD),
  };
  beforeAll(async () => {
    suite.t = await startTestApp({ ...options, listen: true });
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.t?.close();
  });
  return suite;
}

/**
 * With FANLAB_SHOTS=<folder>: screenshots of the page at 1280 and 390 px into it (`fullPage`:
 * the whole page; not with a dialog open, which covers the viewport only).
 */
export async function shoot(page: Page, name: string, fullPage = true) {
  const folder = process.env.FANLAB_SHOTS;
  if (!folder) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${folder}/${name}-${width}.png`, fullPage });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

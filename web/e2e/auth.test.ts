import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { launchBrowser, watchPage } from './browser';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const PASSWORD = 'amber-kettle-horizon';

async function signUpThroughUi(page: Page, username: string) {
  await page.goto(`${t.baseUrl}/sign-up`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=email]', `${username}@example.com`);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector(`[data-testid=header-username]:text-is("${username}")`);
}

describe('accounts in the browser', () => {
  it('signs up, stays signed in across a reload, signs out and signs in again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    await signUpThroughUi(page, 'browser_fan');

    await page.reload();
    await page.waitForSelector('[data-testid=header-username]:text-is("browser_fan")');

    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('a[href^="/sign-in"]');
    expect(await page.locator('[data-testid=header-username]').count()).toBe(0);

    // a wrong password shows an error and keeps the visitor signed out
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.fill('input[name=login]', 'browser_fan');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=form-error]');

    await page.fill('input[name=login]', 'BROWSER_FAN@example.com');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=header-username]:text-is("browser_fan")');

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'fanlab_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows sign-up errors from the server', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpThroughUi(page, 'taken_name');
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('a[href^="/sign-in"]');

    await page.goto(`${t.baseUrl}/sign-up`);
    await page.fill('input[name=username]', 'TAKEN_NAME');
    await page.fill('input[name=email]', 'someone.else@example.com');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=form-error]');
    expect(await page.locator('[data-testid=header-username]').count()).toBe(0);
    await context.close();
  });

  it('changes the password: the other device is signed out live, the old password stops working', async () => {
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const page = await laptop.newPage();
    const other = await phone.newPage();
    await signUpThroughUi(page, 'two_devices');

    await other.goto(`${t.baseUrl}/sign-in`);
    await other.fill('input[name=login]', 'two_devices');
    await other.fill('input[name=password]', PASSWORD);
    await other.click('form button[type=submit]');
    await other.waitForSelector('[data-testid=header-username]:text-is("two_devices")');

    await page.goto(`${t.baseUrl}/account`);
    await page.fill('input[name=currentPassword]', 'wrong-current-pw');
    await page.fill('input[name=newPassword]', 'copper-lantern-meadow');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=form-error]');

    await page.fill('input[name=currentPassword]', PASSWORD);
    await page.fill('input[name=newPassword]', 'copper-lantern-meadow');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=password-changed]');

    // the other device learns over its websocket that its session ended, without a reload
    await other.waitForSelector('a[href^="/sign-in"]', { timeout: 10_000 });
    expect(await other.locator('[data-testid=header-username]').count()).toBe(0);

    // this device stays signed in
    await page.reload();
    await page.waitForSelector('[data-testid=header-username]:text-is("two_devices")');

    await other.goto(`${t.baseUrl}/sign-in`);
    await other.fill('input[name=login]', 'two_devices');
    await other.fill('input[name=password]', PASSWORD);
    await other.click('form button[type=submit]');
    await other.waitForSelector('[data-testid=form-error]');
    await other.fill('input[name=password]', 'copper-lantern-meadow');
    await other.click('form button[type=submit]');
    await other.waitForSelector('[data-testid=header-username]:text-is("two_devices")');

    // log out everywhere ends both
    await page.goto(`${t.baseUrl}/account`);
    await page.click('[data-testid=sign-out-everywhere]');
    await page.click('[data-testid=confirm-sign-out-everywhere]');
    await page.waitForSelector('a[href^="/sign-in"]');
    await other.waitForSelector('a[href^="/sign-in"]', { timeout: 10_000 });
    await laptop.close();
    await phone.close();
  });

  it('switches to Spanish and remembers it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    await page.waitForSelector('a[href^="/sign-in"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.selectOption('[data-testid=locale-select]', 'es');
    await page.waitForSelector('a[href^="/sign-in"]:text-is("Iniciar sesión")');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.reload();
    await page.waitForSelector('a[href^="/sign-in"]:text-is("Iniciar sesión")');
    await context.close();
  });

  it('shows a 404 page for an unknown address and guards the account page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${t.baseUrl}/no/such/page`);
    expect(res?.status()).toBe(200); // the SPA shell answers; the client shows the 404 page
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toMatch(/not found|404/i);

    await page.goto(`${t.baseUrl}/account`);
    await page.waitForURL(/\/sign-in\?next=%2Faccount/);
    await context.close();
  });
});

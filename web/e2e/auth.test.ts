import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { lastMailTo } from '../../server/test/mail';
import { launchBrowser, openAccountMenu, watchPage } from './browser';

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

/** Fills in the sign-up form and waits for "check your email". */
async function askToSignUp(page: Page, username: string, email = `${username}@example.com`) {
  await page.goto(`${t.baseUrl}/sign-up`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=sign-up-sent]');
}

/** The link in the newest mail to `email`, on this test server. */
async function mailedLink(email: string) {
  const text = (await lastMailTo(t.db, email)).text;
  const link = /^https?:\/\/\S+\/sign-up\/confirm#token=\S+$/m.exec(text)?.[0];
  if (!link) throw new Error(`no link in: ${text}`);
  const url = new URL(link);
  return `${t.baseUrl}${url.pathname}${url.hash}`;
}

/** Signs up as a person does: the form, then the link in the mail. */
async function signUpThroughUi(page: Page, username: string) {
  await askToSignUp(page, username);
  await page.goto(await mailedLink(`${username}@example.com`));
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

    await openAccountMenu(page);
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

  it('answers a registered address like a new one, and the mailed link brings the new member to where they were going', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    await signUpThroughUi(page, 'owner_fan');
    await openAccountMenu(page);
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('a[href^="/sign-in"]');

    // someone tries the registered address: the same "check your email" as for a new one
    await askToSignUp(page, 'curious_one', 'OWNER_FAN@example.com');
    const registered = await page.textContent('[data-testid=sign-up-sent]');
    expect((await lastMailTo(t.db, 'owner_fan@example.com')).template).toBe('account_exists');
    await askToSignUp(page, 'curious_two', 'fresh.address@example.com');
    expect((await page.textContent('[data-testid=sign-up-sent]'))?.replace('fresh.address', 'X')).toBe(
      registered?.replace('OWNER_FAN', 'X'),
    );
    expect(await page.locator('[data-testid=header-username]').count()).toBe(0);

    // the link opened in another browser (a phone): a click confirms, then it goes to `next`
    await page.goto(`${t.baseUrl}/sign-up?next=${encodeURIComponent('/ideas')}`);
    await page.fill('input[name=username]', 'next_fan');
    await page.fill('input[name=email]', 'next_fan@example.com');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=sign-up-sent]');
    const phone = await browser.newContext();
    const phonePage = await phone.newPage();
    const phoneProblems = watchPage(phonePage);
    await phonePage.goto(await mailedLink('next_fan@example.com'));
    await phonePage.waitForSelector('form button[type=submit]');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'next_fan').execute()).toHaveLength(0);
    await phonePage.click('form button[type=submit]');
    await phonePage.waitForSelector('[data-testid=header-username]:text-is("next_fan")');
    expect(new URL(phonePage.url()).pathname).toBe('/ideas');

    // the used link says so, and offers a new sign-up
    await phonePage.goto(await mailedLink('next_fan@example.com'));
    await phonePage.click('form button[type=submit]');
    await phonePage.waitForSelector('[data-testid=form-error]');
    await phonePage.waitForSelector('a.button[href="/sign-up"]');
    expect(problems).toEqual([]);
    expect(phoneProblems).toEqual([]);
    await phone.close();
    await context.close();
  });

  it('asks for another username when the one signed up with was taken before the link was opened', async () => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    const a = await first.newPage();
    const b = await second.newPage();
    await askToSignUp(a, 'contested', 'contested.a@example.com');
    await askToSignUp(b, 'Contested', 'contested.b@example.com');
    await a.goto(await mailedLink('contested.a@example.com'));
    await a.click('form button[type=submit]');
    await a.waitForSelector('[data-testid=header-username]:text-is("contested")');

    await b.goto(await mailedLink('contested.b@example.com'));
    await b.click('form button[type=submit]');
    await b.waitForSelector('input[name=username]');
    await b.fill('input[name=username]', 'contested_too');
    await b.click('form button[type=submit]');
    await b.waitForSelector('[data-testid=header-username]:text-is("contested_too")');
    await first.close();
    await second.close();
  });

  it('shows sign-up errors from the server', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpThroughUi(page, 'taken_name');
    await openAccountMenu(page);
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

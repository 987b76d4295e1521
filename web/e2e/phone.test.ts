import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makePost, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot } from './browser';
import { type MainPage, seedMainPages } from './main-pages';

const suite = browserTestApp();
const PHONE = { width: 390, height: 844 };
/** One row of header: the site's name, the bell and the menu button (or the wide row). */
const ONE_ROW_PX = 64;

let pages: MainPage[] = [];
let longThread = 0;
beforeAll(async () => {
  pages = await seedMainPages(suite.t, 'phone');
  const admin = await makeAccount(suite.t, { username: 'phone_admin', password: E2E_PASSWORD, role: 'admin' });
  const category = await makeCategory(suite.t, { slug: 'phone-long' });
  longThread = (await makeThread(suite.t, admin, { categoryId: category.id, body: 'A long thread.' })).id;
  for (let i = 1; i <= 12; i++) await makePost(suite.t, admin, longThread, `Reply ${i}: ${'words '.repeat(40)}`);
});

/** How far the page reaches past the viewport's right edge (0: nothing overflows). */
const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

/** The visible elements of `selector` whose box leaves the viewport horizontally. */
const outside = (page: Page, selector: string) =>
  page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(`${selector}, ${selector} *`)})]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < -0.5 || r.right > window.innerWidth + 0.5); })
    .map((el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[' + el.dataset.testid + ']' : '') + ' ' + Math.round(el.getBoundingClientRect().left) + '..' + Math.round(el.getBoundingClientRect().right))`);

const headerHeight = async (page: Page) => (await page.locator('.site-header').boundingBox())?.height ?? 0;

describe('on a phone (390 px)', () => {
  it('no main page overflows the screen, and the header is one row', async () => {
    const anonymous = await suite.browser.newContext({ locale: 'en-US', viewport: PHONE });
    const reader = await suite.signedIn('phone_reader');
    await reader.page.setViewportSize(PHONE);
    const found: string[] = [];
    for (const { name, path, ready, signedIn } of pages) {
      const page = signedIn ? reader.page : await anonymous.newPage();
      await page.goto(`${suite.t.baseUrl}${path}`);
      await page.waitForSelector(ready);
      await page.waitForLoadState('networkidle');
      const past = await overflow(page);
      if (past > 0)
        found.push(`${name}: ${past} px past the right edge: ${(await outside(page, 'body')).slice(0, 5).join(', ')}`);
      const rows = await page.evaluate<number[]>(
        `[...document.querySelectorAll('.tabs')].map((tabs) => new Set([...tabs.children].map((tab) => Math.round(tab.getBoundingClientRect().top))).size)`,
      );
      if (rows.some((n) => n > 1)) found.push(`${name}: a row of tabs wraps onto ${Math.max(...rows)} lines`);
      const height = await headerHeight(page);
      if (height > ONE_ROW_PX) found.push(`${name}: the header is ${height} px high`);
      await shoot(page, `phone-${name.replaceAll(/[ ,]+/g, '-')}`);
      await page.setViewportSize(PHONE); // (shoot leaves the page at 1280 px)
      if (!signedIn) await page.close();
    }
    await anonymous.close();
    await reader.context.close();
    expect(found).toEqual([]);
  }, 180_000);

  it('opens the navigation from the menu button, inside the screen, and closes it on the way', async () => {
    const { page, context } = await suite.signedIn('phone_reader');
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.t.baseUrl}/latest`);
    await page.waitForSelector('main');
    expect(await page.locator('[data-testid=nav-ideas]').isVisible()).toBe(false);
    await page.click('[data-testid=menu-toggle]');
    await page.waitForSelector('[data-testid=header-panel][data-open=true]');
    for (const id of ['nav-ideas', 'nav-unread', 'header-search-input', 'nav-account', 'locale-select', 'sign-out']) {
      expect(await page.locator(`[data-testid=${id}]`).isVisible(), id).toBe(true);
    }
    expect(await outside(page, '[data-testid=header-panel]')).toEqual([]);
    await shoot(page, 'phone-menu-open', false);
    await page.setViewportSize(PHONE);
    await page.click('[data-testid=nav-ideas]');
    await page.waitForSelector('[data-testid=idea-list]');
    expect(await page.locator('[data-testid=header-panel]').getAttribute('data-open')).toBe('false');
    await context.close();
  });

  it('keeps the notification menu inside the screen', async () => {
    const { page, context } = await suite.signedIn('phone_reader');
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.t.baseUrl}/`);
    await page.click('[data-testid=notification-bell]');
    await page.waitForSelector('[data-testid=notification-menu]');
    expect(await outside(page, '[data-testid=notification-menu]')).toEqual([]);
    await context.close();
  });

  it('keeps the header at the top while the page scrolls', async () => {
    const { page, context } = await suite.signedIn('phone_reader');
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.t.baseUrl}/t/${longThread}`);
    await page.waitForSelector('[data-testid=post]');
    await page.evaluate('window.scrollTo(0, 1500)');
    expect(await page.evaluate<number>('window.scrollY')).toBeGreaterThan(100);
    expect((await page.locator('.site-header').boundingBox())?.y).toBe(0);
    await context.close();
  });
});

describe('on a wide screen (1280 px), signed in with every staff page', () => {
  it('keeps the header on one row, with the staff pages and the account in the member menu', async () => {
    const { page, context } = await suite.signedIn('phone_admin');
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const { name, path, ready } of pages.filter((p) => !p.path.startsWith('/sign'))) {
      await page.goto(`${suite.t.baseUrl}${path}`);
      await page.waitForSelector(ready);
      expect(await headerHeight(page), name).toBeLessThanOrEqual(ONE_ROW_PX);
    }
    expect(await page.locator('[data-testid=menu-toggle]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=nav-admin]').isVisible()).toBe(false);
    await page.click('[data-testid=account-menu]');
    for (const id of ['nav-admin', 'nav-dashboard', 'nav-triage', 'nav-account', 'locale-select', 'sign-out']) {
      expect(await page.locator(`[data-testid=${id}]`).isVisible(), id).toBe(true);
    }
    expect(await outside(page, '.account-menu-list')).toEqual([]);
    await shoot(page, 'wide-account-menu', false);
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid=nav-admin]').isVisible()).toBe(false);
    await context.close();
  });
});

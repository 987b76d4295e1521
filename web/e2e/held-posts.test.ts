import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { makeAccount, makeCategory, makeThread } from '../../server/test/factories';
import { launchBrowser, signInAs } from './browser';

let t: TestApp;
let browser: Browser;
const PASSWORD = 'amber-kettle-horizon';
const shots = process.env.FANLAB_SHOTS; // a folder: save screenshots at 1280 and 390 px there

beforeAll(async () => {
  t = await startTestApp({ listen: true, settings: { newMemberHoldFirstPosts: 1 } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

describe('posts held for approval in the browser', () => {
  it('a new member’s first reply waits; a moderator approves it and the open thread shows it', async () => {
    const category = await makeCategory(t, { slug: 'watches', name: 'Watches' });
    const writer = await makeAccount(t, { username: 'watch_wes', password: PASSWORD });
    await makeAccount(t, { username: 'fresh_fay', password: PASSWORD, trustLevel: 0 });
    await makeAccount(t, { username: 'mod_moe', password: PASSWORD, role: 'moderator' });
    const thread = await makeThread(t, writer, { categoryId: category.id, title: 'Strap sizes for the new watch' });

    const wes = await signInAs(browser, t.baseUrl, 'watch_wes', PASSWORD);
    await wes.page.goto(`${t.baseUrl}/t/${thread.id}`);
    await wes.page.locator('[data-testid=post][data-post-number="1"]').waitFor();

    const fay = await signInAs(browser, t.baseUrl, 'fresh_fay', PASSWORD);
    await fay.page.goto(`${t.baseUrl}/t/${thread.id}`);
    await fay.page.fill('[data-testid=composer]', 'Mine fits the 20 mm strap perfectly.');
    await fay.page.click('[data-testid=composer-submit]');
    await fay.page.locator('[data-testid=reply-held]').waitFor();
    expect(await fay.page.inputValue('[data-testid=composer]')).toBe('');
    expect(await fay.page.locator('[data-testid=post]').count()).toBe(1);
    await shoot(fay.page, 'reply-held');
    await fay.page.goto(`${t.baseUrl}/account`);
    await fay.page.locator('[data-testid=queued-post][data-status=pending]').waitFor();

    const moe = await signInAs(browser, t.baseUrl, 'mod_moe', PASSWORD);
    await moe.page.goto(`${t.baseUrl}/review`);
    const item = moe.page.locator('[data-testid=review-item][data-type=queued_post]');
    await item.waitFor();
    expect(await item.locator('[data-testid=review-held]').textContent()).toContain('new member');
    expect(await item.locator('[data-testid=review-agree]').count()).toBe(0);
    await shoot(moe.page, 'review-held');
    await item.locator('[data-testid=review-approve]').click();

    // the open page is told of the new reply without a reload
    await wes.page.locator('[data-testid=new-replies-bar]').waitFor({ timeout: 5_000 });
    await wes.page.click('[data-testid=new-replies-bar]');
    await wes.page.locator('[data-testid=post][data-post-number="2"]').waitFor();
    expect(await wes.page.locator('[data-testid=post][data-post-number="2"]').textContent()).toContain('20 mm strap');
    await fay.page.reload();
    await fay.page.locator('[data-testid=queued-post][data-status=approved]').waitFor();
  });
});

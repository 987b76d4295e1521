import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp({ settings: { newMemberHoldFirstPosts: 1 } });
const PASSWORD = E2E_PASSWORD;

describe('posts held for approval in the browser', () => {
  it('a new member’s first reply waits; a moderator approves it and the open thread shows it', async () => {
    const category = await makeCategory(app.t, { slug: 'watches', name: 'Watches' });
    const writer = await makeAccount(app.t, { username: 'watch_wes', password: PASSWORD });
    await makeAccount(app.t, { username: 'fresh_fay', password: PASSWORD, trustLevel: 0 });
    await makeAccount(app.t, { username: 'mod_moe', password: PASSWORD, role: 'moderator' });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Strap sizes for the new watch' });

    const wes = await signInAs(app.browser, app.t.baseUrl, 'watch_wes', PASSWORD);
    await wes.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await wes.page.locator('[data-testid=post][data-post-number="1"]').waitFor();

    const fay = await signInAs(app.browser, app.t.baseUrl, 'fresh_fay', PASSWORD);
    await fay.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await fay.page.fill('[data-testid=composer]', 'Mine fits the 20 mm strap perfectly.');
    await fay.page.click('[data-testid=composer-submit]');
    await fay.page.locator('[data-testid=reply-held]').waitFor();
    expect(await fay.page.inputValue('[data-testid=composer]')).toBe('');
    expect(await fay.page.locator('[data-testid=post]').count()).toBe(1);
    await shoot(fay.page, 'reply-held');
    await fay.page.goto(`${app.t.baseUrl}/account`);
    await fay.page.locator('[data-testid=queued-post][data-status=pending]').waitFor();

    const moe = await signInAs(app.browser, app.t.baseUrl, 'mod_moe', PASSWORD);
    await moe.page.goto(`${app.t.baseUrl}/review`);
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

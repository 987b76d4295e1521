import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makeIdea } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, shoot } from './browser';

const app = browserTestApp();
const panel = '[data-testid=idea-panel]';

describe('releases in the browser', () => {
  it('a PM writes and publishes 4.3.7 linking an idea; its voter sees "shipped in 4.3.7" appear live', async () => {
    const category = await makeCategory(app.t, { slug: 'phones-rel', name: 'Phones', allowIdeas: true });
    const author = await makeAccount(app.t, { username: 'idea_ida', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'voter_vic', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'pm_pam', password: E2E_PASSWORD, role: 'product_manager' });
    const idea = await makeIdea(app.t, author, { categoryId: category.id, title: 'Charging that stops at 80 percent' });
    await makeIdea(app.t, author, { categoryId: category.id, title: 'A charging sound you can turn off' });

    const vic = await app.signedIn('voter_vic');
    expect((await api(vic.page, 'PUT', `/api/ideas/${idea.id}/vote`)).status).toBe(200);
    await vic.page.goto(`${app.t.baseUrl}/t/${idea.id}`);
    await vic.page.locator(`${panel} [data-testid=idea-status][data-status=open]`).first().waitFor();

    const pam = await app.signedIn('pm_pam');
    await pam.page.goto(`${app.t.baseUrl}/releases`);
    await pam.page.click('[data-testid=new-release]');
    await pam.page.fill('[data-testid=release-version]', '4.3.7');
    await pam.page.selectOption('[data-testid=release-channel]', 'stable');
    await pam.page.fill('[data-testid=release-date]', '2026-05-08');
    await pam.page.fill('[data-testid=release-notes]', 'Battery care: **stop charging at 80%**.');
    await pam.page.fill('[data-testid=idea-search]', 'charging stops at 80');
    await pam.page.click(`[data-testid=add-idea][data-idea-id="${idea.id}"]`);
    await pam.page.locator(`[data-testid=picked-idea][data-idea-id="${idea.id}"]`).waitFor();
    await shoot(pam.page, 'release-editor');
    await pam.page.click('[data-testid=save-release]');
    await pam.page.locator('[data-testid=publish-release]').waitFor();
    await pam.page.click('[data-testid=publish-release]');
    await pam.page.click('[data-testid=publish-confirmed]');
    await pam.page.locator('[data-testid=release] [data-testid=idea-status][data-status=shipped]').waitFor();
    await shoot(pam.page, 'release-page');

    // the voter's open page: status and bell change without a reload
    await vic.page
      .locator(`${panel} [data-testid=idea-status][data-status=shipped]`)
      .first()
      .waitFor({ timeout: 5_000 });
    await vic.page.locator('[data-testid=notification-count]:text-is("1")').waitFor({ timeout: 5_000 });
    await vic.page.locator('[data-testid=timeline-release]:text-is("shipped in 4.3.7")').waitFor();
    await vic.page.click('[data-testid=notification-bell]');
    const item = vic.page.locator('[data-testid=notification-menu] [data-testid=notification-item]').first();
    expect(await item.textContent()).toContain('“Charging that stops at 80 percent” shipped in 4.3.7');
    await shoot(vic.page, 'release-notified', false);

    await vic.page.goto(`${app.t.baseUrl}/releases`);
    await vic.page.locator('[data-testid=release-idea]').first().waitFor();
    expect(await vic.page.locator('[data-testid=release]').first().textContent()).toContain('1 vote');
    await shoot(vic.page, 'changelog');
    await vic.page.goto(`${app.t.baseUrl}/releases/calendar?month=2026-05`);
    await vic.page.locator('[data-testid=calendar-day][data-date="2026-05-08"][data-friday=true] a').waitFor();
    await shoot(vic.page, 'release-calendar');
    expect(vic.problems).toEqual([]);
    expect(pam.problems).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makePost, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp();
const PASSWORD = E2E_PASSWORD;

describe('site settings and trust levels in the browser', () => {
  it('an admin lets new members flag; a new member then sees the flag button and their progress', async () => {
    const category = await makeCategory(app.t, { slug: 'tablets', name: 'Tablets' });
    await makeAccount(app.t, { username: 'admin_ada', password: PASSWORD, role: 'admin' });
    const writer = await makeAccount(app.t, { username: 'writer_wu', password: PASSWORD });
    await makeAccount(app.t, { username: 'newbie_ned', password: PASSWORD, trustLevel: 0 });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Which stylus do you use?' });
    await makePost(app.t, writer, thread.id, 'I like the one with the eraser.');

    // the new member: no flag button, and the account page says why and what lifts it
    const ned = await signInAs(app.browser, app.t.baseUrl, 'newbie_ned', PASSWORD);
    await ned.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await ned.page.locator('[data-testid=post][data-post-number="2"] [data-testid=post-body]').waitFor();
    expect(await ned.page.locator('[data-testid=flag-button]').count()).toBe(0);
    await ned.page.goto(`${app.t.baseUrl}/account`);
    await ned.page.locator('[data-testid=trust-level]').waitFor();
    expect(await ned.page.locator('[data-testid=trust-level]').textContent()).toContain('0');
    expect(await ned.page.locator('.trust-rule').count()).toBe(3);
    await shoot(ned.page, 'trust-progress');

    // the admin changes two settings on the settings screen
    const ada = await signInAs(app.browser, app.t.baseUrl, 'admin_ada', PASSWORD);
    await ada.page.goto(`${app.t.baseUrl}/admin/settings`);
    await ada.page.locator('[data-testid=site-settings]').waitFor();
    const save = ada.page.locator('.settings-save-bar button[type=submit]');
    expect(await save.isDisabled()).toBe(true);
    await ada.page.locator('#setting-newMemberCanFlag').check();
    await ada.page.locator('#setting-flagHideScore').fill('2');
    expect(await ada.page.locator('.setting-dirty').count()).toBe(2);
    await shoot(ada.page, 'site-settings');
    await save.click();
    await ada.page.locator('.settings-save-bar .notice').waitFor();
    expect(await ada.page.locator('[data-testid=setting-flagHideScore] .setting-meta').textContent()).toContain(
      'admin_ada',
    );
    const stored = await app.t.db.selectFrom('site_settings').select(['key', 'value']).orderBy('key').execute();
    expect(stored).toEqual([
      { key: 'flagHideScore', value: 2 },
      { key: 'newMemberCanFlag', value: true },
    ]);

    // the new member may flag now
    await ned.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await ned.page.locator('[data-testid=post][data-post-number="2"] [data-testid=flag-button]').waitFor();

    // back to the default from the screen
    await ada.page.locator('[data-testid=setting-newMemberCanFlag] .setting-meta button').click();
    await save.click();
    await ada.page.locator('.settings-save-bar .notice').waitFor();
    expect(await app.t.db.selectFrom('site_settings').select('key').execute()).toEqual([{ key: 'flagHideScore' }]);
  });

  it('shows the settings tab to admins only', async () => {
    await makeAccount(app.t, { username: 'plain_pia', password: PASSWORD });
    await makeAccount(app.t, { username: 'mod_mia', password: PASSWORD, role: 'moderator' });
    const pia = await signInAs(app.browser, app.t.baseUrl, 'plain_pia', PASSWORD);
    await pia.page.goto(`${app.t.baseUrl}/admin/settings`);
    await pia.page.locator('[data-testid=admin-forbidden]').waitFor();
    const mia = await signInAs(app.browser, app.t.baseUrl, 'mod_mia', PASSWORD);
    await mia.page.goto(`${app.t.baseUrl}/admin/settings`);
    await mia.page.locator('[data-testid=admin-forbidden]').waitFor();
    expect(await mia.page.locator('[data-testid=admin-tab-settings]').count()).toBe(0);
    expect(await mia.page.locator('[data-testid=site-settings]').count()).toBe(0);
  });
});

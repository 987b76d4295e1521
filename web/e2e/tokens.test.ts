import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp();

describe('API tokens in the browser', () => {
  it('a product manager creates a token, sees its secret once, uses it, and revokes it', async () => {
    await makeAccount(app.t, { username: 'pm_pia', password: E2E_PASSWORD, role: 'product_manager' });
    const pia = await signInAs(app.browser, app.t.baseUrl, 'pm_pia', E2E_PASSWORD);
    await pia.page.goto(`${app.t.baseUrl}/account`);
    const card = pia.page.locator('[data-testid=api-tokens]');
    await card.waitFor();
    await card.getByText('You have no API tokens.').waitFor();
    await card.getByLabel('Name').fill('Weekly top requests');
    await card.getByLabel('Ideas (boards, idea pages)').check();
    await card.locator('[data-testid=token-create]').click();
    const secret = (await card.locator('[data-testid=token-secret]').textContent()) ?? '';
    expect(secret).toMatch(/^flt_/);
    await card.locator('[data-testid=token-item][data-state=active]').waitFor();
    await shoot(pia.page, 'api-tokens');

    // the secret works from outside the browser, and never again appears on the page
    const used = await fetch(`${app.t.baseUrl}/api/ideas`, { headers: { authorization: `Bearer ${secret}` } });
    expect(used.status).toBe(200);
    await pia.page.reload();
    await card.locator('[data-testid=token-item]').waitFor();
    expect(await pia.page.content()).not.toContain(secret);

    await card.locator('[data-testid=token-revoke]').click();
    await card.locator('[data-testid=token-item][data-state=revoked]').waitFor();
    const refused = await fetch(`${app.t.baseUrl}/api/ideas`, { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status).toBe(401);
    expect(pia.problems).toEqual([]);
  });

  it('shows members no token card', async () => {
    await makeAccount(app.t, { username: 'fan_fox', password: E2E_PASSWORD });
    const fox = await signInAs(app.browser, app.t.baseUrl, 'fan_fox', E2E_PASSWORD);
    await fox.page.goto(`${app.t.baseUrl}/account`);
    await fox.page.locator('[data-testid=account-username]').waitFor();
    expect(await fox.page.locator('[data-testid=api-tokens]').count()).toBe(0);
  });
});

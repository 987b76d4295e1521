import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makeIdea } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp({ settings: { newMemberVotesHeld: true } });
const PASSWORD = E2E_PASSWORD;

const panel = '[data-testid=idea-panel]';
const count = `${panel} [data-testid=vote-count]`;

describe('new members’ votes held in the browser', () => {
  it('a new member’s vote is saved but not counted until a moderator raises their level, then counts live', async () => {
    const category = await makeCategory(app.t, { slug: 'earbuds', name: 'Earbuds', allowIdeas: true });
    const owner = await makeAccount(app.t, { username: 'bud_bea', password: PASSWORD });
    const fresh = await makeAccount(app.t, { username: 'fresh_finn', password: PASSWORD, trustLevel: 0 });
    await makeAccount(app.t, { username: 'mod_mia', password: PASSWORD, role: 'moderator' });
    const idea = await makeIdea(app.t, owner, { categoryId: category.id, title: 'A case that charges wirelessly' });

    const bea = await signInAs(app.browser, app.t.baseUrl, 'bud_bea', PASSWORD);
    await bea.page.goto(`${app.t.baseUrl}/t/${idea.id}`);
    await bea.page.locator(`${count}:text-is("0")`).waitFor();

    const finn = await signInAs(app.browser, app.t.baseUrl, 'fresh_finn', PASSWORD);
    await finn.page.goto(`${app.t.baseUrl}/t/${idea.id}`);
    await finn.page.locator('[data-testid=votes-held]').waitFor();
    await finn.page.click(`${panel} [data-testid=vote-button]`);
    await finn.page.locator(`${panel} [data-testid=vote-button][aria-pressed=true]`).waitFor();
    await finn.page.locator('[data-testid=vote-held]').waitFor();
    // the count never moved, not even for a moment
    expect(await finn.page.locator(count).textContent()).toBe('0');
    await shoot(finn.page, 'vote-held');
    // reloaded, the vote is still theirs and still waiting
    await finn.page.reload();
    await finn.page.locator('[data-testid=vote-held]').waitFor();
    expect(await bea.page.locator(count).textContent()).toBe('0');

    const mia = await signInAs(app.browser, app.t.baseUrl, 'mod_mia', PASSWORD);
    const raised = await api(mia.page, 'PUT', `/api/moderation/users/${fresh.id}/trust-level`, { level: 1 });
    expect(raised.status).toBe(200);
    // the open page of another member shows the vote counted, without a reload
    await bea.page.locator(`${count}:text-is("1")`).waitFor({ timeout: 5_000 });
    await finn.page.reload();
    await finn.page.locator(`${count}:text-is("1")`).waitFor();
    expect(await finn.page.locator('[data-testid=vote-held]').count()).toBe(0);
    expect(await finn.page.locator('[data-testid=votes-held]').count()).toBe(0);
    expect(finn.problems).toEqual([]);
    expect(bea.problems).toEqual([]);
  });
});

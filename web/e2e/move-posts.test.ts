import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makePost, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp();
const PASSWORD = E2E_PASSWORD;

describe('moving posts in the browser', () => {
  it('a moderator splits two replies into a new thread; a member’s open page of the source sees them go', async () => {
    const category = await makeCategory(app.t, { slug: 'audio', name: 'Audio' });
    const elsewhere = await makeCategory(app.t, { slug: 'accessories', name: 'Accessories' });
    const [author, reader] = await Promise.all(
      ['split_author', 'split_reader'].map((username) => makeAccount(app.t, { username, password: PASSWORD })),
    );
    await makeAccount(app.t, { username: 'split_mod', password: PASSWORD, role: 'moderator' });
    if (!author || !reader) throw new Error('accounts');
    const thread = await makeThread(app.t, author, { categoryId: category.id, title: 'Headphones firmware 2.1 notes' });
    await makePost(app.t, reader, thread.id, 'The update fixed the pairing for me.');
    await makePost(app.t, author, thread.id, 'Off topic: which case fits these headphones?');
    await makePost(app.t, reader, thread.id, 'The grey travel case from the shop fits well.');
    await makePost(app.t, author, thread.id, 'Back to firmware: battery reporting is better now.');

    // the member has the thread open the whole time
    const member = await signInAs(app.browser, app.t.baseUrl, 'split_reader', PASSWORD);
    await member.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await member.page.locator('[data-testid=post][data-post-number="5"]').waitFor();
    expect(await member.page.locator('[data-testid=select-posts]').count()).toBe(0); // staff only

    const mod = await signInAs(app.browser, app.t.baseUrl, 'split_mod', PASSWORD);
    await mod.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await mod.page.locator('[data-testid=select-posts]').click();
    for (const number of [3, 4]) {
      await mod.page.locator(`[data-testid=post][data-post-number="${number}"] [data-testid=select-post]`).check();
    }
    await mod.page.waitForSelector('[data-testid=selected-count]:has-text("2 posts selected")');
    await shoot(mod.page, 'move-posts-selecting');
    await mod.page.locator('[data-testid=open-move-posts]').click();
    const dialog = mod.page.locator('[data-testid=move-posts-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=move-mode-new]').check();
    await dialog.locator('[data-testid=move-new-title]').fill('Which case fits the headphones');
    await dialog.locator('[data-testid=move-new-category]').selectOption(String(elsewhere.id));
    await shoot(mod.page, 'move-posts-dialog', false);
    await dialog.locator('[data-testid=confirm-move-posts]').click();

    // the moderator lands on the new thread, its posts numbered 1 and 2
    await mod.page.waitForSelector('[data-testid=thread-title]:has-text("Which case fits the headphones")');
    expect(mod.page.url()).toMatch(/\/t\/\d+$/);
    const moved = mod.page.locator('[data-testid=post]');
    expect(await moved.evaluateAll((posts) => posts.map((p) => p.getAttribute('data-post-number')))).toEqual([
      '1',
      '2',
    ]);
    expect(await moved.first().textContent()).toContain('which case fits');
    await shoot(mod.page, 'move-posts-new-thread');

    // the member's page drops them without a reload; what stayed keeps its numbers
    await member.page
      .locator('[data-testid=post][data-post-number="3"]')
      .waitFor({ state: 'detached', timeout: 5_000 });
    await member.page.locator('[data-testid=post][data-post-number="4"]').waitFor({ state: 'detached' });
    expect(
      await member.page
        .locator('[data-testid=post]')
        .evaluateAll((posts) => posts.map((p) => p.getAttribute('data-post-number'))),
    ).toEqual(['1', '2', '5']);
    expect(member.problems).toEqual([]);
    expect(mod.problems).toEqual([]);
  });

  it('a moderator moves a reply into an existing thread found by its address', async () => {
    const category = await makeCategory(app.t, { slug: 'cameras', name: 'Cameras' });
    const author = await makeAccount(app.t, { username: 'merge_author', password: PASSWORD });
    await makeAccount(app.t, { username: 'merge_mod', password: PASSWORD, role: 'moderator' });
    const from = await makeThread(app.t, author, { categoryId: category.id, title: 'Lens cap keeps falling off' });
    await makePost(app.t, author, from.id, 'Also: the strap clip broke.');
    const into = await makeThread(app.t, author, { categoryId: category.id, title: 'Strap clip problems collected' });

    const mod = await signInAs(app.browser, app.t.baseUrl, 'merge_mod', PASSWORD);
    await mod.page.goto(`${app.t.baseUrl}/t/${from.id}`);
    await mod.page.locator('[data-testid=select-posts]').click();
    await mod.page.locator('[data-testid=post][data-post-number="2"] [data-testid=select-post]').check();
    await mod.page.locator('[data-testid=open-move-posts]').click();
    const dialog = mod.page.locator('[data-testid=move-posts-dialog]');
    await dialog.locator('[data-testid=move-target]').fill(`${app.t.baseUrl}/t/${into.id}`);
    await dialog.locator('[data-testid=move-target-name]:has-text("Strap clip problems collected")').waitFor();
    await shoot(mod.page, 'move-posts-existing', false);
    await dialog.locator('[data-testid=confirm-move-posts]').click();
    await mod.page.waitForSelector('[data-testid=thread-title]:has-text("Strap clip problems collected")');
    await mod.page.locator('[data-testid=post][data-post-number="2"]:has-text("strap clip broke")').waitFor();
    expect(mod.problems).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makePost, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, openAccountMenu, shoot, signInAs, watchPage } from './browser';

const app = browserTestApp();

const background = (page: import('playwright-core').Page) =>
  page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
const LIGHT = 'rgb(247, 247, 250)';
const DARK = 'rgb(21, 20, 26)';

describe('reading: the keyboard, light or dark, links to posts, where one is in a long thread', () => {
  it('switches between the system’s scheme, light and dark, and keeps the choice on this device', async () => {
    const context = await app.browser.newContext({ locale: 'en-US', colorScheme: 'light' });
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${app.t.baseUrl}/`);
    await page.locator('[data-testid=theme-select]').waitFor();
    // as the system says, by default
    expect(await page.inputValue('[data-testid=theme-select]')).toBe('system');
    expect(await background(page)).toBe(LIGHT);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(page)).toBe(DARK);

    // chosen: light against a dark system, remembered after a reload
    await page.selectOption('[data-testid=theme-select]', 'light');
    expect(await background(page)).toBe(LIGHT);
    await page.reload();
    await page.locator('[data-testid=theme-select]').waitFor();
    expect(await page.inputValue('[data-testid=theme-select]')).toBe('light');
    expect(await background(page)).toBe(LIGHT);
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('[data-testid=theme-select]', 'dark');
    expect(await background(page)).toBe(DARK);
    await shoot(page, 'theme-dark');
    // back to the system's: nothing kept
    await page.selectOption('[data-testid=theme-select]', 'system');
    expect(await background(page)).toBe(LIGHT);
    expect(await page.evaluate<string | null>("window.localStorage.getItem('fanlab:theme')")).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('moves between posts and rows with j and k, opens with o, replies with r, searches with /, goes with g', async () => {
    const category = await makeCategory(app.t, { slug: 'keys', name: 'Keys' });
    const writer = await makeAccount(app.t, { username: 'keys_kim', password: E2E_PASSWORD });
    const older = await makeThread(app.t, writer, { categoryId: category.id, title: 'An older thread about keys' });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Shortcuts for power readers' });
    for (const body of ['Second post.', 'Third post.', 'Fourth post.']) await makePost(app.t, writer, thread.id, body);

    const { context, page, problems } = await signInAs(app.browser, app.t.baseUrl, 'keys_kim', E2E_PASSWORD);
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await page.locator('#post-4[data-testid=post]').waitFor();
    // the shortcuts listen once the footer's chunk has loaded (it loads after the page)
    await page.locator('[data-testid=shortcuts-open]').waitFor();
    const selected = () => page.locator('.keyboard-selected').getAttribute('data-post-number');
    await page.keyboard.press('j');
    expect(await selected()).toBe('1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await selected()).toBe('3');
    await page.keyboard.press('k');
    expect(await selected()).toBe('2');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('post-2');

    // r: into the reply box, where letters are text, not shortcuts
    await page.keyboard.press('r');
    await page.keyboard.type('just keys');
    expect(await page.inputValue('[data-testid=composer]')).toBe('just keys');
    expect(await selected()).toBe('2');
    await page.locator('[data-testid=composer]').fill('');
    await page.locator('#post-1 [data-testid=post-body]').click();

    // ?: the list of them, closed with Escape
    await page.keyboard.press('?');
    await page.locator('[data-testid=shortcuts]').waitFor();
    expect(await page.locator('[data-testid=shortcuts] .shortcut').count()).toBe(9);
    await shoot(page, 'shortcuts', false);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=shortcuts]').waitFor({ state: 'hidden' });

    // /: the search box
    await page.keyboard.press('/');
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid')")).toBe(
      'header-search-input',
    );
    await page.locator('#post-1 [data-testid=post-body]').click();

    // g then l: Latest; j and o open the row's thread
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.waitForURL(/\/latest$/);
    await page.locator(`[data-testid=thread-list-item][data-thread-id="${older.id}"]`).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const second = await page.locator('.keyboard-selected').getAttribute('data-thread-id');
    expect(second).toBe(String(older.id));
    await page.keyboard.press('o');
    await page.waitForURL(new RegExp(`/t/${older.id}`));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('numbers posts, gives each a letter avatar and a link to share, and shows the place in a long thread', async () => {
    const category = await makeCategory(app.t, { slug: 'long', name: 'Long reads' });
    const writer = await makeAccount(app.t, { username: 'long_lou', password: E2E_PASSWORD });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'A thread that goes on and on' });
    for (let i = 2; i <= 24; i++)
      await makePost(app.t, writer, thread.id, `Reply number ${i}.\n\n${'More words. '.repeat(30)}`);

    const context = await app.browser.newContext({
      locale: 'en-US',
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await page.locator('#post-20[data-testid=post]').waitFor();
    expect(await page.locator('#post-3 [data-testid=post-number]').textContent()).toBe('#3');
    expect(await page.locator('#post-3 [data-testid=avatar]').textContent()).toBe('L');

    // the place: the post at the top of the screen, of all of them
    expect(await page.locator('[data-testid=thread-position]').textContent()).toContain('1 / 24');
    await page.evaluate('document.querySelector("#post-12").scrollIntoView({ block: "start" })');
    await expect
      .poll(() => page.locator('[data-testid=thread-position] [aria-hidden]').textContent())
      .toMatch(/^1[12] \/ 24$/);
    await shoot(page, 'thread-position', false);

    // a post's link, copied; opened, it brings that post into view
    await page.locator('#post-12 [data-testid=share-button]').click();
    await page.locator('#post-12 [data-testid=share-status]:text-is("Link copied")').waitFor();
    const link = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(link).toBe(`${app.t.baseUrl}/t/${thread.id}/12`);
    const other = await context.newPage();
    await other.goto(link);
    await other.locator('#post-12.post-highlighted').waitFor();
    const top = await other.evaluate<number>('document.querySelector("#post-12").getBoundingClientRect().top');
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(720);
    // a short thread has no indicator
    const short = await makeThread(app.t, writer, { categoryId: category.id, title: 'A short thread, only one post' });
    await page.goto(`${app.t.baseUrl}/t/${short.id}`);
    await page.locator('#post-1[data-testid=post]').waitFor();
    expect(await page.locator('[data-testid=thread-position]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('bookmarks a post, lists it on the bookmarks page, opens it there and takes it back', async () => {
    const category = await makeCategory(app.t, { slug: 'keep', name: 'Keepers' });
    const writer = await makeAccount(app.t, { username: 'keep_kai', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'keep_reader', password: E2E_PASSWORD });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Firmware flashing guide' });
    await makePost(app.t, writer, thread.id, 'Step one: back up everything.');
    await makePost(app.t, writer, thread.id, 'Step two: hold the volume key while it boots.');

    const { context, page, problems } = await signInAs(app.browser, app.t.baseUrl, 'keep_reader', E2E_PASSWORD);
    await page.goto(`${app.t.baseUrl}/bookmarks`);
    await page.locator('[data-testid=empty-state]').waitFor();
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const button = page.locator('#post-3 [data-testid=bookmark-button]');
    await button.click();
    await page.locator('#post-3 [data-testid=bookmark-button][aria-pressed=true]').waitFor();
    expect(await button.textContent()).toBe('Bookmarked');
    // kept on the server: still there after a reload
    await page.reload();
    await page.locator('#post-3 [data-testid=bookmark-button][aria-pressed=true]').waitFor();

    await openAccountMenu(page);
    await page.click('[data-testid=nav-bookmarks]');
    await page.locator('[data-testid=bookmark-item]').waitFor();
    expect(await page.locator('[data-testid=bookmark-item] .activity-excerpt').textContent()).toBe(
      'Step two: hold the volume key while it boots.',
    );
    await shoot(page, 'bookmarks');
    await page.click('[data-testid=bookmark-link]');
    await page.locator('#post-3.post-highlighted').waitFor();
    await page.goBack();
    await page.click('[data-testid=bookmark-remove]');
    await page.locator('[data-testid=empty-state]').waitFor();
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await page.locator('#post-3 [data-testid=bookmark-button][aria-pressed=false]').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('chooses how much to hear about a thread and a category, hears it live, and lists the choices on the account page', async () => {
    const category = await makeCategory(app.t, { slug: 'levels', name: 'Levels' });
    const quiet = await makeCategory(app.t, { slug: 'quiet-corner', name: 'Quiet corner' });
    const writer = await makeAccount(app.t, { username: 'level_lea', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'level_reader', password: E2E_PASSWORD });
    const thread = await makeThread(app.t, writer, {
      categoryId: category.id,
      title: 'Battery life on the new firmware',
    });
    await makePost(app.t, writer, thread.id, 'My numbers after a week.');

    const { context, page, problems } = await signInAs(app.browser, app.t.baseUrl, 'level_reader', E2E_PASSWORD);
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const select = page.locator('[data-testid=notification-level-threads] [data-testid=notification-level]');
    await select.waitFor();
    expect(await select.inputValue()).toBe('normal');
    await page.selectOption('[data-testid=notification-level-threads] select', 'watching');
    await page.locator('.notification-level-help:text-is("You hear of every new post in this thread.")').waitFor();
    await shoot(page, 'notification-level-thread');

    // a reply to someone else's post: a watcher hears of it, live
    await makePost(app.t, writer, thread.id, 'And a follow-up to myself.', 2);
    await page.waitForSelector('[data-testid=notification-count]:text-is("1")');
    await page.click('[data-testid=notification-bell]');
    await page.locator('[data-testid=notification-menu] [data-testid=notification-item]').waitFor();
    expect(
      await page.locator('[data-testid=notification-menu] [data-testid=notification-item]').first().innerText(),
    ).toContain('level_lea posted in “Battery life on the new firmware”');
    await page.keyboard.press('Escape');

    // a category, muted: it says what that means and the account page lists it
    await page.goto(`${app.t.baseUrl}/c/quiet-corner`);
    const categorySelect = page.locator('[data-testid=notification-level-categories] select');
    await categorySelect.waitFor();
    expect(await categorySelect.inputValue()).toBe('normal');
    await categorySelect.selectOption('muted');
    await page
      .locator(
        '.notification-level-help:text-is("You hear nothing from this category, and its threads stay out of New and Unread.")',
      )
      .waitFor();
    await shoot(page, 'notification-level-category');
    await page.goto(`${app.t.baseUrl}/account`);
    await page.locator('[data-testid=category-levels] .level-item').waitFor();
    expect(await page.locator('[data-testid=category-levels] .level-item > span').innerText()).toBe(quiet.name);
    expect(await page.locator('[data-testid=category-levels] select').inputValue()).toBe('muted');
    await page.locator('[data-testid=watching-threads] a:text-is("Battery life on the new firmware")').waitFor();
    expect(await page.locator('[data-testid=notification-levels] .notice').last().innerText()).toBe(
      'You muted no threads.',
    );
    await shoot(page, 'notification-levels-account');
    // unmuted from there, kept on the server
    await page.locator('[data-testid=category-levels] select').selectOption('normal');
    await page
      .locator(
        '[data-testid=category-levels] [aria-live]:text-is("You hear when someone mentions, quotes or replies to you.")',
      )
      .waitFor({ state: 'attached' });
    await page.reload();
    await page.locator('[data-testid=category-levels] select').waitFor();
    expect(await page.locator('[data-testid=category-levels] select').inputValue()).toBe('normal');
    expect(problems).toEqual([]);
    await context.close();
  });
});

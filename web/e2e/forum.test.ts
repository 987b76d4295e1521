import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { makeAccount, makeCategory } from '../../server/test/factories';
import { api, launchBrowser, shoot, signInAs } from './browser';

let t: TestApp;
let browser: Browser;
let generalId: number;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  browser = await launchBrowser();
  for (const [username, role] of [
    ['forum_admin', 'admin'],
    ['forum_bob', 'member'],
    ['forum_carla', 'member'],
    ['forum_dora', 'member'],
  ] as const) {
    await makeAccount(t, { username, role, password: PASSWORD });
  }
  const general = await makeCategory(t, { slug: 'general', name: 'General', description: 'About anything' });
  generalId = general.id;
  await makeCategory(t, { slug: 'music', name: 'Music', parentId: general.id, color: '#8a4fd1' });
  await makeCategory(t, { slug: 'news', name: 'News', whoCanStart: 'staff' });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const PASSWORD = 'amber-kettle-horizon';

const signedIn = (username: string) => signInAs(browser, t.baseUrl, username, PASSWORD);

describe('the forum in the browser', () => {
  it('starts a thread with a server preview, replies, quotes, likes, edits and deletes', async () => {
    const { context, page, problems } = await signedIn('forum_bob');
    await page.goto(`${t.baseUrl}/`);
    await page.click('[data-testid=category-card][data-category-slug=general] [data-testid=category-link]');
    await page.waitForSelector('[data-testid=empty-state]');
    await page.click('[data-testid=new-thread-button]');

    await page.fill('[data-testid=composer-title]', 'Short');
    await page.fill('[data-testid=composer]', 'Hello **there**\n\n<script>alert(1)</script>');
    await page.click('[data-testid=composer-submit]');
    await page.waitForSelector('[data-testid=form-error]');
    await page.click('[data-testid=preview-toggle]');
    await page.waitForSelector('[data-testid=preview] strong:text-is("there")');
    expect(await page.locator('[data-testid=preview] script').count()).toBe(0);
    await page.click('[data-testid=preview-toggle]');
    await page.fill('[data-testid=composer-title]', 'My first thread in the browser');
    await page.click('[data-testid=composer-submit]');
    await page.waitForURL(/\/t\/\d+$/);
    const threadId = Number(new URL(page.url()).pathname.split('/')[2]);
    await page.waitForSelector('#post-1[data-testid=post]');
    expect(await page.locator('#post-1 [data-testid=like-button]').isDisabled()).toBe(true);

    // someone else replies: a bar announces it, nothing moves until it is clicked
    const carla = await signedIn('forum_carla');
    expect(
      (await api(carla.page, 'POST', `/api/threads/${threadId}/posts`, { body: 'Welcome, @forum_bob!' })).status,
    ).toBe(201);
    await page.waitForSelector('[data-testid=new-replies-bar]');
    expect(await page.locator('[data-testid=post]').count()).toBe(1);
    await page.click('[data-testid=new-replies-bar]');
    await page.waitForSelector('#post-2 a.mention');
    expect(await page.locator('[data-testid=new-replies-bar]').count()).toBe(0);

    await page.click('#post-2 [data-testid=like-button]');
    await page.waitForSelector('#post-2 [data-testid=like-button][aria-pressed=true]');

    // quote, then reply: the own reply is appended at once
    await page.click('#post-2 [data-testid=quote-button]');
    expect(await page.inputValue('[data-testid=composer]')).toBe(
      `[quote="forum_carla, post:2, thread:${threadId}"]\nWelcome, @forum_bob!\n[/quote]\n\n`,
    );
    await page.locator('[data-testid=composer]').press('End');
    await page.locator('[data-testid=composer]').pressSequentially('Thanks!');
    await page.click('[data-testid=composer-submit]');
    await page.waitForSelector('#post-3 aside.quote');
    expect(await page.inputValue('[data-testid=composer]')).toBe('');

    await page.click('#post-3 [data-testid=edit-button]');
    await page.fill('[data-testid=edit-composer]', 'Thanks, edited');
    await page.click('[data-testid=edit-save]');
    await page.waitForSelector('#post-3 [data-testid=edited-marker]');
    expect(await page.textContent('#post-3 [data-testid=post-body]')).toContain('Thanks, edited');

    await page.click('#post-3 [data-testid=delete-button]');
    await page.click('#post-3 [data-testid=confirm-delete]');
    await page.waitForSelector('#post-3 [data-testid=post-deleted]');

    // the thread shows in the category list with its counts
    await page.goto(`${t.baseUrl}/c/general`);
    const item = page.locator(`[data-testid=thread-list-item][data-thread-id="${threadId}"]`);
    await item.waitFor();
    expect(await item.locator('[data-testid=reply-count]').textContent()).toBe('1');

    expect(problems).toEqual([]);
    expect(carla.problems).toEqual([]);
    await carla.context.close();
    await context.close();
  });

  it('asks before leaving a new thread, a reply or an edit with unsent text, and not after sending it', async () => {
    const { context, page, problems } = await signedIn('forum_carla');
    const dialogs: { type: string; message: string }[] = [];
    let answer = false;
    // this test expects dialogs: it answers them itself (and checks each) instead of watchPage
    page.removeAllListeners('dialog');
    page.on('dialog', (dialog) => {
      dialogs.push({ type: dialog.type(), message: dialog.message() });
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    await page.goto(`${t.baseUrl}/c/general/new`);
    await page.waitForSelector('[data-testid=new-thread-form]');
    // nothing typed: leaving asks nothing
    await page.click('a.site-name');
    await page.waitForSelector('[data-testid=category-card]');
    expect(dialogs).toEqual([]);

    await page.goto(`${t.baseUrl}/c/general/new`);
    await page.fill('[data-testid=composer-title]', 'A thread I am still writing');
    await page.click('a.site-name');
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toEqual({
      type: 'confirm',
      message: 'You have text you have not sent. Leave this page and lose it?',
    });
    // stayed, with the text
    expect(new URL(page.url()).pathname).toBe('/c/general/new');
    expect(await page.inputValue('[data-testid=composer-title]')).toBe('A thread I am still writing');

    // sent: the page moves to the thread without asking
    await page.fill('[data-testid=composer]', 'Its body.');
    await page.click('[data-testid=composer-submit]');
    await page.waitForURL(/\/t\/\d+$/);
    await page.waitForSelector('#post-1[data-testid=post]');
    expect(dialogs).toHaveLength(1);

    // a reply typed and not sent: a reload asks (the browser's own prompt)
    await page.fill('[data-testid=composer]', 'A reply in progress');
    answer = true;
    await page.reload();
    await page.waitForSelector('#post-1[data-testid=post]');
    expect(dialogs.map((d) => d.type)).toEqual(['confirm', 'beforeunload']);

    // an edit changed and not saved asks too; the same text as before does not
    await page.click('#post-1 [data-testid=edit-button]');
    await page.waitForSelector('[data-testid=edit-composer]');
    await page.click('a.site-name');
    // the URL moves first; the home page shows once its code has loaded
    await page.waitForSelector('[data-testid=category-card]');
    expect(dialogs).toHaveLength(2);
    await page.goBack();
    await page.click('#post-1 [data-testid=edit-button]');
    await page.locator('[data-testid=edit-composer]').press('End');
    await page.locator('[data-testid=edit-composer]').pressSequentially(' More.');
    answer = false;
    await page.click('a.site-name');
    await expect.poll(() => dialogs.length).toBe(3);
    expect(dialogs.map((d) => d.type)).toEqual(['confirm', 'beforeunload', 'confirm']);
    expect(new URL(page.url()).pathname).toMatch(/^\/t\/\d+$/);
    expect(await page.inputValue('[data-testid=edit-composer]')).toBe('Its body. More.');
    // answered "leave": it leaves
    answer = true;
    await page.click('a.site-name');
    await page.waitForSelector('[data-testid=category-card]');
    expect(dialogs).toHaveLength(4);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps each composer as a draft on the server: marked saved, restored on reload and on another device, gone once sent', async () => {
    const laptop = await signedIn('forum_dora');
    const draftOf = async (key: string) =>
      ((await api(laptop.page, 'GET', `/api/me/drafts/${key}`)).body as { draft: { body: string } | null }).draft;
    await laptop.page.goto(`${t.baseUrl}/c/general/new`);
    await laptop.page.waitForSelector('[data-testid=new-thread-form]');
    await laptop.page.fill('[data-testid=composer-title]', 'Battery life on the new firmware');
    await laptop.page.fill('[data-testid=composer]', 'Since the update my phone lasts two hours less.');
    await laptop.page.waitForSelector('[data-testid=draft-state][data-state=saved]');
    expect(await laptop.page.textContent('[data-testid=draft-state]')).toBe('Draft saved');
    await shoot(laptop.page, 'draft-saved');
    // kept on the server: leaving asks nothing (watchPage records any dialog as a problem)
    await laptop.page.click('a.site-name');
    await laptop.page.waitForSelector('[data-testid=category-card]');

    // the same member on another device finds it; nobody else does
    const phone = await signedIn('forum_dora');
    await phone.page.goto(`${t.baseUrl}/c/general/new`);
    await expect
      .poll(() => phone.page.inputValue('[data-testid=composer-title]'))
      .toBe('Battery life on the new firmware');
    expect(await phone.page.inputValue('[data-testid=composer]')).toBe(
      'Since the update my phone lasts two hours less.',
    );
    expect(await phone.page.textContent('[data-testid=draft-state]')).toMatch(/^Draft restored \(saved /);
    await shoot(phone.page, 'draft-restored');
    const bob = await signedIn('forum_bob');
    expect((await api(bob.page, 'GET', `/api/me/drafts/thread:${generalId}`)).body).toEqual({ draft: null });

    // sent: the draft is gone
    await phone.page.click('[data-testid=composer-submit]');
    await phone.page.waitForURL(/\/t\/\d+$/);
    await phone.page.waitForSelector('#post-1[data-testid=post]');
    await expect.poll(() => draftOf(`thread:${generalId}`)).toBeNull();
    const threadId = Number(new URL(phone.page.url()).pathname.split('/')[2]);

    // a reply typed and the page reloaded at once, before the pause: saved as the page goes away
    phone.page.removeAllListeners('dialog');
    phone.page.on('dialog', (dialog) => void dialog.accept());
    await phone.page.fill('[data-testid=composer]', 'Same here, two hours less.');
    await phone.page.reload();
    await expect.poll(() => phone.page.inputValue('[data-testid=composer]')).toBe('Same here, two hours less.');
    expect(await draftOf(`reply:${threadId}`)).toMatchObject({ body: 'Same here, two hours less.' });
    // thrown away: the composer empties and the server forgets it
    await phone.page.click('[data-testid=draft-discard]');
    expect(await phone.page.inputValue('[data-testid=composer]')).toBe('');
    await expect.poll(() => draftOf(`reply:${threadId}`)).toBeNull();

    // an edit in progress comes back when the post is edited again; cancelling throws it away
    await laptop.page.goto(`${t.baseUrl}/t/${threadId}`);
    await laptop.page.click('#post-1 [data-testid=edit-button]');
    await laptop.page.locator('[data-testid=edit-composer]').press('End');
    await laptop.page.locator('[data-testid=edit-composer]').pressSequentially(' Firmware 2.1.');
    await laptop.page.waitForSelector('[data-testid=post-editor] [data-testid=draft-state][data-state=saved]');
    await laptop.page.reload();
    await laptop.page.click('#post-1 [data-testid=edit-button]');
    await expect
      .poll(() => laptop.page.inputValue('[data-testid=edit-composer]'))
      .toBe('Since the update my phone lasts two hours less. Firmware 2.1.');
    const postId = Number(await laptop.page.getAttribute('#post-1', 'data-post-id'));
    expect(await draftOf(`edit:${postId}`)).toMatchObject({
      body: 'Since the update my phone lasts two hours less. Firmware 2.1.',
    });
    await laptop.page.click('[data-testid=post-editor] button:text-is("Cancel")');
    await expect.poll(() => draftOf(`edit:${postId}`)).toBeNull();
    await laptop.page.click('#post-1 [data-testid=edit-button]');
    expect(await laptop.page.inputValue('[data-testid=edit-composer]')).toBe(
      'Since the update my phone lasts two hours less.',
    );

    expect(laptop.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
    for (const session of [laptop, phone, bob]) await session.context.close();
  });

  it('formats with the toolbar, suggests members to mention, and previews side by side on a wide screen', async () => {
    const bob = await signedIn('forum_bob');
    const thread = await api(bob.page, 'POST', '/api/threads', {
      categoryId: generalId,
      title: 'Toolbar and mentions',
      body: 'Opening post',
    });
    const { context, page, problems } = await signedIn('forum_carla');
    await page.goto(`${t.baseUrl}/t/${thread.body.id}`);
    const box = page.locator('[data-testid=composer]');
    await box.click();
    await box.pressSequentially('Thanks @forum_b');
    await page.locator('[data-testid=mention-option]:text-is("forum_bob")').waitFor();
    expect(await page.locator('[data-testid=mention-option]').count()).toBe(1);
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Thanks @forum_bob ');
    expect(await page.locator('[data-testid=mentions]').count()).toBe(0);

    // several: the arrow keys choose, Escape closes and keeps the text as typed
    await box.pressSequentially('and @forum_');
    await expect.poll(() => page.locator('[data-testid=mention-option]').count()).toBeGreaterThanOrEqual(3);
    const second = await page.locator('[data-testid=mention-option]').nth(1).textContent();
    await box.press('ArrowDown');
    expect(await page.locator('[data-testid=mention-option][aria-selected=true]').textContent()).toBe(second);
    await box.press('Escape');
    expect(await page.locator('[data-testid=mentions]').count()).toBe(0);
    expect(await box.inputValue()).toBe('Thanks @forum_bob and @forum_');
    await box.pressSequentially('carla, this is great');

    // the toolbar and Ctrl+I act on the selection
    const select = (from: string, to: string) =>
      page.evaluate(
        `(() => { const el = document.querySelector('[data-testid=composer]'); el.setSelectionRange(${from}, ${to}); })()`,
      );
    await select('el.value.length - 5', 'el.value.length');
    await page.click('[data-testid=format-bold]');
    await expect.poll(() => box.inputValue()).toBe('Thanks @forum_bob and @forum_carla, this is **great**');
    await select('0', '6');
    await box.press('Control+i');
    await expect.poll(() => box.inputValue()).toBe('_Thanks_ @forum_bob and @forum_carla, this is **great**');

    // wide: the preview beside the text; on a phone, instead of it
    await page.click('[data-testid=preview-toggle]');
    await page.locator('[data-testid=preview] strong:text-is("great")').waitFor();
    expect(await page.locator('[data-testid=preview] a.mention').count()).toBe(2);
    expect(await box.isVisible()).toBe(true);
    await shoot(page, 'composer-side-by-side', false);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await box.isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(problems).toEqual([]);
    expect(bob.problems).toEqual([]);
    await bob.context.close();
    await context.close();
  });

  it('offers each reader the actions the server allows: staff restore and read histories, authors rename', async () => {
    const bob = await signedIn('forum_bob');
    const carla = await signedIn('forum_carla');
    const admin = await signedIn('forum_admin');
    const thread = await api(bob.page, 'POST', '/api/threads', {
      categoryId: generalId,
      title: 'Who may do what here',
      body: 'Opening post',
    });
    const reply = await api(carla.page, 'POST', `/api/threads/${thread.body.id}/posts`, { body: 'First words' });
    expect((await api(carla.page, 'PATCH', `/api/posts/${reply.body.id}`, { body: 'Second words' })).status).toBe(200);
    expect((await api(carla.page, 'DELETE', `/api/posts/${reply.body.id}`)).status).toBe(204);

    // the only other reply is deleted: the author may rename and delete; restoring and histories are staff's
    await bob.page.goto(`${t.baseUrl}/t/${thread.body.id}`);
    await bob.page.waitForSelector('#post-2 [data-testid=post-deleted]');
    await bob.page.waitForSelector('[data-testid=rename-thread]');
    expect(await bob.page.locator('[data-testid=delete-thread]').count()).toBe(1);
    expect(await bob.page.locator('#post-2 [data-testid=restore-button]').count()).toBe(0);
    expect(await bob.page.locator('#post-2 button[data-testid=edited-marker]').count()).toBe(0);
    expect(await bob.page.locator('#post-2 .cooked-deleted').count()).toBe(0);

    // a member who is not the author gets neither
    await carla.page.goto(`${t.baseUrl}/t/${thread.body.id}`);
    await carla.page.waitForSelector('#post-1[data-testid=post]');
    expect(await carla.page.locator('[data-testid=rename-thread]').count()).toBe(0);
    expect(await carla.page.locator('[data-testid=delete-thread]').count()).toBe(0);

    // staff read the deleted text and the history, and restore
    await admin.page.goto(`${t.baseUrl}/t/${thread.body.id}`);
    await admin.page.waitForSelector('#post-2 .cooked-deleted');
    await admin.page.waitForSelector('#post-2 button[data-testid=edited-marker]');
    await admin.page.waitForSelector('[data-testid=delete-thread]');
    await admin.page.click('#post-2 [data-testid=restore-button]');
    await admin.page.waitForSelector('#post-2 [data-testid=post-body]');

    // with the reply back, the author may no longer delete the thread
    await bob.page.reload();
    await bob.page.waitForSelector('#post-2 [data-testid=post-body]');
    await bob.page.waitForSelector('[data-testid=rename-thread]');
    expect(await bob.page.locator('[data-testid=delete-thread]').count()).toBe(0);

    for (const each of [bob, carla, admin]) {
      expect(each.problems).toEqual([]);
      await each.context.close();
    }
  });

  it('keeps the notification count live and marks notifications read', async () => {
    const bob = await signedIn('forum_bob');
    const carla = await signedIn('forum_carla');
    const thread = await api(bob.page, 'POST', '/api/threads', {
      categoryId: generalId,
      title: 'Notifications arrive live',
      body: 'Reply to me',
    });
    await bob.page.goto(`${t.baseUrl}/latest`);
    await bob.page.waitForSelector(`[data-testid=thread-list-item][data-thread-id="${thread.body.id}"]`);
    await api(bob.page, 'POST', '/api/notifications/read', { all: true });
    await bob.page.reload();
    await bob.page.waitForSelector('[data-testid=thread-list-item]');
    expect(await bob.page.locator('[data-testid=notification-count]').count()).toBe(0);

    await api(carla.page, 'POST', `/api/threads/${thread.body.id}/posts`, { body: 'A reply for you' });
    await bob.page.waitForSelector('[data-testid=notification-count]:text-is("1")');
    await bob.page.click('[data-testid=notification-bell]');
    await bob.page.waitForSelector('[data-testid=notification-menu] [data-testid=notification-item]');
    await bob.page.click('[data-testid=all-notifications]');
    await bob.page.waitForURL(/\/notifications$/);
    await bob.page.waitForSelector('[data-testid=notification-list] [data-testid=notification-item][data-read=false]');
    await bob.page.click('[data-testid=mark-all-read]');
    await bob.page.waitForSelector('[data-testid=notification-count]', { state: 'detached' });
    expect(bob.problems).toEqual([]);
    await bob.context.close();
    await carla.context.close();
  });

  it('searches, shows user cards and profiles, guards staff-only categories and unknown pages', async () => {
    const { context, page, problems } = await signedIn('forum_carla');
    await api(page, 'POST', '/api/threads', {
      categoryId: generalId,
      title: 'Searching for zeppelins',
      body: 'Zeppelins are great airships',
    });
    await page.goto(`${t.baseUrl}/search`);
    await page.fill('[data-testid=search-input]', 'zeppelins');
    await page.click('[data-testid=search-submit]');
    await page.waitForSelector('[data-testid=search-result] mark');

    await page.click('[data-testid=search-result] [data-testid=user-link]');
    await page.waitForSelector('[data-testid=user-card] .user-card-stats');
    await page.click('[data-testid=user-card-profile]');
    await page.waitForSelector('[data-testid=profile-username]:text-is("forum_carla")');
    await page.waitForSelector('[data-testid=activity-item]');

    await page.goto(`${t.baseUrl}/c/news`);
    await page.waitForSelector('[data-testid=staff-only-notice]');
    expect(await page.locator('[data-testid=new-thread-button]').count()).toBe(0);

    for (const path of ['/t/999999', '/c/no-such-category', '/u/no_such_user']) {
      await page.goto(`${t.baseUrl}${path}`);
      await page.waitForSelector('[data-testid=not-found]');
    }
    // the 404 answers themselves are logged by the browser, nothing else
    expect(problems).toEqual([]);
    await context.close();
  });

  it('moves the read marker as the reader scrolls, and lists show new and unread', async () => {
    const bob = await signedIn('forum_bob');
    const carla = await signedIn('forum_carla');
    const thread = await api(bob.page, 'POST', '/api/threads', {
      categoryId: generalId,
      title: 'A long thread to read through',
      body: 'Post one',
    });
    const id = thread.body.id as number;
    for (let i = 2; i <= 30; i++) {
      await api(bob.page, 'POST', `/api/threads/${id}/posts`, {
        body: `Post number ${i}\n\n${'Some text. '.repeat(20)}`,
      });
    }
    const item = carla.page.locator(`[data-testid=thread-list-item][data-thread-id="${id}"]`);
    await carla.page.goto(`${t.baseUrl}/latest`);
    await item.locator('[data-testid=new-badge]').waitFor();

    await carla.page.goto(`${t.baseUrl}/t/${id}`);
    await carla.page.waitForSelector('#post-1');
    const marker = async () =>
      (
        await t.db
          .selectFrom('thread_reads')
          .innerJoin('users', 'users.id', 'thread_reads.user_id')
          .select('last_read_post_number')
          .where('users.username', '=', 'forum_carla')
          .where('thread_id', '=', id)
          .executeTakeFirst()
      )?.last_read_post_number ?? 0;
    await expect.poll(marker, { timeout: 10_000 }).toBeGreaterThan(0);
    const early = await marker();
    expect(early).toBeLessThan(20); // only what was on screen
    // scroll through everything (loading more pages as needed)
    for (let i = 0; i < 10 && (await carla.page.locator('#post-30').count()) === 0; i++) {
      const more = carla.page.locator('[data-testid=load-more-posts]');
      if (await more.count()) await more.click();
      await carla.page.mouse.wheel(0, 20_000);
      await carla.page.waitForTimeout(200);
    }
    await carla.page.locator('#post-30').scrollIntoViewIfNeeded();
    await expect.poll(marker, { timeout: 10_000 }).toBe(30);

    await carla.page.goto(`${t.baseUrl}/latest`);
    await item.waitFor();
    expect(await item.locator('[data-testid=new-badge]').count()).toBe(0);
    expect(await item.locator('[data-testid=unread-count]').count()).toBe(0);
    await api(bob.page, 'POST', `/api/threads/${id}/posts`, { body: 'One more' });
    await api(bob.page, 'POST', `/api/threads/${id}/posts`, { body: 'And another' });
    await carla.page.reload();
    await item.locator('[data-testid=unread-count]:text-is("2")').waitFor();
    await carla.page.goto(`${t.baseUrl}/unread`);
    await item.waitFor();
    await bob.context.close();
    await carla.context.close();
  });

  it('shows script-injection strings as inert text everywhere', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const category = await makeCategory(t, { slug: 'hostile', name: `${hostile} Cat`, description: hostile });
    const bob = await signedIn('forum_bob');
    const created = await api(bob.page, 'POST', '/api/threads', {
      categoryId: category.id,
      title: `${hostile} title`,
      body: `${hostile}\n\n[click me](javascript:window.__pwned=1) <a href="javascript:window.__pwned=1">raw link</a>`,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await api(bob.page, 'POST', `/api/threads/${id}/posts`, {
      body: `[quote="${hostile}, post:1"]\n${hostile}\n[/quote]`,
    });
    for (const path of [
      '/',
      '/latest',
      '/c/hostile',
      `/t/${id}`,
      `/search?q=${encodeURIComponent('title')}`,
      '/u/forum_bob',
    ]) {
      await bob.page.goto(`${t.baseUrl}${path}`);
      await bob.page.waitForSelector('main h1, main h2');
      await bob.page.waitForTimeout(150);
      expect(
        await bob.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
        path,
      ).toBeUndefined();
    }
    await bob.page.goto(`${t.baseUrl}/t/${id}`);
    await bob.page.waitForSelector('[data-testid=thread-title]');
    expect(await bob.page.textContent('[data-testid=thread-title]')).toContain('<script>');
    expect(await bob.page.locator('#post-1 [data-testid=post-body]').textContent()).toContain('[click me](javascript:');
    expect(await bob.page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await bob.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(bob.problems).toEqual([]);
    await bob.context.close();
  });
});

import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/app';
import { makeAccount, makeCategory } from '../../server/test/factories';
import { api, launchBrowser, shoot, signInAs, watchPage } from './browser';

let t: TestApp;
let browser: Browser;
let featuresId: number;
let budgetId: number;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  browser = await launchBrowser();
  for (const [username, role] of [
    ['ideas_admin', 'admin'],
    ['ideas_pm', 'product_manager'],
    ['ideas_ana', 'member'],
    ['ideas_ben', 'member'],
    ['ideas_cid', 'member'],
    ['ideas_dee', 'member'],
  ] as const) {
    await makeAccount(t, { username, role, password: PASSWORD });
  }
  const features = await makeCategory(t, {
    slug: 'features',
    name: 'Features',
    description: 'What should we build next?',
    allowIdeas: true,
  });
  featuresId = features.id;
  const budget = await makeCategory(t, {
    slug: 'roadmap',
    name: 'Roadmap',
    parentId: features.id,
    allowIdeas: true,
    voteBudget: 1,
  });
  budgetId = budget.id;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const PASSWORD = 'amber-kettle-horizon';

const signedIn = (username: string) => signInAs(browser, t.baseUrl, username, PASSWORD);

async function postIdea(page: Page, title: string, categoryId = featuresId): Promise<number> {
  const created = await api(page, 'POST', '/api/threads', {
    categoryId,
    title,
    body: `Please: ${title}`,
    kind: 'idea',
  });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

const row = (page: Page, id: number) => page.locator(`[data-testid=idea-list-item][data-idea-id="${id}"]`);
const panelCount = (page: Page) => page.locator('[data-testid=idea-panel] [data-testid=vote-count]');

describe('ideas in the browser', () => {
  it('shows open work by default with excerpts, the closed one click away, and the reader’s own votes', async () => {
    const shelf = await makeCategory(t, { slug: 'shelf-e2e', name: 'Shelf', allowIdeas: true });
    const admin = await signedIn('ideas_admin');
    const open = await postIdea(admin.page, 'A shelf idea still to build', shelf.id);
    const other = await postIdea(admin.page, 'Another shelf idea still to build', shelf.id);
    const shipped = await postIdea(admin.page, 'A shelf idea already shipped', shelf.id);
    expect((await api(admin.page, 'PUT', `/api/ideas/${shipped}/status`, { status: 'shipped' })).status).toBe(200);
    const dee = await signedIn('ideas_dee');
    expect((await api(dee.page, 'PUT', `/api/ideas/${other}/vote`)).status).toBe(200);

    await dee.page.goto(`${t.baseUrl}/c/shelf-e2e/ideas`);
    await row(dee.page, open).waitFor();
    expect(await row(dee.page, shipped).count()).toBe(0);
    expect(await row(dee.page, open).locator('[data-testid=idea-excerpt]').textContent()).toBe(
      'Please: A shelf idea still to build',
    );
    expect(await dee.page.inputValue('[data-testid=status-filter]')).toBe('');

    await dee.page.selectOption('[data-testid=status-filter]', 'state:closed');
    await row(dee.page, shipped).waitFor();
    expect(await row(dee.page, open).count()).toBe(0);
    expect(new URL(dee.page.url()).searchParams.get('state')).toBe('closed');

    await dee.page.selectOption('[data-testid=status-filter]', '');
    await row(dee.page, open).waitFor();
    // a click, not check(): the box shows the address, which the router changes in a transition
    await dee.page.click('[data-testid=my-votes-filter]');
    await dee.page.waitForURL((url) => url.searchParams.get('mine') === '1');
    await expect.poll(() => dee.page.isChecked('[data-testid=my-votes-filter]')).toBe(true);
    // the list under My votes: Dee's one vote, and not the idea she did not vote for
    // (locators, not waitForFunction: polling a string predicate is an eval the page's CSP refuses)
    await dee.page.locator(`[data-idea-id="${other}"]`).first().waitFor();
    await dee.page.locator(`[data-idea-id="${open}"]`).first().waitFor({ state: 'detached' });
    await shoot(dee.page, 'idea-board-my-votes');

    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(`${t.baseUrl}/c/shelf-e2e/ideas`);
    await row(page, open).waitFor();
    expect(await page.locator('[data-testid=my-votes-filter]').count()).toBe(0);
    expect(dee.problems).toEqual([]);
    await anonymous.close();
    await admin.context.close();
    await dee.context.close();
  });

  it('shows the public roadmap: planned, in progress and shipped, each in its column', async () => {
    const admin = await signedIn('ideas_admin');
    const planned = await postIdea(admin.page, 'A roadmap idea that is planned');
    const building = await postIdea(admin.page, 'A roadmap idea being built');
    const shipped = await postIdea(admin.page, 'A roadmap idea that shipped');
    const open = await postIdea(admin.page, 'A roadmap idea still open');
    for (const [id, status] of [
      [planned, 'planned'],
      [building, 'in_progress'],
      [shipped, 'shipped'],
    ] as const) {
      expect((await api(admin.page, 'PUT', `/api/ideas/${id}/status`, { status })).status).toBe(200);
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${t.baseUrl}/ideas`);
    await page.click('[data-testid=roadmap-link]');
    await page.waitForURL(/\/roadmap$/);
    for (const [id, column] of [
      [planned, 'planned'],
      [building, 'in_progress'],
      [shipped, 'shipped'],
    ] as const) {
      await page
        .locator(`[data-testid=roadmap-${column}] [data-testid=idea-list-item][data-idea-id="${id}"]`)
        .waitFor();
    }
    expect(await row(page, open).count()).toBe(0);
    expect(await page.locator('[data-testid=roadmap-planned] [data-testid=idea-list-item]').count()).toBeGreaterThan(0);
    await shoot(page, 'roadmap');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
    await admin.context.close();
  });

  it('heads the new-thread page with the kind the form will create, as it is chosen', async () => {
    const { page, context } = await signedIn('ideas_cid');
    await page.goto(`${t.baseUrl}/c/features/new`);
    await page.waitForSelector('h1:text-is("New thread in Features")');
    await page.check('input[name=kind][value=idea]');
    await page.waitForSelector('h1:text-is("New idea in Features")');
    expect(await page.title()).toContain('New idea');
    await page.check('input[name=kind][value=discussion]');
    await page.waitForSelector('h1:text-is("New thread in Features")');
    // asked for from a board, it starts as an idea
    await page.goto(`${t.baseUrl}/c/features/new?kind=idea`);
    await page.waitForSelector('h1:text-is("New idea in Features")');
    await context.close();
  });

  it('suggests similar ideas while a new idea is typed, and votes for one right there', async () => {
    const ana = await signedIn('ideas_ana');
    const existing = await postIdea(ana.page, 'Dark mode for the whole site');
    await postIdea(ana.page, 'Export my data as a spreadsheet');

    const ben = await signedIn('ideas_ben');
    await ben.page.goto(`${t.baseUrl}/c/features`);
    await ben.page.click('[data-testid=category-ideas-link]');
    await ben.page.waitForSelector(`[data-testid=idea-list-item][data-idea-id="${existing}"]`);
    await ben.page.click('[data-testid=new-idea-button]');
    await ben.page.waitForURL(/\/c\/features\/new\?kind=idea$/);
    await ben.page.locator('[data-testid=composer-title]').pressSequentially('Dark mo', { delay: 30 });
    const suggestion = ben.page.locator(
      `[data-testid=similar-ideas] [data-testid=similar-idea][data-idea-id="${existing}"]`,
    );
    await suggestion.waitFor();
    expect(await ben.page.locator('[data-testid=similar-idea]').count()).toBeLessThanOrEqual(5);
    expect(await suggestion.locator('[data-testid=idea-status]').getAttribute('data-status')).toBe('open');
    expect(await suggestion.locator('[data-testid=vote-count]').textContent()).toBe('0');

    // voting instead of posting a duplicate
    await suggestion.locator('[data-testid=vote-button]:not([disabled])').click();
    await suggestion.locator('[data-testid=vote-button][aria-pressed=true]').waitFor();
    expect(await suggestion.locator('[data-testid=vote-count]').textContent()).toBe('1');
    // the button answers at once (optimistic); the server has it once the vote's batch commits
    await expect
      .poll(async () => (await api(ben.page, 'GET', `/api/ideas/${existing}`)).body, { timeout: 5_000 })
      .toMatchObject({ voted: true, voteCount: 1 });

    // …or posting it anyway: it is an idea, with its panel
    await ben.page.fill('[data-testid=composer-title]', 'Dark mode that follows the system setting');
    await ben.page.fill('[data-testid=composer]', 'Switch with the operating system.');
    await ben.page.click('[data-testid=composer-submit]');
    await ben.page.waitForURL(/\/t\/\d+$/);
    await ben.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=open]');
    expect(await panelCount(ben.page).textContent()).toBe('0');
    const id = Number(new URL(ben.page.url()).pathname.split('/')[2]);
    expect((await api(ben.page, 'GET', `/api/ideas/${id}`)).status).toBe(200);

    // too short a title asks nothing
    await ben.page.goto(`${t.baseUrl}/c/features/new?kind=idea`);
    await ben.page.fill('[data-testid=composer-title]', 'Da');
    await ben.page.waitForTimeout(600);
    expect(await ben.page.locator('[data-testid=similar-ideas]').count()).toBe(0);

    expect(ana.problems).toEqual([]);
    expect(ben.problems).toEqual([]);
    await ana.context.close();
    await ben.context.close();
  });

  it('moves the count on another page live when someone votes, on boards and on the idea page', async () => {
    const ana = await signedIn('ideas_ana');
    const ben = await signedIn('ideas_ben');
    const id = await postIdea(ana.page, 'Offline reading of long threads');

    await ana.page.goto(`${t.baseUrl}/ideas?sort=new`);
    await ben.page.goto(`${t.baseUrl}/ideas?sort=new`);
    await row(ana.page, id).waitFor();
    await row(ben.page, id).waitFor();
    expect(await row(ana.page, id).locator('[data-testid=vote-count]').textContent()).toBe('0');

    await row(ben.page, id).locator('[data-testid=vote-button]').click();
    await row(ben.page, id).locator('[data-testid=vote-button][aria-pressed=true]').waitFor();
    await row(ana.page, id).locator('[data-testid=vote-count]:text-is("1")').waitFor({ timeout: 5_000 });
    // ana's own vote is unaffected by ben's
    expect(await row(ana.page, id).locator('[data-testid=vote-button]').getAttribute('aria-pressed')).toBe('false');

    // the idea page follows too, and a vote taken back comes through
    await ana.page.click(`[data-testid=idea-list-item][data-idea-id="${id}"] [data-testid=idea-link]`);
    await ana.page.waitForSelector('[data-testid=idea-panel]');
    expect(await panelCount(ana.page).textContent()).toBe('1');
    await row(ben.page, id).locator('[data-testid=vote-button]').click();
    await row(ben.page, id).locator('[data-testid=vote-button][aria-pressed=false]').waitFor();
    await ana.page
      .locator('[data-testid=idea-panel] [data-testid=vote-count]:text-is("0")')
      .waitFor({ timeout: 5_000 });

    // ana votes on the idea page: ben's board row moves
    await ana.page.click('[data-testid=idea-panel] [data-testid=vote-button]');
    await ana.page.waitForSelector('[data-testid=idea-panel] [data-testid=vote-button][aria-pressed=true]');
    await row(ben.page, id).locator('[data-testid=vote-count]:text-is("1")').waitFor({ timeout: 5_000 });

    expect(ana.problems).toEqual([]);
    expect(ben.problems).toEqual([]);
    await ana.context.close();
    await ben.context.close();
  });

  it('shows the true count after its connection was cut while others voted', async () => {
    const ana = await signedIn('ideas_ana');
    const ben = await signedIn('ideas_ben');
    const cid = await signedIn('ideas_cid');
    const dee = await signedIn('ideas_dee');
    const id = await postIdea(ana.page, 'Pin my favourite categories');

    await ana.page.goto(`${t.baseUrl}/t/${id}`);
    await ana.page.waitForSelector('[data-testid=idea-panel]');
    await ana.page.goto(`${t.baseUrl}/ideas?sort=new`);
    await row(ana.page, id).waitFor();
    // one live vote first, so the page has seen the channel working
    expect((await api(ben.page, 'PUT', `/api/ideas/${id}/vote`)).status).toBe(200);
    await row(ana.page, id).locator('[data-testid=vote-count]:text-is("1")').waitFor({ timeout: 5_000 });

    await ana.context.setOffline(true);
    for (const other of [cid, dee]) {
      expect((await api(other.page, 'PUT', `/api/ideas/${id}/vote`)).status).toBe(200);
    }
    expect((await api(ben.page, 'DELETE', `/api/ideas/${id}/vote`)).status).toBe(200);
    expect((await api(ben.page, 'PUT', `/api/ideas/${id}/vote`)).status).toBe(200);
    // nothing reaches the page while it is offline
    await ana.page.waitForTimeout(1_000);
    expect(await row(ana.page, id).locator('[data-testid=vote-count]').textContent()).toBe('1');

    await ana.context.setOffline(false);
    await row(ana.page, id).locator('[data-testid=vote-count]:text-is("3")').waitFor({ timeout: 15_000 });
    expect((await api(ana.page, 'GET', `/api/ideas/${id}`)).body.voteCount).toBe(3);

    // and it is live again afterwards
    expect((await api(cid.page, 'DELETE', `/api/ideas/${id}/vote`)).status).toBe(200);
    await row(ana.page, id).locator('[data-testid=vote-count]:text-is("2")').waitFor({ timeout: 5_000 });

    expect(ana.problems).toEqual([]);
    await ana.context.close();
    for (const other of [ben, cid, dee]) await other.context.close();
  });

  it('lets staff set a status with an official response, live on the voter’s page and bell', async () => {
    const ana = await signedIn('ideas_ana');
    const ben = await signedIn('ideas_ben');
    const pm = await signedIn('ideas_pm');
    const id = await postIdea(ana.page, 'Badges for early beta testers');
    expect((await api(ben.page, 'PUT', `/api/ideas/${id}/vote`)).status).toBe(200);
    await api(ben.page, 'POST', '/api/notifications/read', { all: true });

    await ben.page.goto(`${t.baseUrl}/t/${id}`);
    await ben.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=open]');
    expect(await ben.page.locator('[data-testid=official-response]').count()).toBe(0);
    expect(await ben.page.locator('[data-testid=notification-count]').count()).toBe(0);
    // members get no staff tools
    expect(await ben.page.locator('[data-testid=idea-tools]').count()).toBe(0);

    await pm.page.goto(`${t.baseUrl}/t/${id}`);
    await pm.page.waitForSelector('[data-testid=idea-tools]');
    // a product manager triages and sees voters, but tags and merges are for moderators
    expect(await pm.page.locator('[data-testid=tags-form]').count()).toBe(0);
    expect(await pm.page.locator('[data-testid=merge-form]').count()).toBe(0);
    await pm.page.click('[data-testid=voters-toggle]');
    await pm.page.waitForSelector('[data-testid=voters] [data-testid=voter]:has-text("ideas_ben")');
    // the whole list downloads as CSV, the same voters as on screen
    const [download] = await Promise.all([
      pm.page.waitForEvent('download'),
      pm.page.click('[data-testid=voters-export]'),
    ]);
    expect(download.suggestedFilename()).toBe(`idea-${id}-voters.csv`);
    const file = await readFile((await download.path()) as string, 'utf8');
    const onScreen = await pm.page.locator('[data-testid=voter] a').allTextContents();
    const inFile = file
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(inFile).toEqual(onScreen.map((name) => name.replace(/^@/, '')));

    await pm.page.selectOption('[data-testid=status-select]', 'planned');
    await pm.page.fill('[data-testid=status-response]', 'Coming in **spring**. Thanks for voting!');
    await pm.page.click('[data-testid=status-response-preview-toggle]');
    await pm.page.waitForSelector('[data-testid=status-response-preview] strong:text-is("spring")');
    await pm.page.click('[data-testid=status-response-preview-toggle]');
    await pm.page.click('[data-testid=status-submit]');
    await pm.page.waitForSelector('[data-testid=status-saved]');

    // ben's page, without a reload
    await ben.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=planned]', {
      timeout: 5_000,
    });
    await ben.page.waitForSelector('[data-testid=official-response] strong:text-is("spring")');
    await ben.page.waitForSelector(
      '[data-testid=status-timeline] [data-testid=status-change][data-status=planned]:has-text("ideas_pm")',
    );
    await ben.page.waitForSelector('[data-testid=notification-count]:text-is("1")', { timeout: 5_000 });
    await ben.page.click('[data-testid=notification-bell]');
    const item = ben.page.locator('[data-testid=notification-menu] [data-testid=notification-item]').first();
    expect(await item.textContent()).toContain('“Badges for early beta testers” is now Planned');

    // shipped closes the idea: no more votes, and the board says so
    await pm.page.selectOption('[data-testid=status-select]', 'shipped');
    await pm.page.click('[data-testid=status-submit]');
    await ben.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=shipped]', {
      timeout: 5_000,
    });
    await ben.page.waitForSelector('[data-testid=idea-panel] [data-testid=vote-button][disabled]');
    expect(await ben.page.locator('[data-testid=cannot-vote-reason]').getAttribute('data-reason')).toBe('closed');
    await ben.page.goto(`${t.baseUrl}/ideas?status=shipped`);
    await row(ben.page, id).locator('[data-testid=idea-status][data-status=shipped]').waitFor();
    expect(await row(ben.page, id).locator('[data-testid=vote-button]').isDisabled()).toBe(true);

    expect(ana.problems).toEqual([]);
    expect(ben.problems).toEqual([]);
    expect(pm.problems).toEqual([]);
    await ana.context.close();
    await ben.context.close();
    await pm.context.close();
  });

  it('lets moderators tag, merge and unmerge ideas, and explains why a vote is not possible', async () => {
    const ana = await signedIn('ideas_ana');
    const admin = await signedIn('ideas_admin');
    const original = await postIdea(ana.page, 'Search inside a single thread');
    const copy = await postIdea(ana.page, 'Find text within one thread');
    expect((await api(ana.page, 'PUT', `/api/ideas/${copy}/vote`)).status).toBe(200);

    await admin.page.goto(`${t.baseUrl}/t/${copy}`);
    await admin.page.waitForSelector('[data-testid=idea-tools]');
    await admin.page.fill('[data-testid=tags-input]', 'Search, threads');
    await admin.page.click('[data-testid=tags-save]');
    await admin.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-tag]:text-is("#search")');

    // the tag filters the board
    await ana.page.goto(`${t.baseUrl}/c/features/ideas`);
    await row(ana.page, copy).locator('[data-testid=idea-tag]:text-is("#threads")').click();
    await ana.page.waitForURL(/\?tag=threads$/);
    await ana.page.waitForSelector('[data-testid=tag-filter]');
    await row(ana.page, copy).waitFor();
    expect(await row(ana.page, original).count()).toBe(0);

    await admin.page.fill('[data-testid=merge-target]', 'Search inside');
    await admin.page.click(`[data-testid=merge-option][data-idea-id="${original}"]`);
    await admin.page.click('[data-testid=merge-submit]');
    await admin.page.waitForSelector(`[data-testid=merged-into] a[href="/t/${original}"]`);
    await admin.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=duplicate]');
    await admin.page.click('[data-testid=merged-into-link]');
    await admin.page.waitForSelector(`[data-testid=merged-from] a[href="/t/${copy}"]`);
    expect(await panelCount(admin.page).textContent()).toBe('1');

    await admin.page.goto(`${t.baseUrl}/t/${copy}`);
    await admin.page.click('[data-testid=unmerge]');
    await admin.page.waitForSelector('[data-testid=merge-form]');
    await admin.page.waitForSelector('[data-testid=idea-panel] [data-testid=idea-status][data-status=open]');
    expect(await admin.page.locator('[data-testid=merged-into]').count()).toBe(0);
    expect(await panelCount(admin.page).textContent()).toBe('1');

    // a budget of one vote: the second idea explains why it takes no vote, and shows what is left
    const first = await postIdea(admin.page, 'Roadmap idea number one', budgetId);
    const second = await postIdea(admin.page, 'Roadmap idea number two', budgetId);
    await ana.page.goto(`${t.baseUrl}/t/${first}`);
    await ana.page.waitForSelector('[data-testid=vote-budget]:has-text("1 vote left")');
    await ana.page.click('[data-testid=idea-panel] [data-testid=vote-button]');
    await ana.page.waitForSelector('[data-testid=vote-budget]:has-text("0 votes left")');
    await ana.page.goto(`${t.baseUrl}/t/${second}`);
    await ana.page.waitForSelector('[data-testid=cannot-vote-reason][data-reason=budget_exhausted]');
    expect(await ana.page.locator('[data-testid=idea-panel] [data-testid=vote-button]').isDisabled()).toBe(true);
    // from a board the server's refusal is shown, and the optimistic vote is taken back
    await ana.page.goto(`${t.baseUrl}/c/roadmap/ideas`);
    await row(ana.page, second).locator('[data-testid=vote-button]').click();
    await row(ana.page, second).locator('[data-testid=vote-error]:has-text("used all your votes")').waitFor();
    expect(await row(ana.page, second).locator('[data-testid=vote-count]').textContent()).toBe('0');
    expect(await row(ana.page, second).locator('[data-testid=vote-button]').getAttribute('aria-pressed')).toBe('false');

    // visitors are asked to sign in
    const visitor = await browser.newContext({ locale: 'en-US' });
    const page = await visitor.newPage();
    const problems = watchPage(page);
    await page.goto(`${t.baseUrl}/ideas`);
    await page.click('[data-testid=nav-ideas]');
    await row(page, first).locator('[data-testid=vote-button]').click();
    await row(page, first).locator('[data-testid=vote-sign-in]').waitFor();
    await page.goto(`${t.baseUrl}/t/${first}`);
    await page.waitForSelector('[data-testid=cannot-vote-reason][data-reason=unauthenticated] a');

    expect(ana.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
    expect(problems).toEqual([]);
    await visitor.close();
    await ana.context.close();
    await admin.context.close();
  });
});

// biome-ignore-all lint/suspicious/noExplicitAny: test answers are inspected field by field
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { withTx } from '../../server/src/db/tx';
import { setIdeaStatus } from '../../server/src/ideas/actions';
import { type Member, makeAccount, makeCategory, makeIdea, makeUser, vote } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, openAccountMenu, shoot } from './browser';

const app = browserTestApp();
const row = '[data-testid=top-request]';

/** The table as shown: one entry per row, each cell's text. */
async function shownRows(page: Page) {
  return page.locator(row).evaluateAll((rows) =>
    rows.map((r) => {
      const cell = (field: string) => r.querySelector(`[data-field=${field}]`)?.textContent?.trim() ?? '';
      return {
        id: Number(r.getAttribute('data-idea-id')),
        rank: cell('rank'),
        title: cell('title'),
        votes: cell('votes'),
        windowVotes: cell('windowVotes'),
        category: cell('category'),
      };
    }),
  );
}

/** Waits until the table lists exactly `ids`, in order. */
async function waitForIds(page: Page, ids: number[]) {
  await expect
    .poll(() => page.locator(row).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-idea-id')))), {
      timeout: 5_000,
    })
    .toEqual(ids);
}

/**
 * Waits for the first chart's canvas; if it never comes, fails with what the charts section
 * shows and the page's errors instead of a bare timeout.
 */
async function waitForChart(page: Page, problems: string[]) {
  const canvas = page.locator('[data-testid=weekly-chart] canvas').first();
  try {
    await canvas.waitFor({ timeout: 15_000 });
  } catch (err) {
    const section = await page.locator('.dashboard-charts-section').evaluate((s) => s.outerHTML.slice(0, 2_000));
    throw new Error(`no chart drawn: ${String(err)}\nsection: ${section}\npage problems: ${problems.join('; ')}`);
  }
}

/** Clicks a download link and reads the file it gives. */
async function download(page: Page, selector: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const where = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(where, 'utf8') };
}

describe('the product managers’ dashboard in the browser', () => {
  it('filters in the URL, ranks, exports exactly the rows shown, and charts with their tables', async () => {
    const phones = await makeCategory(app.t, { slug: 'dash-phones', name: 'Phones', allowIdeas: true });
    const camera = await makeCategory(app.t, {
      slug: 'dash-camera',
      name: 'Camera',
      allowIdeas: true,
      parentId: phones.id,
    });
    const lounge = await makeCategory(app.t, { slug: 'dash-lounge', name: 'Lounge', allowIdeas: true });
    const author = await makeAccount(app.t, { username: 'idea_ines' });
    await makeAccount(app.t, { username: 'pm_paz', password: E2E_PASSWORD, role: 'product_manager' });
    const voters: Member[] = [];
    for (let i = 0; i < 7; i += 1) voters.push(await makeUser(app.t));
    const idea = async (categoryId: number, title: string, votes: number) => {
      const { id } = await makeIdea(app.t, author, { categoryId, title });
      for (const voter of voters.slice(0, votes)) await vote(voter, id);
      return id;
    };
    const age = (ideaId: number, count: number, days: number) =>
      sql`update idea_votes set created_at = now() - ${days} * interval '1 day'
          where idea_id = ${ideaId} and user_id in (${sql.join(voters.slice(0, count).map((v) => v.user.id))})`.execute(
        app.t.db,
      );
    // total votes; votes in the last 30 and 7 days
    const battery = await idea(phones.id, 'Battery care mode', 7); // 7; 0; 0
    const night = await idea(camera.id, 'Night mode with a tripod', 5); // 5; 5; 5
    const raw = await idea(camera.id, 'RAW photos in the gallery', 4); // 4; 4; 2
    const dark = await idea(lounge.id, 'Modo oscuro en todas partes', 3); // 3; 3; 3
    const fonts = await idea(lounge.id, 'Bigger fonts everywhere', 2); // 2; 0; 0
    const widgets = await idea(phones.id, 'Widgets on the lock screen', 1); // 1; 1; 1
    const stylus = await idea(phones.id, 'Stylus support', 0); // 0; 0; 0
    const shipped = await idea(phones.id, 'Fast charging', 6);
    await age(battery, 7, 40);
    await age(fonts, 2, 40);
    await age(raw, 2, 10);
    await sql`update threads set tags = array['camera'] where id in (${night}, ${raw})`.execute(app.t.db);
    const [admin] = [await makeAccount(app.t, { role: 'admin' })];
    await withTx(app.t.db, (tx) => setIdeaStatus(tx, admin as never, [shipped], 'shipped', undefined));

    const paz = await app.signedIn('pm_paz');
    const page = paz.page;
    await openAccountMenu(page);
    await page.click('[data-testid=nav-dashboard]');
    await page.waitForURL(/\/dashboard$/);
    // open work by total votes: the shipped idea is not listed
    await waitForIds(page, [battery, night, raw, dark, fonts, widgets, stylus]);
    const first = await shownRows(page);
    expect(first.map((r) => r.rank)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(first[1]).toMatchObject({ title: 'Night mode with a tripod', category: 'Phones / Camera', votes: '5' });
    expect(first.map((r) => r.windowVotes)).toEqual(['0', '5', '4', '3', '0', '1', '0']);
    expect(
      await page.locator(`${row}[data-idea-id="${night}"] [data-testid=sparkline]`).getAttribute('aria-label'),
    ).toBe('5 votes in the last 30 days');

    // votes in window, over 7 days: chosen in the UI, written in the URL
    await page.selectOption('[data-testid=dashboard-sort]', 'window');
    await page.selectOption('[data-testid=dashboard-window]', '7d');
    await page.waitForURL((url) => url.search === '?sort=window&window=7d');
    // ties (no votes this week) by the newest idea first
    const byWeek = [night, dark, raw, widgets, stylus, fonts, battery];
    await waitForIds(page, byWeek);
    expect((await shownRows(page)).map((r) => r.windowVotes)).toEqual(['5', '3', '2', '1', '0', '0', '0']);
    expect(await page.locator(`${row}[data-idea-id="${raw}"] [data-testid=sparkline]`).getAttribute('aria-label')).toBe(
      '2 votes in the last 7 days',
    );
    await page.reload();
    await waitForIds(page, byWeek);
    expect(await page.inputValue('[data-testid=dashboard-sort]')).toBe('window');
    expect(await page.inputValue('[data-testid=dashboard-window]')).toBe('7d');

    // the parent category keeps its sub-category's ideas; back goes to the whole list again
    const options = await page.locator('[data-testid=dashboard-category] option').allTextContents();
    expect(options.indexOf('\u00a0\u00a0Camera')).toBe(options.indexOf('Phones') + 1);
    await page.selectOption('[data-testid=dashboard-category]', 'dash-phones');
    await page.waitForURL((url) => url.search === '?sort=window&window=7d&category=dash-phones');
    const inPhones = [night, raw, widgets, stylus, battery];
    await waitForIds(page, inPhones);
    await page.goBack();
    await waitForIds(page, byWeek);
    await page.goForward();
    await waitForIds(page, inPhones);
    await shoot(page, 'dashweb-dashboard');

    // the CSV download: exactly the rows on screen, in order
    const shown = await shownRows(page);
    const csv = await download(page, '[data-testid=export-csv]');
    expect(csv.name).toBe('top-requests-7d-window.csv');
    const records: Record<string, string>[] = parse(csv.text, { columns: true });
    expect(records.map((r) => Number(r.id))).toEqual(inPhones);
    expect(records.map((r) => r.rank)).toEqual(['1', '2', '3', '4', '5']);
    expect(
      records.map((r) => ({
        id: Number(r.id),
        rank: r.rank,
        title: r.title,
        votes: r.votes_total,
        windowVotes: r.votes_in_window,
        category: r.category_path,
      })),
    ).toEqual(shown);
    expect(records.find((r) => Number(r.id) === night)?.tags).toBe('camera');
    // Excel's flavour starts with a byte order mark; JSON gives the same rows
    await page.check('[data-testid=export-bom]');
    expect((await download(page, '[data-testid=export-csv]')).text.startsWith('\ufeffrank,id,')).toBe(true);
    const json = JSON.parse((await download(page, '[data-testid=export-json]')).text) as any[];
    expect(json.map((r) => [r.rank, r.id, r.title, r.votes_total, r.votes_in_window])).toEqual(
      records.map((r) => [Number(r.rank), Number(r.id), r.title, Number(r.votes_total), Number(r.votes_in_window)]),
    );
    const lines = (await download(page, '[data-testid=export-jsonl]')).text.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(inPhones);

    // closed work one click away; the tag narrows
    await page.click('[data-testid=dashboard-all-statuses]');
    await waitForIds(page, [shipped, night, raw, widgets, stylus, battery]);
    await page.fill('[data-testid=dashboard-tag]', 'camera');
    await page.press('[data-testid=dashboard-tag]', 'Enter');
    await waitForIds(page, [night, raw]);
    expect(new URL(page.url()).searchParams.get('tag')).toBe('camera');
    await page.click('[data-testid=dashboard-open-work]');
    await waitForIds(page, [night, raw]);
    expect(new URL(page.url()).searchParams.has('status')).toBe(false);

    // a chart's table has the API's weeks
    const charts = (await api(page, 'GET', '/api/dashboard/charts?window=7d')).body;
    const votesChart = page.locator('[data-testid=dashboard-chart][data-field=votes]');
    await votesChart.locator('[data-testid=weekly-chart] canvas').first().waitFor();
    await votesChart.locator('[data-testid=chart-toggle]').click();
    const weeks = await votesChart
      .locator('[data-testid=chart-table] tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-week'), Number(r.querySelector('td')?.getAttribute('data-value'))]),
      );
    expect(weeks).toEqual(charts.weeks.map((w: any) => [w.week, w.votes]));
    expect(weeks.reduce((sum, [, n]) => sum + (n as number), 0)).toBeGreaterThan(0);
    expect(await votesChart.locator('caption').textContent()).toBe('Votes per week');
    expect(await page.locator('[data-testid=charts-counted-at]').textContent()).toMatch(/^Counted at \d\d:\d\d/);
    await shoot(page, 'dashweb-chart-table');

    // nothing matches: an empty state with the way back
    await page.goto(`${app.t.baseUrl}/dashboard?tag=no-such-tag`);
    await page.locator('[data-testid=empty-state]').getByText('No ideas match these filters.').waitFor();
    await page.click('[data-testid=dashboard-reset]');
    await waitForIds(page, [battery, night, raw, dark, fonts, widgets, stylus]);

    // a bad value in a pasted link: the API's words, not a blank page
    await page.goto(`${app.t.baseUrl}/dashboard?window=5d`);
    const refused = page.locator('[data-testid=dashboard-bad-filters]');
    await refused.nth(1).waitFor(); // the table's and the charts'
    for (const text of await refused.allTextContents()) expect(text).toContain('querystring.window must');
    await shoot(page, 'dashweb-bad-filters');

    // at 390 px nothing overflows: the table scrolls in its own box
    const chartsAnswer = page.waitForResponse((r) => r.url().includes('/api/dashboard/charts?window=7d'));
    await page.goto(`${app.t.baseUrl}/dashboard?window=7d&sort=window`);
    await waitForIds(page, byWeek);
    expect((await chartsAnswer).status()).toBe(200);
    await waitForChart(page, paz.problems);
    await page.setViewportSize({ width: 390, height: 900 });
    const canvas = page.locator('[data-testid=weekly-chart] canvas').first();
    await expect.poll(() => canvas.evaluate((c) => c.getBoundingClientRect().width)).toBeLessThanOrEqual(360);
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
    const table = await page
      .locator('.dashboard-table-wrap')
      .first()
      .evaluate((wrap) => ({ scroll: wrap.scrollWidth, client: wrap.clientWidth }));
    expect(table.scroll).toBeGreaterThan(table.client);
    await page.setViewportSize({ width: 1280, height: 720 });
    await shoot(page, 'dashweb-charts');

    // in Spanish: the page's words, numbers and dates follow the reader's language
    await openAccountMenu(page);
    await page.selectOption('[data-testid=locale-select]', 'es');
    await page.locator('h1:text-is("Panel")').waitFor();
    expect(
      await page.locator(`${row}[data-idea-id="${night}"] [data-testid=sparkline]`).getAttribute('aria-label'),
    ).toBe('5 votos en los últimos 7 días');
    expect(await page.inputValue('[data-testid=dashboard-sort]')).toBe('window');
    await shoot(page, 'dashweb-es');
    expect(paz.problems).toEqual([]);
  });

  it('loads the next page of top requests with Load more, ranks going on', async () => {
    const bulk = await makeCategory(app.t, { slug: 'dash-bulk', name: 'Bulk', allowIdeas: true });
    const author = await makeAccount(app.t, { username: 'idea_ivo' });
    const ids: number[] = [];
    for (let i = 0; i < 53; i += 1) ids.push((await makeIdea(app.t, author, { categoryId: bulk.id })).id);
    const newestFirst = ids.toReversed();
    await makeAccount(app.t, { username: 'pm_pia', password: E2E_PASSWORD, role: 'product_manager' });
    const pia = await app.signedIn('pm_pia');
    await pia.page.goto(`${app.t.baseUrl}/dashboard?category=dash-bulk&sort=newest`);
    await waitForIds(pia.page, newestFirst.slice(0, 50));
    await pia.page.click('[data-testid=load-more]');
    await waitForIds(pia.page, newestFirst);
    expect((await shownRows(pia.page)).map((r) => Number(r.rank))).toEqual(ids.map((_, i) => i + 1));
    expect(await pia.page.locator('[data-testid=load-more]').count()).toBe(0);

    // a vote elsewhere shows up when the tab comes back into view (and every minute)
    await vote(await makeUser(app.t), newestFirst[0] as number);
    await pia.page.evaluate(() => (globalThis as unknown as EventTarget).dispatchEvent(new Event('visibilitychange')));
    const votes = pia.page.locator(`${row}[data-idea-id="${newestFirst[0]}"] [data-field=votes]`);
    await expect.poll(() => votes.textContent(), { timeout: 5_000 }).toBe('1');
    expect(pia.problems).toEqual([]);
  });

  it('shows members the forbidden state and no Dashboard link, and visitors the sign-in prompt', async () => {
    await makeAccount(app.t, { username: 'fan_fia', password: E2E_PASSWORD });
    const fia = await app.signedIn('fan_fia');
    await fia.page.goto(`${app.t.baseUrl}/dashboard`);
    await fia.page.locator('[data-testid=dashboard-forbidden]').waitFor();
    expect(await fia.page.locator('[data-testid=nav-dashboard]').count()).toBe(0);
    expect(fia.problems).toEqual([]);

    const context = await app.browser.newContext({ locale: 'en-US' });
    const visitor = await context.newPage();
    await visitor.goto(`${app.t.baseUrl}/dashboard`);
    await visitor.locator('[data-testid=sign-in-prompt]').waitFor();
    await context.close();
  });
});

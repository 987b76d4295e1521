import type { CreateBetaProgramBody } from '@fanlab/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeCategory } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, shoot } from './browser';

const app = browserTestApp();
const PASSWORD = E2E_PASSWORD;

let categoryId = 0;
let seq = 0;
// after the app has started (hooks run in the order they were registered)
beforeAll(async () => {
  categoryId = (await makeCategory(app.t, { slug: 'phones', name: 'Phones' })).id;
  await makeAccount(app.t, { username: 'pm_pia', password: PASSWORD, role: 'product_manager' });
});

/** A program made over the API by `pm` and opened (first come unless said otherwise). */
async function openProgram(pm: Page, change: Partial<CreateBetaProgramBody> = {}) {
  const slug = `nova-beta-${++seq}`;
  const created = await api(pm, 'POST', '/api/beta/programs', {
    name: `Nova OS 5 beta ${seq}`,
    slug,
    categoryId,
    description: 'The **next** Nova OS, every Friday.',
    terms: 'Builds stay private. Report what breaks.',
    seats: 3,
    devices: [
      { model: 'Nova 3', quota: null },
      { model: 'Nova 3 Pro', quota: null },
    ],
    regions: ['ES', 'MX'],
    minAccountAgeDays: 0,
    minTrustLevel: 1,
    quiz: {
      questions: [
        { prompt: 'Where do beta builds go?', choices: ['Anywhere', 'Nowhere: they stay private'], correct: 1 },
      ],
      passMark: 1,
    },
    mode: 'first_come',
    opensAt: null,
    closesAt: null,
    feedbackCategoryId: null,
    ...change,
  } satisfies CreateBetaProgramBody);
  expect(created.status).toBe(201);
  const opened = await api(pm, 'PATCH', `/api/beta/programs/${created.body.id}`, { state: 'open' });
  expect(opened.status).toBe(200);
  return { id: created.body.id as number, slug };
}

/** Fills the apply form: device, region, the quiz answer (right or wrong), consent; then sends it. */
async function applyThroughForm(page: Page, { device = 'Nova 3', region = 'ES', right = true } = {}) {
  const form = page.locator('[data-testid=apply-form]');
  await form.locator('[data-testid=apply-device]').selectOption(device);
  await form.locator('[data-testid=apply-region]').selectOption(region);
  await form
    .locator('[data-testid=quiz-choice]')
    .nth(right ? 1 : 0)
    .check();
  await form.locator('[data-testid=apply-consent]').check();
  await form.locator('[data-testid=apply-submit]').click();
}

/** At phone width nothing is wider than the screen (no sideways scrolling). */
async function fitsPhone(page: Page) {
  await page.setViewportSize({ width: 390, height: 900 });
  const width = await page.locator('html').evaluate((html) => html.scrollWidth);
  await page.setViewportSize({ width: 1280, height: 720 });
  expect(width).toBeLessThanOrEqual(390);
}

const seatsLeft = (page: Page) => page.locator('[data-testid=seats-left]');

describe('beta programs in the browser', () => {
  it('a fan applies and sees their tester number while a second open page’s seat counter falls, live', async () => {
    await makeAccount(app.t, { username: 'fan_fay', password: PASSWORD });
    await makeAccount(app.t, { username: 'fan_gus', password: PASSWORD });
    await makeAccount(app.t, { username: 'new_nia', password: PASSWORD, trustLevel: 0 });
    // before any program: the list says so
    const gus = await app.signedIn('fan_gus');
    await gus.page.click('[data-testid=nav-beta]');
    await gus.page.waitForURL(/\/beta$/);
    await gus.page.locator('[data-testid=programs-open] [data-testid=empty-state]').waitFor();
    expect(await gus.page.locator('[data-testid=new-program]').count()).toBe(0); // members create none
    await shoot(gus.page, 'beta-programs-empty');
    // and an unknown program is not found
    await gus.page.goto(`${app.t.baseUrl}/beta/no-such-program`);
    await gus.page.locator('[data-testid=not-found]').waitFor();

    const pia = await app.signedIn('pm_pia');
    const program = await openProgram(pia.page);

    // the list: open programs with their seats
    await gus.page.click('[data-testid=nav-beta]');
    await gus.page.waitForURL(/\/beta$/);
    const card = gus.page.locator(`[data-testid=program-card][data-slug=${program.slug}]`);
    await card.waitFor();
    expect(await card.locator('[data-testid=program-seats-left]').textContent()).toBe('3 of 3 seats left');
    await shoot(gus.page, 'beta-programs');
    await fitsPhone(gus.page);
    await card.locator('[data-testid=program-link]').click();
    await gus.page.waitForURL(new RegExp(`/beta/${program.slug}$`));
    await seatsLeft(gus.page).waitFor();
    expect(await seatsLeft(gus.page).textContent()).toBe('3');
    expect(await gus.page.locator('[data-testid=requirement-devices]').textContent()).toBe('Nova 3, Nova 3 Pro');
    // a page that reloads loses this mark
    await gus.page.evaluate(() => {
      (globalThis as unknown as { stayed: boolean }).stayed = true;
    });

    const fay = await app.signedIn('fan_fay');
    await fay.page.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    await fay.page.locator('[data-testid=apply-form]').waitFor();
    expect(await fay.page.locator('[data-testid=apply-submit]').isDisabled()).toBe(true); // nothing chosen yet
    await shoot(fay.page, 'beta-program-apply');
    await applyThroughForm(fay.page);
    const outcome = fay.page.locator('[data-testid=apply-outcome][data-outcome=accepted]');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('tester #1');
    expect(await fay.page.locator('[data-testid=tester-number]').textContent()).toBe('#1');
    await shoot(fay.page, 'beta-program-accepted');
    await fitsPhone(fay.page);

    // the other page's counter fell without a reload
    await gus.page.locator('[data-testid=seats-left]:text-is("2")').waitFor({ timeout: 5_000 });
    expect(await gus.page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // gus applies too, from the page he had open: tester #2, and fay's page follows
    await applyThroughForm(gus.page, { device: 'Nova 3 Pro', region: 'MX' });
    await gus.page.locator('[data-testid=tester-number]:text-is("#2")').waitFor();
    await fay.page.locator('[data-testid=seats-left]:text-is("1")').waitFor({ timeout: 5_000 });

    // a new member answering wrong is told each rule they fail, and nothing is written
    const nia = await app.signedIn('new_nia');
    await nia.page.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    await nia.page.locator('[data-testid=apply-form]').waitFor();
    await applyThroughForm(nia.page, { right: false });
    await nia.page.locator('[data-testid=not-eligible]').waitFor();
    const rules = await nia.page
      .locator('[data-testid=failed-rule]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')));
    expect(rules.sort()).toEqual(['quiz', 'trust_level']);
    expect(await nia.page.locator('[data-testid=failed-rule][data-rule=trust_level]').textContent()).toBe(
      'Your trust level must be at least 1 (basic).',
    );
    await shoot(nia.page, 'beta-program-not-eligible');
    await fitsPhone(nia.page);
    expect(await seatsLeft(nia.page).textContent()).toBe('1');

    // fay's applications on her account page
    await fay.page.goto(`${app.t.baseUrl}/account`);
    const mine = fay.page.locator(`[data-testid=my-application-item][data-program=${program.slug}]`);
    await mine.waitFor();
    expect(await mine.getAttribute('data-status')).toBe('accepted');
    expect(await mine.locator('[data-testid=tester-number]').textContent()).toBe('#1');
    await fay.page.locator('[data-testid=my-applications]').scrollIntoViewIfNeeded();
    await shoot(fay.page, 'beta-account-applications');
    await fitsPhone(fay.page);

    // visitors see the seats and are asked to sign in
    const visitor = await app.browser.newContext({ locale: 'en-US' });
    const anon = await visitor.newPage();
    await anon.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    await anon.locator('[data-testid=sign-in-prompt]').waitFor();
    expect(await seatsLeft(anon).textContent()).toBe('1');
    await visitor.close();

    for (const who of [pia, fay, gus, nia]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  }, 60_000);

  it('a waitlisted fan is promoted live when a tester withdraws', async () => {
    await makeAccount(app.t, { username: 'fan_hal', password: PASSWORD });
    await makeAccount(app.t, { username: 'fan_ivy', password: PASSWORD });
    const pia = await app.signedIn('pm_pia');
    const program = await openProgram(pia.page, { seats: 1, quiz: null });

    const hal = await app.signedIn('fan_hal');
    await hal.page.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    await hal.page.locator('[data-testid=apply-form]').waitFor();
    const form = hal.page.locator('[data-testid=apply-form]');
    await form.locator('[data-testid=apply-device]').selectOption('Nova 3');
    await form.locator('[data-testid=apply-region]').selectOption('ES');
    await form.locator('[data-testid=apply-consent]').check();
    await form.locator('[data-testid=apply-submit]').click();
    await hal.page.locator('[data-testid=apply-outcome][data-outcome=accepted]').waitFor();
    expect(await seatsLeft(hal.page).textContent()).toBe('0');

    const ivy = await app.signedIn('fan_ivy');
    await ivy.page.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    const ivyForm = ivy.page.locator('[data-testid=apply-form]');
    await ivyForm.waitFor();
    await ivyForm.locator('[data-testid=apply-device]').selectOption('Nova 3 Pro');
    await ivyForm.locator('[data-testid=apply-region]').selectOption('MX');
    await ivyForm.locator('[data-testid=apply-consent]').check();
    await ivyForm.locator('[data-testid=apply-submit]').click();
    const waitlisted = ivy.page.locator('[data-testid=apply-outcome][data-outcome=waitlisted]');
    await waitlisted.waitFor();
    expect(await waitlisted.textContent()).toContain('number 1 on the waitlist');
    expect(await ivy.page.locator('[data-testid=waitlist-position]').textContent()).toBe('number 1');
    await shoot(ivy.page, 'beta-program-waitlisted');
    await fitsPhone(ivy.page);

    // her account page, open in another tab, lists her place in line
    const ivyAccount = await ivy.context.newPage();
    await ivyAccount.goto(`${app.t.baseUrl}/account`);
    const ivyItem = ivyAccount.locator(`[data-testid=my-application-item][data-program=${program.slug}]`);
    await ivyItem.locator('[data-testid=waitlist-position]:text-is("number 1")').waitFor();

    // hal withdraws (with a confirmation); ivy's open page shows her seat without a reload
    await hal.page.click('[data-testid=withdraw]');
    await shoot(hal.page, 'beta-withdraw-confirm');
    await hal.page.click('[data-testid=withdraw-yes]');
    await hal.page.locator('[data-testid=my-application][data-status=withdrawn]').waitFor();
    await ivy.page.locator('[data-testid=my-application][data-status=accepted]').waitFor({ timeout: 5_000 });
    expect(await ivy.page.locator('[data-testid=tester-number]').textContent()).toBe('#2');
    expect(await seatsLeft(ivy.page).textContent()).toBe('0');
    // and so does her account page, from the notification
    await ivyAccount
      .locator(`[data-testid=my-application-item][data-program=${program.slug}][data-status=accepted]`)
      .waitFor({ timeout: 5_000 });
    expect(await ivyItem.locator('[data-testid=tester-number]').textContent()).toBe('#2');

    for (const who of [pia, hal, ivy]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });

  it('a product manager creates a program through the admin UI, opens it and decides applications', async () => {
    await makeAccount(app.t, { username: 'fan_jo', password: PASSWORD });
    const pia = await app.signedIn('pm_pia');
    await pia.page.goto(`${app.t.baseUrl}/beta`);
    await pia.page.click('[data-testid=new-program]');
    await pia.page.waitForURL(/\/beta\/new$/);
    const editor = pia.page.locator('[data-testid=program-editor]');
    await editor.waitFor();
    // nothing filled: every problem is named and nothing is sent
    await editor.locator('[data-testid=program-save]').click();
    await editor.locator('[data-testid=editor-problems]').waitFor();
    await shoot(pia.page, 'beta-editor-problems');

    await editor.locator('input[name=name]').fill('Nova Watch beta');
    expect(await editor.locator('input[name=slug]').inputValue()).toBe('nova-watch-beta');
    await editor.locator('select[name=categoryId]').selectOption(String(categoryId));
    await editor.locator('textarea[name=description]').fill('Try the **watch** faces first.');
    await editor.locator('textarea[name=terms]').fill('Keep it to yourself.');
    await editor.locator('input[name=seats]').fill('2');
    await editor.locator('input[name=deviceModel]').first().fill('Nova Watch');
    await editor.locator('[data-testid=add-device]').click();
    await editor.locator('input[name=deviceModel]').nth(1).fill('Nova Watch Mini');
    await editor.locator('input[name=deviceQuota]').nth(1).fill('1');
    await editor.locator('textarea[name=regions]').fill('ES, AR');
    await editor.locator('[data-testid=has-quiz]').check();
    await editor.locator('[data-testid=quiz-prompt]').fill('How often do builds ship?');
    await editor.locator('[data-testid=quiz-choice-text]').nth(0).fill('Every Friday');
    await editor.locator('[data-testid=quiz-choice-text]').nth(1).fill('Never');
    await editor.locator('[data-testid=quiz-correct]').nth(0).check();
    await shoot(pia.page, 'beta-editor');
    await fitsPhone(pia.page);
    await editor.locator('[data-testid=program-save]').click();
    await pia.page.waitForURL(/\/beta\/nova-watch-beta\/manage$/);
    await pia.page.locator('[data-testid=program-state][data-state=draft]').waitFor();
    await pia.page.locator('[data-testid=applications] [data-testid=empty-state]').waitFor();
    await pia.page.click('[data-testid=set-state-open]');
    await pia.page.locator('[data-testid=manage-page] [data-testid=program-state][data-state=open]').waitFor();

    // what was saved is what was typed
    const saved = (await api(pia.page, 'GET', '/api/beta/programs/by-slug/nova-watch-beta')).body;
    expect(saved).toMatchObject({
      name: 'Nova Watch beta',
      state: 'open',
      regions: ['ES', 'AR'],
      quiz: { passMark: 1, questions: [{ prompt: 'How often do builds ship?', correct: 0 }] },
    });
    expect(saved.devices.map((d: { model: string; quota: number | null }) => [d.model, d.quota])).toEqual([
      ['Nova Watch', null],
      ['Nova Watch Mini', 1],
    ]);

    // a fan may not manage it, and has applied nowhere yet
    const jo = await app.signedIn('fan_jo');
    await jo.page.goto(`${app.t.baseUrl}/beta/nova-watch-beta/manage`);
    await jo.page.locator('[data-testid=beta-forbidden]').waitFor();
    await shoot(jo.page, 'beta-manage-forbidden');
    await jo.page.goto(`${app.t.baseUrl}/account`);
    await jo.page.locator('[data-testid=my-applications-empty]').waitFor();

    // jo applies; the manager sees them in the table and removes them with a reason
    const applied = await api(jo.page, 'POST', `/api/beta/programs/${saved.id}/applications`, {
      deviceModel: 'Nova Watch Mini',
      region: 'AR',
      quizAnswers: [0],
      consent: true,
    });
    expect(applied.status).toBe(201);
    await pia.page.reload();
    const row = pia.page.locator('[data-testid=application-row][data-username=fan_jo]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('accepted');

    // seats below the testers accepted are refused with the reason; a change that fits is saved
    await pia.page.click('[data-testid=edit-program]');
    const edit = pia.page.locator('[data-testid=program-editor]');
    await edit.locator('input[name=seats]').fill('0');
    await edit.locator('[data-testid=program-save]').click();
    const refusal = edit.locator('[data-testid=form-error]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      '1 tester is already accepted: seats cannot go below that. Remove testers first.',
    );
    await shoot(pia.page, 'beta-manage-edit-refused');
    await fitsPhone(pia.page);
    await edit.locator('input[name=seats]').fill('5');
    await edit.locator('[data-testid=program-save]').click();
    await edit.waitFor({ state: 'detached' });
    await pia.page.locator('[data-testid=seats-left]:text-is("4")').waitFor();
    expect((await api(pia.page, 'GET', '/api/beta/programs/by-slug/nova-watch-beta')).body.seats.seats).toBe(5);
    await pia.page.locator('[data-testid=filter-status]').selectOption('waitlisted');
    await pia.page.locator('[data-testid=applications] [data-testid=empty-state]').waitFor();
    await pia.page.locator('[data-testid=filter-status]').selectOption('accepted');
    await row.waitFor();
    await shoot(pia.page, 'beta-manage');
    await fitsPhone(pia.page);
    await row.locator('[data-testid=decide-remove]').click();
    await pia.page.locator('[data-testid=decision-reason]').fill('Shared a build screenshot');
    await pia.page.click('[data-testid=decision-submit]');
    await pia.page.locator('[data-testid=applications] [data-testid=empty-state]').waitFor(); // no longer accepted
    await pia.page.locator('[data-testid=filter-status]').selectOption('');
    await pia.page.locator('[data-testid=application-row][data-username=fan_jo][data-status=removed]').waitFor();
    const csv = await pia.page.locator('[data-testid=testers-csv]').getAttribute('href');
    expect(csv).toBe(`/api/beta/programs/${saved.id}/testers.csv`);

    // and jo sees it, with the reason
    await jo.page.goto(`${app.t.baseUrl}/beta/nova-watch-beta`);
    await jo.page.locator('[data-testid=my-application][data-status=removed]').waitFor();
    expect(await jo.page.locator('[data-testid=application-reason]').textContent()).toContain(
      'Shared a build screenshot',
    );

    for (const who of [pia, jo]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });

  it('reviewed applications wait in the review queue and are decided there', async () => {
    await makeAccount(app.t, { username: 'fan_kai', password: PASSWORD });
    await makeAccount(app.t, { username: 'mod_max', password: PASSWORD, role: 'moderator' });
    const pia = await app.signedIn('pm_pia');
    const program = await openProgram(pia.page, { mode: 'reviewed', quiz: null });

    const kai = await app.signedIn('fan_kai');
    await kai.page.goto(`${app.t.baseUrl}/beta/${program.slug}`);
    const form = kai.page.locator('[data-testid=apply-form]');
    await form.waitFor();
    await form.locator('[data-testid=apply-device]').selectOption('Nova 3');
    await form.locator('[data-testid=apply-region]').selectOption('ES');
    await form.locator('[data-testid=apply-consent]').check();
    await form.locator('[data-testid=apply-submit]').click();
    await kai.page.locator('[data-testid=apply-outcome][data-outcome=pending]').waitFor();

    const max = await app.signedIn('mod_max');
    await max.page.goto(`${app.t.baseUrl}/review?type=beta_application&program=${program.id}`);
    const item = max.page.locator('[data-testid=review-item][data-type=beta_application]');
    await item.waitFor();
    expect(await item.locator('[data-testid=review-beta-program]').textContent()).toBe(
      `Nova OS 5 beta ${program.slug.split('-').pop()}`,
    );
    expect(await item.locator('[data-testid=review-beta-device]').textContent()).toBe('Nova 3');
    await shoot(max.page, 'beta-review-queue');
    await fitsPhone(max.page);
    await item.locator('[data-testid=review-beta-reason]').fill('Welcome aboard');
    await item.locator('[data-testid=review-accept]').click();
    await max.page.locator('[data-testid=review-empty]').waitFor();

    // kai's open page learns it from the notification, without a reload
    await kai.page.locator('[data-testid=my-application][data-status=accepted]').waitFor({ timeout: 5_000 });
    expect(await kai.page.locator('[data-testid=tester-number]').textContent()).toBe('#1');

    for (const who of [pia, kai, max]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makePost, makeThread } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, openAccountMenu, shoot } from './browser';

const app = browserTestApp();
const PASSWORD = E2E_PASSWORD;

const signedIn = app.signedIn;

describe('moderation in the browser', () => {
  it('three members flag a post, it disappears live for a fourth, the moderator agrees and silences the author', async () => {
    const category = await makeCategory(app.t, { slug: 'phones', name: 'Phones' });
    const names = ['spammer', 'flag_ana', 'flag_ben', 'flag_cai', 'reader_dee', 'mod_eve'];
    const accounts = Object.fromEntries(
      await Promise.all(
        names.map(async (username) => [
          username,
          await makeAccount(app.t, {
            username,
            password: PASSWORD,
            role: username.startsWith('mod') ? 'moderator' : 'member',
          }),
        ]),
      ),
    );
    const thread = await makeThread(app.t, accounts.reader_dee, {
      categoryId: category.id,
      title: 'Battery life after the update',
    });
    await makePost(app.t, accounts.spammer, thread.id, 'Cheap chargers at totally-legit.example, click now');
    const spamNumber = 2;

    // the fourth member has the thread open the whole time
    const dee = await signedIn('reader_dee');
    await dee.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const deeSpam = dee.page.locator(`[data-testid=post][data-post-number="${spamNumber}"]`);
    await deeSpam.locator('[data-testid=post-body]').waitFor();

    // the first flag through the form
    const ana = await signedIn('flag_ana');
    await ana.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const anaSpam = ana.page.locator(`[data-testid=post][data-post-number="${spamNumber}"]`);
    await anaSpam.locator('[data-testid=flag-button]').click();
    await anaSpam.locator('[data-testid=flag-form]').waitFor();
    await shoot(ana.page, 'flag-form');
    expect(await anaSpam.locator('[data-testid=flag-submit]').isDisabled()).toBe(true); // no reason chosen yet
    await anaSpam.locator('[data-testid=flag-reason-spam]').check();
    await anaSpam.locator('[data-testid=flag-message]').fill('Advertising chargers');
    await anaSpam.locator('[data-testid=flag-submit]').click();
    await anaSpam.locator('[data-testid=flag-thanks]').waitFor();
    expect(await anaSpam.locator('[data-testid=flag-button]').count()).toBe(0); // once per member

    // two more, and the post is hidden for the reader without a reload
    const postId = Number(await anaSpam.getAttribute('data-post-id'));
    const ben = await signedIn('flag_ben');
    const cai = await signedIn('flag_cai');
    expect((await api(ben.page, 'POST', `/api/posts/${postId}/flags`, { reason: 'spam' })).status).toBe(201);
    const started = Date.now();
    expect((await api(cai.page, 'POST', `/api/posts/${postId}/flags`, { reason: 'rude' })).body).toEqual({
      hidden: true,
    });
    await deeSpam.locator('[data-testid=post-hidden]').waitFor({ timeout: 5_000 });
    const hiddenAfterMs = Date.now() - started;
    expect(hiddenAfterMs).toBeLessThan(2_000);
    expect(await deeSpam.locator('[data-testid=post-body]').count()).toBe(0);
    expect(await deeSpam.textContent()).not.toContain('totally-legit');

    // the moderator works the queue
    const eve = await signedIn('mod_eve');
    await eve.page.waitForSelector('[data-testid=nav-review]:has-text("(1)")');
    await eve.page.click('[data-testid=nav-review]');
    const item = eve.page.locator(`[data-testid=review-item][data-post-id="${postId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Advertising chargers');
    expect(await item.textContent()).toContain('3 flags');
    // the queue shows the post's start as text; the whole post comes from the item on demand
    expect(await item.locator('[data-testid=review-excerpt]').textContent()).toContain(
      'Cheap chargers at totally-legit.example, click now',
    );
    expect(await item.locator('.review-post').count()).toBe(0);
    await item.locator('[data-testid=review-whole-post]').click();
    expect(await item.locator('.review-post').textContent()).toContain('click now');
    await shoot(eve.page, 'review-queue');
    await item.locator('[data-testid=review-agree-silence]').click();
    await item.locator('[data-testid=silence-form] input[name=days]').fill('3');
    await item.locator('[data-testid=silence-form] input[name=reason]').fill('Advertising in the forum');
    await item.locator('[data-testid=silence-form] button[type=submit]').click();
    await eve.page.waitForSelector('[data-testid=review-empty]');
    await eve.page.waitForSelector('[data-testid=nav-review]:text-is("Review")');

    // the flaggers are told
    for (const flagger of [ana, ben, cai]) {
      const notes = (await api(flagger.page, 'GET', '/api/notifications')).body as {
        items: { kind: string; data: { outcome?: string } }[];
      };
      expect(notes.items[0]).toMatchObject({ kind: 'flag_outcome', data: { outcome: 'agreed' } });
    }
    await ana.page.goto(`${app.t.baseUrl}/notifications`);
    await ana.page.waitForSelector('text=a moderator agreed with your flag');

    // the author sees why, on every page, and cannot reply
    const spammer = await signedIn('spammer');
    await spammer.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await spammer.page.waitForSelector('[data-testid=silenced-notice]:has-text("Advertising in the forum")');
    const own = spammer.page.locator(`[data-testid=post][data-post-number="${spamNumber}"]`);
    await own.locator('[data-testid=post-hidden]:has-text("A moderator hid this post (spam)")').waitFor();
    await shoot(spammer.page, 'silenced-author');
    expect(await spammer.page.locator('[data-testid=reply-button]').count()).toBe(0);

    for (const session of [dee, ana, ben, cai, eve, spammer]) {
      expect(session.problems).toEqual([]);
      await session.context.close();
    }
  });

  it('lets a moderator silence a member from their profile, note why, and lift it', async () => {
    await makeAccount(app.t, { username: 'loud_lou', password: PASSWORD });
    await makeAccount(app.t, { username: 'mod_max', password: PASSWORD, role: 'moderator' });
    const max = await signedIn('mod_max');
    await max.page.goto(`${app.t.baseUrl}/u/loud_lou`);
    const panel = max.page.locator('[data-testid=member-moderation]');
    await panel.waitFor();
    await panel.locator('[data-testid=sanction-form] input[name=days]').fill('2');
    await panel.locator('[data-testid=sanction-form] input[name=reason]').fill('Shouting in every thread');
    await panel.locator('[data-testid=sanction-form] button[type=submit]').click();
    await panel.locator('[data-testid=standing-silenced]:has-text("Shouting in every thread")').waitFor();
    await panel.locator('textarea[name=note]').fill('Talked to them in private first');
    await panel.locator('.note-form button[type=submit]').click();
    await panel.locator('[data-testid=staff-note]:has-text("Talked to them in private first")').waitFor();
    await shoot(max.page, 'member-moderation');

    const lou = await signedIn('loud_lou');
    await lou.page.waitForSelector('[data-testid=silenced-notice]:has-text("Shouting in every thread")');
    expect(await lou.page.locator('[data-testid=member-moderation]').count()).toBe(0);

    await panel.locator('[data-testid=standing-silenced] button').click();
    await panel.locator('[data-testid=standing-silenced]').waitFor({ state: 'detached' });
    await lou.page.reload();
    await lou.page.waitForSelector('[data-testid=header-username]');
    expect(await lou.page.locator('[data-testid=silenced-notice]').count()).toBe(0);
    for (const session of [max, lou]) {
      expect(session.problems).toEqual([]);
      await session.context.close();
    }
  });

  it('locks a thread from its page: the reply box goes away live for a reader', async () => {
    const category = await makeCategory(app.t, { slug: 'tablets', name: 'Tablets' });
    const writer = await makeAccount(app.t, { username: 'tab_writer', password: PASSWORD });
    await makeAccount(app.t, { username: 'mod_lock', password: PASSWORD, role: 'moderator' });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Which tablet case do you use' });
    const reader = await signedIn('tab_writer');
    await reader.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await reader.page.waitForSelector('[data-testid=reply-button]');
    expect(await reader.page.locator('[data-testid=thread-moderation]').count()).toBe(0);

    const mod = await signedIn('mod_lock');
    await mod.page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    await mod.page.click('[data-testid=toggle-lock]');
    await mod.page.waitForSelector('[data-testid=toggle-lock]:text-is("Unlock")');
    await shoot(mod.page, 'thread-moderation');
    await reader.page.waitForSelector('[data-testid=reply-button]', { state: 'detached', timeout: 5_000 });
    for (const session of [reader, mod]) {
      expect(session.problems).toEqual([]);
      await session.context.close();
    }
  });

  it('moves ideas on the triage board with one official response, filtered by age', async () => {
    const ideas = await makeCategory(app.t, {
      slug: 'wishes',
      name: 'Wishes',
      allowIdeas: true,
      allowDiscussions: false,
    });
    const fan = await makeAccount(app.t, { username: 'wish_fan', password: PASSWORD });
    await makeAccount(app.t, { username: 'pm_pat', password: PASSWORD, role: 'product_manager' });
    const [a, b, recent] = [
      await makeThread(app.t, fan, { categoryId: ideas.id, kind: 'idea', title: 'Dual SIM on the Nova 12' }),
      await makeThread(app.t, fan, { categoryId: ideas.id, kind: 'idea', title: 'Longer battery warranty' }),
      await makeThread(app.t, fan, { categoryId: ideas.id, kind: 'idea', title: 'A brand new wish from today' }),
    ];
    await app.t.db
      .updateTable('threads')
      .set({ created_at: new Date(Date.now() - 10 * 86_400_000) })
      .where('id', 'in', [a.id, b.id])
      .execute();
    const pat = await signedIn('pm_pat');
    await openAccountMenu(pat.page);
    await pat.page.click('[data-testid=nav-triage]');
    const open = pat.page.locator('[data-testid=triage-column][data-status=open]');
    await open.locator(`[data-testid=triage-card][data-idea-id="${recent.id}"]`).waitFor();
    await pat.page.selectOption('[data-testid=triage-age]', '7');
    await open.locator(`[data-testid=triage-card][data-idea-id="${recent.id}"]`).waitFor({ state: 'detached' });
    for (const id of [a.id, b.id])
      await open.locator(`[data-testid=triage-card][data-idea-id="${id}"] input[type=checkbox]`).check();
    await pat.page.selectOption('[data-testid=triage-target]', 'planned');
    await pat.page.fill('[data-testid=triage-response]', 'Both are planned for the autumn update.');
    await shoot(pat.page, 'triage-board');
    await pat.page.click('[data-testid=triage-submit]');
    const planned = pat.page.locator('[data-testid=triage-column][data-status=planned]');
    for (const id of [a.id, b.id]) await planned.locator(`[data-testid=triage-card][data-idea-id="${id}"]`).waitFor();
    expect(await open.locator('[data-testid=triage-card]').count()).toBe(0);
    const rows = await app.t.db
      .selectFrom('threads')
      .select(['status', 'official_response_raw'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows).toEqual([
      { status: 'planned', official_response_raw: 'Both are planned for the autumn update.' },
      { status: 'planned', official_response_raw: 'Both are planned for the autumn update.' },
    ]);
    const member = await signedIn('wish_fan');
    await member.page.goto(`${app.t.baseUrl}/triage`);
    await member.page.waitForSelector('text=Only moderators and product managers triage ideas.');
    expect(await member.page.locator('[data-testid=nav-triage]').count()).toBe(0);
    for (const session of [pat, member]) {
      expect(session.problems).toEqual([]);
      await session.context.close();
    }
  });
});

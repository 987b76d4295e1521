import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makeIdea, makePost, makeThread, makeUser, vote } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD } from './browser';

const suite = browserTestApp();
// evaluated through DevTools, as the page's Content Security Policy refuses any injected script
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate<Violation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
}

let paths: { name: string; path: string; ready: string; signedIn?: boolean }[] = [];
beforeAll(async () => {
  const { t } = suite;
  const author = await makeAccount(t, { username: 'a11y_author', password: E2E_PASSWORD });
  await makeAccount(t, { username: 'a11y_reader', password: E2E_PASSWORD });
  const category = await makeCategory(t, { slug: 'a11y', name: 'Accessible', allowIdeas: true });
  const thread = await makeThread(t, author, { categoryId: category.id, body: 'A first post with **bold** text.' });
  await makePost(t, author, thread.id, 'A reply.');
  const idea = await makeIdea(t, author, { categoryId: category.id, body: 'Please build this.' });
  const fan = await makeUser(t);
  await vote(fan, idea.id);
  paths = [
    { name: 'home', path: '/', ready: '[data-testid=category-list]' },
    { name: 'latest', path: '/latest', ready: 'main' },
    { name: 'category', path: '/c/a11y', ready: 'main' },
    { name: 'thread', path: `/t/${thread.id}`, ready: '[data-testid=post]' },
    { name: 'idea', path: `/t/${idea.id}`, ready: '[data-testid=idea-panel]' },
    { name: 'ideas board', path: '/ideas', ready: '[data-testid=idea-list]' },
    { name: 'roadmap', path: '/roadmap', ready: '[data-testid=roadmap]' },
    { name: 'releases', path: '/releases', ready: 'main' },
    { name: 'betas', path: '/beta', ready: 'main' },
    { name: 'search', path: '/search?q=post', ready: 'main' },
    { name: 'profile', path: '/u/a11y_author', ready: 'main' },
    { name: 'sign in', path: '/sign-in', ready: 'form' },
    { name: 'sign up', path: '/sign-up', ready: 'form' },
    { name: 'thread, signed in', path: `/t/${thread.id}`, ready: '[data-testid=post]', signedIn: true },
    { name: 'ideas board, signed in', path: '/ideas', ready: '[data-testid=idea-list]', signedIn: true },
    { name: 'notifications', path: '/notifications', ready: 'main', signedIn: true },
    { name: 'account', path: '/account', ready: 'main', signedIn: true },
  ];
});

describe('accessibility (axe-core)', () => {
  it('finds nothing serious or critical on the main pages, signed in and out', async () => {
    const anonymous = await suite.browser.newContext({ locale: 'en-US' });
    const reader = await suite.signedIn('a11y_reader');
    const found: string[] = [];
    for (const { name, path, ready, signedIn } of paths) {
      const page = signedIn ? reader.page : await anonymous.newPage();
      await page.goto(`${suite.t.baseUrl}${path}`);
      await page.waitForSelector(ready);
      await page.waitForLoadState('networkidle');
      for (const violation of await seriousViolations(page)) found.push(`${name}: ${violation}`);
      // names read out as shown: the count first, said once
      if (name === 'thread') expect(await page.getByRole('button', { name: '0 likes', exact: true }).count()).toBe(2);
      if (name === 'ideas board') {
        expect(await page.getByRole('button', { name: '1 vote, vote for this idea', exact: true }).count()).toBe(1);
      }
      if (!signedIn) await page.close();
    }
    await anonymous.close();
    await reader.context.close();
    expect(found).toEqual([]);
  });
});

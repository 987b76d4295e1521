import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestApp } from './browser';
import { type MainPage, seedMainPages } from './main-pages';

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

let paths: MainPage[] = [];
beforeAll(async () => {
  paths = await seedMainPages(suite.t, 'a11y');
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
    // axe over every main page twice takes ~30 s alone on this 2-core machine, more beside other work
  }, 120_000);
});

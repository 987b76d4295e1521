import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackBundledChromium } from './chromium';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await fs.rm(root, { recursive: true, force: true });
});

// `npm test` must find a browser on a machine with only Node and npm: the one inside the
// @sparticuz/chromium package is unpacked on first use (Linux x64).
describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the bundled Chromium', () => {
  it('unpacks into an empty folder once, in parallel, and renders a page', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'fanlab-chromium-'));
    roots.push(root);
    const logs: string[] = [];
    const [first, second] = await Promise.all([
      unpackBundledChromium((m) => logs.push(m), root),
      unpackBundledChromium((m) => logs.push(m), root),
    ]);
    expect(first?.executablePath).toBe(second?.executablePath);
    expect(first?.executablePath.startsWith(root)).toBe(true);
    const leftovers = (await fs.readdir(root)).filter((name) => name.includes('.tmp-'));
    expect(leftovers).toEqual([]);

    const again = await unpackBundledChromium((m) => logs.push(`again: ${m}`), root);
    expect(logs.filter((m) => m.startsWith('again'))).toEqual([]); // already there: nothing to do

    const browser = await chromium.launch({
      executablePath: again?.executablePath,
      env: { ...process.env, ...again?.env },
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="p">Fanlab</p><script>document.getElementById("p").textContent += " ok"</script>');
      expect(await page.textContent('#p')).toBe('Fanlab ok');
      const width = (await page.locator('#p').boundingBox())?.width ?? 0;
      expect(width).toBeGreaterThan(20); // fonts were found: text has a width
    } finally {
      await browser.close();
    }
  }, 60_000);
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeCategory, makeThread } from '../../server/test/factories';
import { browserTestApp, E2E_PASSWORD, shoot, signInAs } from './browser';

const app = browserTestApp();

/** Waits until a page expression is true (waitForFunction would evaluate text: the CSP refuses). */
async function until(page: import('playwright-core').Page, expression: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`never true: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const picture = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

/** Hands the composer's text area a file as a paste or a drop would (Chromium's own events). */
function handOver(kind: 'paste' | 'drop', name: string, base64: string): string {
  return `(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'image/png' }));
    const box = document.querySelector('[data-testid=composer]');
    box.focus();
    const event = ${kind === 'paste'}
      ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    box.dispatchEvent(event);
    return event.defaultPrevented;
  })()`;
}

describe('image uploads in the composer', () => {
  it('picks, pastes and drops images into a reply, which shows them once posted', async () => {
    const category = await makeCategory(app.t, { slug: 'shots', name: 'Screenshots' });
    const writer = await makeAccount(app.t, { username: 'shot_sam', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'shot_reader', password: E2E_PASSWORD });
    const thread = await makeThread(app.t, writer, {
      categoryId: category.id,
      title: 'The camera app crashes on launch',
    });

    const { context, page, problems } = await signInAs(app.browser, app.t.baseUrl, 'shot_reader', E2E_PASSWORD);
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const box = page.locator('[data-testid=composer]');
    await box.fill('Same here. ');
    await page.setInputFiles('[data-testid=upload-input]', {
      name: 'crash screen.png',
      mimeType: 'image/png',
      buffer: await picture(640, 360, '#cc3344'),
    });
    await until(
      page,
      "/!\\[crash screen\\]\\(\\/api\\/uploads\\/[0-9a-f]{64}\\.webp\\)/.test(document.querySelector('[data-testid=composer]').value)",
    );
    expect(
      await page.evaluate<boolean>(
        handOver('paste', 'pasted.png', (await picture(300, 200, '#22aa66')).toString('base64')),
      ),
    ).toBe(true);
    expect(
      await page.evaluate<boolean>(
        handOver('drop', 'dropped.png', (await picture(200, 300, '#3355ee')).toString('base64')),
      ),
    ).toBe(true);
    await until(
      page,
      "(document.querySelector('[data-testid=composer]').value.match(/\\/api\\/uploads\\//g) || []).length === 3 && !document.querySelector('[data-testid=composer]').value.includes('Uploading')",
    );
    const text = await box.inputValue();
    expect(text.startsWith('Same here. \n![crash screen](/api/uploads/')).toBe(true);
    expect(text).toContain('![pasted](/api/uploads/');
    expect(text).toContain('![dropped](/api/uploads/');
    await shoot(page, 'upload-composer');

    await page.click('[data-testid=composer-submit]');
    const images = page.locator('#post-2 .cooked img');
    await images.nth(2).waitFor();
    await until(
      page,
      "[...document.querySelectorAll('#post-2 .cooked img')].every((img) => img.complete && img.naturalWidth > 0)",
    );
    expect(await images.first().getAttribute('alt')).toBe('crash screen');
    expect(await page.evaluate<number>("document.querySelector('#post-2 .cooked img').naturalWidth")).toBe(640);
    await shoot(page, 'upload-posted');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('tells a new member why their image did not go in, and leaves their text as it was', async () => {
    const category = await makeCategory(app.t, { slug: 'first-shots', name: 'First shots' });
    const writer = await makeAccount(app.t, { username: 'shot_writer', password: E2E_PASSWORD });
    await makeAccount(app.t, { username: 'shot_newbie', password: E2E_PASSWORD, trustLevel: 0 });
    const thread = await makeThread(app.t, writer, { categoryId: category.id, title: 'Show your home screen setup' });
    const { context, page, problems } = await signInAs(app.browser, app.t.baseUrl, 'shot_newbie', E2E_PASSWORD);
    await page.goto(`${app.t.baseUrl}/t/${thread.id}`);
    const box = page.locator('[data-testid=composer]');
    await box.fill('Mine:');
    await page.setInputFiles('[data-testid=upload-input]', {
      name: 'home.png',
      mimeType: 'image/png',
      buffer: await picture(100, 100, '#888888'),
    });
    await page
      .locator('.reply-composer .form-error:text-is("New members cannot post images yet.")')
      .or(page.locator('.reply-composer .form-error'))
      .first()
      .waitFor();
    expect(await page.locator('.reply-composer .form-error').last().innerText()).toMatch(/images/i);
    await until(page, "!document.querySelector('[data-testid=composer]').value.includes('Uploading')");
    expect(await box.inputValue()).toBe('Mine:\n');
    await shoot(page, 'upload-refused');
    expect(problems).toEqual([]);
    await context.close();
  });
});

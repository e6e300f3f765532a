import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { hasChromium, launchChromium } from './chromium.js';

/** The /demo page in Chromium: generate with live progress and previews, reload to resume, cancel. */

let test: TestApp;
let browser: Browser;
let key: string;

beforeAll(async () => {
  if (!hasChromium) return;
  test = await startTestApp();
  key = (await test.createKey(1000)).key;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await test?.stop();
});

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** Opens the demo, enters the key and fills the placeholder model's form. */
async function openDemo(steps: number, stepMs: number): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${test.url}/demo`);
  await byTestId(page, 'api-key').fill(key);
  await byTestId(page, 'api-key').dispatchEvent('change');
  await expect.poll(() => byTestId(page, 'model').locator('option[value="placeholder"]').count()).toBe(1);
  await byTestId(page, 'model').selectOption('placeholder');
  await byTestId(page, 'prompt').fill('A lighthouse on a cliff at dusk');
  // Inputs generated from the model's parameter JSON schema.
  await page.locator('[data-param="steps"]').fill(String(steps));
  await page.locator('[data-param="stepMs"]').fill(String(stepMs));
  await page.locator('[data-param="resolution"]').selectOption('512');
  expect(errors).toEqual([]);
  return page;
}

async function progressValue(page: Page): Promise<number> {
  return Number(await byTestId(page, 'progress').getAttribute('value'));
}

describe.skipIf(!hasChromium)('demo page', () => {
  it('shows progress and a preview while running, then the result with a download link and progress 100', async () => {
    const page = await openDemo(10, 200);
    try {
      await byTestId(page, 'generate').click();
      // A preview frame appears while the result area is still empty.
      await byTestId(page, 'preview').waitFor({ state: 'visible', timeout: 30_000 });
      expect(await byTestId(page, 'result').locator('img').count()).toBe(0);
      expect(await byTestId(page, 'preview').getAttribute('src')).toMatch(/\/files\//);
      await expect.poll(() => progressValue(page)).toBeGreaterThan(0);

      await byTestId(page, 'result').locator('img').first().waitFor({ timeout: 30_000 });
      expect(await progressValue(page)).toBe(100);
      expect(await byTestId(page, 'status').innerText()).toBe('SUCCEEDED');
      const link = byTestId(page, 'result').locator('a[download]').first();
      const href = await link.getAttribute('href');
      const file = await fetch(new URL(href!, test.url));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('image/png');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
      const image = byTestId(page, 'result').locator('img').first();
      await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBeGreaterThan(0);
      expect(page.url()).toMatch(/#job=[0-9a-f-]{36}$/);
    } finally {
      await page.close();
    }
  });

  it('resumes the job named in the URL after a reload and follows it to the end', async () => {
    const page = await openDemo(16, 200);
    try {
      await byTestId(page, 'generate').click();
      await expect.poll(() => progressValue(page), { timeout: 30_000 }).toBeGreaterThan(10);
      const jobUrl = page.url();
      expect(jobUrl).toContain('#job=');
      await page.reload();
      // The key is remembered; the job comes back from the URL and its stream from the saved cursor.
      expect(await byTestId(page, 'api-key').inputValue()).toBe(key);
      await expect.poll(() => progressValue(page), { timeout: 30_000 }).toBeGreaterThan(10);
      await byTestId(page, 'result').locator('img').first().waitFor({ timeout: 30_000 });
      expect(await progressValue(page)).toBe(100);
      expect(page.url()).toBe(jobUrl);

      // A reload of a finished job shows its result straight away.
      await page.reload();
      await byTestId(page, 'result').locator('img').first().waitFor({ timeout: 30_000 });
    } finally {
      await page.close();
    }
  });

  it('uploads a reference image chosen in the form and runs a model that needs one', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${test.url}/demo`);
      await byTestId(page, 'api-key').fill(key);
      await byTestId(page, 'api-key').dispatchEvent('change');
      await expect.poll(() => byTestId(page, 'model').locator('option[value="local-vectorize"]').count()).toBe(1);
      await byTestId(page, 'model').selectOption('local-vectorize');
      // The vectorizer takes no prompt: the form follows the model's schema and capabilities.
      expect(await byTestId(page, 'prompt').isVisible()).toBe(false);
      const logo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
        .composite([
          {
            input: await sharp({ create: { width: 32, height: 32, channels: 3, background: '#1d4ed8' } })
              .png()
              .toBuffer(),
            left: 16,
            top: 16,
          },
        ])
        .png()
        .toBuffer();
      await byTestId(page, 'reference').setInputFiles({ name: 'Logo.png', mimeType: 'image/png', buffer: logo });
      await byTestId(page, 'generate').click();
      const link = byTestId(page, 'result').locator('a[download]').first();
      await link.waitFor({ timeout: 30_000 });
      expect(await byTestId(page, 'status').innerText()).toBe('SUCCEEDED');
      const svg = await fetch(new URL((await link.getAttribute('href'))!, test.url));
      expect(await svg.text()).toContain('<svg');
    } finally {
      await page.close();
    }
  });

  it('cancels a running job', async () => {
    const page = await openDemo(50, 200);
    try {
      await byTestId(page, 'generate').click();
      await expect.poll(() => progressValue(page), { timeout: 30_000 }).toBeGreaterThan(0);
      await byTestId(page, 'cancel').click();
      await expect.poll(() => byTestId(page, 'status').innerText(), { timeout: 30_000 }).toBe('CANCELED');
      expect(await byTestId(page, 'result').locator('img').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});

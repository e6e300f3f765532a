import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlaceholder, startTestApp, type TestApp } from '../support/app.js';
import { hasChromium, launchChromium } from './chromium.js';

/** Real Chromium against Pictor: GraphiQL subscriptions, a cross-origin page, a multipart upload. */

let test: TestApp;
let browser: Browser;
let key: string;
let pageServer: Server;
let pageOrigin: string;

/** A page on another origin (another port) whose script calls Pictor. */
function crossOriginPage(api: string): string {
  return `<!doctype html><html><body>
<input type="file" id="file" />
<script type="module">
  window.callPictor = async (key) => {
    const response = await fetch('${api}/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key, 'idempotency-key': 'x' + Math.random() },
      body: JSON.stringify({ query: '{ viewer { accountId } }' }),
    });
    return { status: response.status, body: await response.json() };
  };
  window.upload = async (key) => {
    const form = new FormData();
    form.append('file', document.getElementById('file').files[0]);
    const response = await fetch('${api}/v1/media', { method: 'POST', headers: { authorization: 'Bearer ' + key }, body: form });
    return { status: response.status, body: await response.json() };
  };
</script></body></html>`;
}

beforeAll(async () => {
  if (!hasChromium) return;
  let api = '';
  pageServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(crossOriginPage(api)));
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  test = await startTestApp({ CORS_ORIGINS: pageOrigin });
  api = test.url;
  key = (await test.createKey(1000)).key;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await test?.stop();
  await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve(undefined)));
});

/** Replaces the content of GraphiQL's headers editor (Monaco) with `text`, as a person pasting it. */
async function setHeaders(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  await replaceEditorText(page, page.locator('.graphiql-editor:not(.hidden)').last(), text, 'graphiql:headers');
}

/**
 * Types `text` into a GraphiQL editor and waits until GraphiQL has taken it in: it saves an
 * editor's content (under `storageKey`) only after a debounce, and Execute runs what it has saved.
 */
async function replaceEditorText(page: Page, editor: Locator, text: string, storageKey: string): Promise<void> {
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), storageKey), { timeout: 30_000 }).toBe(text);
}

describe.skipIf(!hasChromium)('in Chromium', () => {
  for (const transport of ['SSE', 'WebSocket'] as const) {
    it(`runs a subscription to SUCCEEDED in GraphiQL over ${transport} with the key typed into the headers editor`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(`${test.url}/graphql${transport === 'WebSocket' ? '?subscriptions=ws' : ''}`);
        await page.locator('.graphiql-execute-button').waitFor();
        await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${key}` }));
        // Subscribe to the account's stream first, wait until the server holds the subscription,
        // then start the job: its live updates reach the page however slowly the browser types.
        await replaceEditorText(page, page.locator('.graphiql-query-editor'), 'subscription { jobsUpdated { type progress job { id status } } }', 'graphiql:query');
        const subscribers = async () => Number(/pictor_realtime_subscribers (\d+)/.exec(await (await fetch(`${test.url}/metrics`)).text())?.[1] ?? 0);
        await expect.poll(subscribers, { timeout: 30_000 }).toBe(0); // the previous page's stream has ended
        await page.locator('.graphiql-execute-button').click();
        await expect.poll(subscribers, { timeout: 30_000 }).toBeGreaterThan(0);
        const job = await generatePlaceholder(test, key, { steps: 4, stepMs: 50 });
        // Monaco renders spaces as no-break spaces.
        const response = async () => (await page.locator('.result-window').innerText()).replace(/\u00a0/g, ' ');
        // GraphiQL shows the latest message; the job's terminal update is the last one its stream sends.
        await expect.poll(response, { timeout: 30_000 }).toContain('"type": "SUCCEEDED"');
        expect(await response()).toContain(`"id": "${job.id}"`);
        expect(await response()).toContain('"status": "SUCCEEDED"');
      } finally {
        await page.close();
      }
    });
  }

  it('lets a page on an origin listed in CORS_ORIGINS call the API and upload, and blocks others', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${pageOrigin}/`);
      const called = await page.evaluate((apiKey) => (window as any).callPictor(apiKey), key);
      expect(called.status).toBe(200);
      expect(called.body.data.viewer.accountId).toEqual(expect.any(String));

      // The same page served from an origin that is not listed: the browser refuses the answer.
      await page.goto(pageOrigin.replace('127.0.0.1', 'localhost'));
      const blocked = await page.evaluate(
        (apiKey) =>
          (window as any).callPictor(apiKey).then(
            () => 'allowed',
            (error: Error) => error.name,
          ),
        key,
      );
      expect(blocked).toBe('TypeError');
    } finally {
      await page.close();
    }
  });

  it('uploads a file chosen in a file input to /v1/media as Chromium encodes multipart (mixed-case boundary)', async () => {
    const png = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#c0392b' } })
      .png()
      .toBuffer();
    const page = await browser.newPage();
    try {
      await page.goto(`${pageOrigin}/`);
      const sent = page.waitForRequest((request) => request.url().endsWith('/v1/media') && request.method() === 'POST');
      await page.locator('#file').setInputFiles({ name: 'Red Square.png', mimeType: 'image/png', buffer: png });
      const uploaded = await page.evaluate((apiKey) => (window as any).upload(apiKey), key);
      expect((await (await sent).allHeaders())['content-type']).toMatch(/^multipart\/form-data; boundary=----WebKitFormBoundary[A-Za-z0-9]*[A-Z][A-Za-z0-9]*$/);
      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toMatchObject({ width: 80, height: 60, format: 'PNG', bytes: png.byteLength });
    } finally {
      await page.close();
    }
  });
});

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startTestApp, type TestApp } from '../support/app.js';

/** GraphiQL served by Pictor: a small page, compressed local assets, WebSocket auth from the headers editor. */

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp({ CREATE_DEV_ACCOUNT: 'true' });
  key = (await test.createKey()).key;
});
afterAll(() => test?.stop());

async function graphiqlPage(path = '/graphql') {
  const response = await fetch(`${test.url}${path}`, { headers: { accept: 'text/html' } });
  return { status: response.status, html: await response.text() };
}

describe('GraphiQL', () => {
  it('is a small page whose assets are served locally, compressed and cacheable', async () => {
    const { status, html } = await graphiqlPage();
    expect(status).toBe(200);
    expect(html.length).toBeLessThan(20_000);
    expect(html).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)/);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toHaveLength(3);
    let compressedTotal = 0;
    for (const asset of assets) {
      // fetch decodes the body; the declared length is what travelled.
      const response = await fetch(`${test.url}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      if (asset.endsWith('.js')) expect(response.headers.get('content-encoding')).toBe('br');
      compressedTotal += Number(response.headers.get('content-length'));
      await response.arrayBuffer();
    }
    expect(compressedTotal).toBeLessThan(2_500_000);
    const worker = html.match(/'(\/graphiql\/[^']+\/)'/)![1]!;
    const gzip = await fetch(`${test.url}${worker}graphql.worker.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect((await gzip.text()).length).toBeGreaterThan(100_000);
  });

  it('prefills the development key for loopback visitors and picks the WebSocket transport on request', async () => {
    const { html } = await graphiqlPage('/graphql?subscriptions=ws');
    expect(html).toContain(`Bearer ${test.app.devApiKey}`);
    expect(html).toContain('"subscriptionsProtocol":"WS"');
    expect((await graphiqlPage()).html).toContain('"subscriptionsProtocol":"SSE"');
  });

  it('authenticates WebSocket operations by the key GraphiQL sends in extensions.headers', async () => {
    const client = createClient({ url: `${test.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    try {
      const iterate = (headers: Record<string, string>) => {
        const items: unknown[] = [];
        return (async () => {
          try {
            for await (const result of client.iterate({ query: '{ viewer { accountId } }', extensions: { headers } })) items.push(result);
          } catch (errors) {
            // graphql-ws delivers an operation refused before execution as an error message.
            items.push({ errors });
          }
          return items as { data?: any; errors?: any[] }[];
        })();
      };
      const [ok] = await iterate({ Authorization: `Bearer ${key}` });
      expect(ok!.data.viewer.accountId).toEqual(expect.any(String));
      const [refused] = await iterate({});
      expect(refused!.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      const [wrong] = await iterate({ authorization: 'Bearer pk_wrong' });
      expect(wrong!.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
    // A wrong key in the connection parameters is still refused at connect.
    await expect(collect(test.wsClient('pk_wrong'), '{ __typename }', {})).rejects.toMatchObject({ code: 4401 });
  });
});

describe('/demo without a browser', () => {
  it('serves the page with its test hooks, the dev key for a visitor on this machine, and a bundled script', async () => {
    const page = await fetch(`${test.url}/demo`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const id of ['api-key', 'prompt', 'model', 'generate', 'progress', 'preview', 'result']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain(`data-dev-key="${test.app.devApiKey}"`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

    const script = await fetch(`${test.url}/demo/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    const code = await script.text();
    // The typed client and graphql-ws are inside: the page needs no other download.
    expect(code).toContain('jobUpdated');
    expect(code).not.toMatch(/\bimport\s*[{*"']/);
    expect((await fetch(`${test.url}/demo/other.js`)).status).toBe(404);
    expect((await fetch(`${test.url}/demo`, { method: 'POST' })).status).toBe(405);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { download, makeImage, startLocalServer, type LocalServer } from './support.js';

/**
 * importMedia against a real HTTP server on 127.0.0.1: allowed with ALLOW_PRIVATE_URLS=true (as
 * in development and these tests), refused by the SSRF guard without it.
 */

let open: TestApp;
let guarded: TestApp;
let origin: LocalServer;
let picture: Buffer;
let openKey: string;
let guardedKey: string;

const IMPORT = `mutation($url: String!) { importMedia(url: $url) {
  __typename
  ... on ImportMediaSuccess { media { id width height format bytes source url } }
  ... on Error { code message }
  ... on MediaFetchFailedError { status }
} }`;

beforeAll(async () => {
  picture = await makeImage('jpeg', 160, 90);
  origin = await startLocalServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://origin');
    // Served with a misleading name and type: the content decides.
    if (url.pathname === '/photo.gif') return void response.writeHead(200, { 'content-type': 'text/html' }).end(picture);
    if (url.pathname === '/page.html') return void response.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>not an image</html>');
    if (url.pathname === '/moved') return void response.writeHead(301, { location: '/photo.gif' }).end();
    if (url.pathname === '/broken') return void response.writeHead(503).end();
    response.writeHead(404).end();
  });
  [open, guarded] = await Promise.all([startTestApp({ ALLOW_PRIVATE_URLS: 'true' }), startTestApp()]);
  openKey = (await open.createKey()).key;
  guardedKey = (await guarded.createKey()).key;
});
afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop()]);
  await origin?.close();
});

describe('importMedia', () => {
  it('fetches an http URL, follows redirects and stores what the bytes are', async () => {
    const { body } = await open.graphql(IMPORT, { url: `${origin.url}/moved` }, openKey);
    const result = body.data.importMedia;
    expect(result).toMatchObject({ __typename: 'ImportMediaSuccess', media: { width: 160, height: 90, format: 'JPEG', bytes: picture.byteLength, source: 'URL' } });
    expect((await download(result.media.url)).bytes.equals(picture)).toBe(true);
  });

  it('reports what went wrong as typed errors', async () => {
    const notAnImage = await open.graphql(IMPORT, { url: `${origin.url}/page.html` }, openKey);
    expect(notAnImage.body.data.importMedia).toMatchObject({ __typename: 'UnsupportedMediaError', code: 'UNSUPPORTED_MEDIA' });
    const missing = await open.graphql(IMPORT, { url: `${origin.url}/nothing.png` }, openKey);
    expect(missing.body.data.importMedia).toMatchObject({ __typename: 'MediaFetchFailedError', code: 'MEDIA_FETCH_FAILED', status: 404 });
    const unavailable = await open.graphql(IMPORT, { url: `${origin.url}/broken` }, openKey);
    expect(unavailable.body.data.importMedia).toMatchObject({ __typename: 'MediaFetchFailedError', status: 503 });
    const scheme = await open.graphql(IMPORT, { url: 'file:///etc/passwd' }, openKey);
    expect(scheme.body.data.importMedia).toMatchObject({ __typename: 'UrlNotAllowedError', code: 'URL_NOT_ALLOWED' });
    const badData = await open.graphql(IMPORT, { url: 'data:image/png;base64,@@@' }, openKey);
    expect(badData.body.data.importMedia).toMatchObject({ __typename: 'InvalidMediaError', code: 'INVALID_MEDIA' });
  });

  it('imports data URLs', async () => {
    const png = await makeImage('png', 30, 20);
    const { body } = await guarded.graphql(IMPORT, { url: `data:image/png;base64,${png.toString('base64')}` }, guardedKey);
    expect(body.data.importMedia).toMatchObject({ __typename: 'ImportMediaSuccess', media: { width: 30, height: 20, format: 'PNG', source: 'DATA_URL' } });
  });

  it('refuses loopback, IPv6 and IPv4-mapped targets without ALLOW_PRIVATE_URLS, before any request', async () => {
    const before = origin.requests.length;
    for (const url of [`${origin.url}/photo.gif`, `http://localhost:${origin.port}/photo.gif`, `http://[::1]:${origin.port}/photo.gif`, `http://[::ffff:127.0.0.1]:${origin.port}/photo.gif`]) {
      const { body } = await guarded.graphql(IMPORT, { url }, guardedKey);
      expect(body.data.importMedia, url).toMatchObject({ __typename: 'UrlNotAllowedError', code: 'URL_NOT_ALLOWED' });
    }
    expect(origin.requests.length).toBe(before);
    const [row] = await guarded.app.services.database.sql<{ count: number }[]>`select count(*)::int as count from media where source = 'url'`;
    expect(row!.count).toBe(0);
  });

  it('refuses ALLOW_PRIVATE_URLS in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_PRIVATE_URLS: 'true' })).toThrow(/development and tests only/);
    expect(loadConfig({ ALLOW_PRIVATE_URLS: 'true' }).media.allowPrivateUrls).toBe(true);
    expect(loadConfig({}).media.allowPrivateUrls).toBe(false);
  });

  it('imports through POST /v1/media with a JSON url too', async () => {
    const response = await fetch(`${open.url}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${openKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${origin.url}/photo.gif` }),
    });
    expect(response.status).toBe(201);
    const refused = await fetch(`${guarded.url}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${guardedKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${origin.url}/photo.gif` }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'URL_NOT_ALLOWED' } });
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../../src/media/errors.js';
import { recordImagePlaceholders } from '../../src/media/image-placeholders.js';
import { resolveReferences, type ResolveReferencesOptions } from '../../src/media/resolve-references.js';
import { mediaFetcher } from '../../src/media/service.js';
import { createFetcher } from '../../src/net/safe-fetch.js';
import { computeThumbhash, storeImage } from '../../src/storage/images.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from '../support/app.js';
import { download, makeImage, startLocalServer, uploadMultipart, type LocalServer } from './support.js';
import { rejectionOf } from '../support/provider-requests.js';

/** What the job runner gets from resolveReferences, and placeholders/variants of job outputs. */

let test: TestApp;
let origin: LocalServer;
let alice: { key: string; accountId: string };
let bob: { key: string; accountId: string };
let png: Buffer;

beforeAll(async () => {
  png = await makeImage('png', 64, 64);
  origin = await startLocalServer((request, response) => {
    if (request.url === '/ref.png') return void response.writeHead(200).end(png);
    if (request.url === '/page') return void response.writeHead(200).end('<html></html>');
    response.writeHead(503).end();
  });
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true' });
  alice = await test.createKey();
  bob = await test.createKey();
});
afterAll(async () => {
  await test?.stop();
  await origin?.close();
});

function options(accountId: string, extra: Partial<ResolveReferencesOptions> = {}): ResolveReferencesOptions {
  const { services } = test.app;
  return { accountId, sql: services.database.sql, store: services.store, fetcher: mediaFetcher(services.config), ...extra };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, MediaError);

describe('resolveReferences', () => {
  it('turns media ids, URLs and data URLs into bytes, in order', async () => {
    const webp = await makeImage('webp', 80, 40);
    const jpeg = await makeImage('jpeg', 30, 60);
    const uploaded = (await uploadMultipart(test, alice.key, webp)).body;
    const resolved = await resolveReferences([{ mediaId: uploaded.id }, { url: `${origin.url}/ref.png` }, { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}` }], options(alice.accountId));
    expect(resolved.map(({ format, width, height }) => ({ format, width, height }))).toEqual([
      { format: 'webp', width: 80, height: 40 },
      { format: 'png', width: 64, height: 64 },
      { format: 'jpeg', width: 30, height: 60 },
    ]);
    expect(Buffer.from(resolved[0]!.bytes).equals(webp)).toBe(true);
    expect(Buffer.from(resolved[1]!.bytes).equals(png)).toBe(true);
    expect(Buffer.from(resolved[2]!.bytes).equals(jpeg)).toBe(true);
  });

  it('converts formats the model refuses to PNG', async () => {
    const uploaded = (await uploadMultipart(test, alice.key, await makeImage('webp', 50, 20))).body;
    const [converted] = await resolveReferences([{ mediaId: uploaded.id }], options(alice.accountId, { refusedFormats: ['webp'] }));
    expect(converted).toMatchObject({ format: 'png', width: 50, height: 20 });
    expect((await sharp(converted!.bytes).metadata()).format).toBe('png');
  });

  it("refuses another account's media, bad content and internal URLs, naming the reference", async () => {
    const bobs = (await uploadMultipart(test, bob.key, png)).body;
    const notFound = await failure(resolveReferences([{ url: `${origin.url}/ref.png` }, { mediaId: bobs.id }], options(alice.accountId)));
    expect(notFound).toMatchObject({ code: 'MEDIA_NOT_FOUND', retryable: false, message: expect.stringMatching(/^references\[1\]/) });
    expect(await failure(resolveReferences([{ url: `${origin.url}/page` }], options(alice.accountId)))).toMatchObject({ code: 'UNSUPPORTED_MEDIA' });
    expect(await failure(resolveReferences([{ url: `${origin.url}/down` }], options(alice.accountId)))).toMatchObject({ code: 'MEDIA_FETCH_FAILED', retryable: true });
    const truncated = `data:image/png;base64,${png.subarray(0, 60).toString('base64')}`;
    expect(await failure(resolveReferences([{ dataUrl: truncated }], options(alice.accountId)))).toMatchObject({ code: 'INVALID_MEDIA' });
    const guarded = createFetcher({ maxBytes: 1024 * 1024, timeoutMs: 2000 });
    expect(await failure(resolveReferences([{ url: `${origin.url}/ref.png` }], options(alice.accountId, { fetcher: guarded })))).toMatchObject({ code: 'URL_NOT_ALLOWED' });
    expect(await failure(resolveReferences([{ dataUrl: `data:image/png;base64,${png.toString('base64')}` }], options(alice.accountId, { limits: { maxBytes: 100, maxPixels: 1e6 } })))).toMatchObject({
      code: 'MEDIA_TOO_LARGE',
    });
  });

  it("stops when the job's signal fires", async () => {
    const controller = new AbortController();
    const reason = new Error('canceled');
    controller.abort(reason);
    await expect(resolveReferences([{ url: `${origin.url}/ref.png` }], options(alice.accountId, { signal: controller.signal }))).rejects.toBe(reason);
  });
});

describe('job outputs', () => {
  it('have a ThumbHash and variants', async () => {
    const job = await generatePlaceholder(test, alice.key);
    const query = 'query($id: ID!) { job(id: $id) { status images { id width thumbhash url small: url(format: JPEG, width: 128) } } }';
    const done = await waitFor(async () => {
      const current = (await test.graphql(query, { id: job.id }, alice.key)).body.data.job;
      return current.status === 'SUCCEEDED' && current;
    }, 'the job to succeed');
    const image = done.images[0];
    expect(image.thumbhash).toEqual(expect.any(String));
    const stored = await test.app.services.database.sql`select thumbhash from image_placeholders where image_id = ${image.id}`;
    expect(stored[0]?.thumbhash).toBe(image.thumbhash);
    const small = await download(image.small);
    expect(small.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(small.bytes).metadata()).width).toBe(128);
  });

  it('get their ThumbHash at store time; the runner records it only for images that exist', async () => {
    const stored = await storeImage(test.app.services.store, alice.accountId, png);
    expect(stored.thumbhash).toBe(await computeThumbhash(png));
    await recordImagePlaceholders(test.app.services.database.sql, [stored]);
    const rows = await test.app.services.database.sql`select 1 from image_placeholders where image_id = ${stored.id}`;
    expect(rows).toHaveLength(0);
    await test.app.services.store.delete(stored.storageKey);
  });
});

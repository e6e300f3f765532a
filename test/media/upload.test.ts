import sharp from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { blobKeys, download, graphqlUpload, makeImage, uploadMultipart, uploadRaw } from './support.js';

/** Getting pictures in through POST /v1/media and uploadMedia, validated by content. */

let test: TestApp;
let alice: string;
let bob: string;

beforeAll(async () => {
  // Small limits so the refusals are cheap to provoke.
  test = await startTestApp({ MEDIA_MAX_BYTES: String(300 * 1024), MEDIA_MAX_PIXELS: String(1_000_000) });
  alice = (await test.createKey()).key;
  bob = (await test.createKey()).key;
});
afterAll(() => test?.stop());

const MEDIA_QUERY = 'query($id: ID!) { media(id: $id) { id width height format bytes thumbhash source url } }';
const UPLOAD = `mutation($file: File!) { uploadMedia(file: $file) {
  __typename
  ... on UploadMediaSuccess { media { id width height format bytes thumbhash source url } }
  ... on Error { code message }
  ... on MediaTooLargeError { maxBytes maxPixels }
} }`;

async function mediaRowCount(): Promise<number> {
  const [row] = await test.app.services.database.sql<{ count: number }[]>`select count(*)::int as count from media`;
  return row!.count;
}

describe('POST /v1/media', () => {
  it('stores a multipart upload and returns it as JSON with a signed URL that serves the same bytes', async () => {
    const png = await makeImage('png', 96, 64);
    const { status, body } = await uploadMultipart(test, alice, png);
    expect(status).toBe(201);
    expect(body).toMatchObject({ id: expect.any(String), width: 96, height: 64, format: 'PNG', bytes: png.byteLength, source: 'UPLOAD' });
    expect(thumbHashToApproximateAspectRatio(Buffer.from(body.thumbhash, 'base64'))).toBeCloseTo(96 / 64, 0);

    const file = await download(body.url);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(png)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-length')).toBe(String(png.byteLength));
    expect(file.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
    const etag = file.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await download(body.url, { 'if-none-match': etag })).status).toBe(304);
  });

  it("accepts a browser's mixed-case multipart boundary and media type as sent", async () => {
    // Chromium's boundary looks like this; lowercasing it made every browser upload fail with 400.
    const png = await makeImage('png', 40, 30);
    for (const boundary of ['----WebKitFormBoundaryAbCdEfGh12345678', '----geckoformboundaryF00BAR', 'X'.repeat(70)]) {
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
      const body = Buffer.concat([Buffer.from(head), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const response = await fetch(`${test.url}/v1/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': `Multipart/Form-Data; boundary=${boundary}` },
        body,
      });
      expect(response.status, boundary).toBe(201);
      expect(await response.json()).toMatchObject({ width: 40, height: 30, format: 'PNG' });
    }
  });

  it('judges a raw body by its content, not by the declared type', async () => {
    const jpeg = await makeImage('jpeg', 120, 80);
    const { status, body } = await uploadRaw(test, alice, jpeg, 'image/png');
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'JPEG', width: 120, height: 80 });
    expect((await download(body.url)).headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses what is not a JPEG, PNG or WebP, what is damaged and what is too large, with 4xx codes, storing nothing', async () => {
    const rowsBefore = await mediaRowCount();
    const blobsBefore = await blobKeys(test, 'media/');
    const png = await makeImage('png');
    const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const cases: [Buffer, number, string][] = [
      [await makeImage('gif'), 415, 'UNSUPPORTED_MEDIA'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 415, 'UNSUPPORTED_MEDIA'],
      [Buffer.from('just some text'), 415, 'UNSUPPORTED_MEDIA'],
      [Buffer.alloc(0), 415, 'UNSUPPORTED_MEDIA'],
      [png.subarray(0, png.byteLength - 30), 422, 'INVALID_MEDIA'],
      [Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 7)]), 422, 'INVALID_MEDIA'],
      [bomb, 413, 'MEDIA_TOO_LARGE'], // 4 megapixels, limit 1
      [Buffer.concat([png, Buffer.alloc(400 * 1024)]), 413, 'MEDIA_TOO_LARGE'], // 400 KB, limit 300
    ];
    for (const [bytes, status, code] of cases) {
      const response = await uploadRaw(test, alice, bytes, 'image/png');
      expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
      expect(response.body.error.message).toEqual(expect.any(String));
    }
    // Far above the limit: refused from the declared length, before the body is read.
    expect((await uploadRaw(test, alice, Buffer.alloc(2 * 1024 * 1024))).status).toBe(413);
    // Streamed without a length: reading stops at the limit.
    const chunks = Array.from({ length: 40 }, () => new Uint8Array(64 * 1024));
    const streamed = await fetch(`${test.url}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}` },
      body: new ReadableStream({ pull: (controller) => void (chunks.length ? controller.enqueue(chunks.pop()!) : controller.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as any).error.code).toBe('MEDIA_TOO_LARGE');
    expect(await mediaRowCount()).toBe(rowsBefore);
    expect(await blobKeys(test, 'media/')).toEqual(blobsBefore);
  });

  it('needs an API key and a multipart field named file', async () => {
    const png = await makeImage('png');
    const anonymous = await uploadRaw(test, undefined, png);
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(png)]), 'a.png');
    const response = await fetch(`${test.url}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${alice}` }, body: form });
    expect(response.status).toBe(400);
    expect((await fetch(`${test.url}/v1/media`, { headers: { authorization: `Bearer ${alice}` } })).status).toBe(405);
  });

  it('imports a data URL sent as JSON', async () => {
    const webp = await makeImage('webp', 40, 30);
    const response = await fetch(`${test.url}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dataUrl: `data:image/webp;base64,${webp.toString('base64')}` }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ format: 'WEBP', width: 40, height: 30, source: 'DATA_URL' });
  });
});

describe('uploadMedia and media(id)', () => {
  it('uploads through the GraphQL multipart request spec', async () => {
    const webp = await makeImage('webp', 50, 100);
    const { status, body } = await graphqlUpload(test, alice, UPLOAD, webp, 'anything.png');
    expect(status).toBe(200);
    const result = body.data.uploadMedia;
    expect(result).toMatchObject({ __typename: 'UploadMediaSuccess', media: { width: 50, height: 100, format: 'WEBP', bytes: webp.byteLength, source: 'UPLOAD' } });
    expect((await download(result.media.url)).bytes.equals(webp)).toBe(true);
  });

  it('returns refusals as typed errors', async () => {
    const gif = await graphqlUpload(test, alice, UPLOAD, await makeImage('gif'));
    expect(gif.body.data.uploadMedia).toMatchObject({ __typename: 'UnsupportedMediaError', code: 'UNSUPPORTED_MEDIA', message: expect.stringMatching(/GIF/) });
    const bomb = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    const tooLarge = await graphqlUpload(test, alice, UPLOAD, bomb);
    expect(tooLarge.body.data.uploadMedia).toMatchObject({ __typename: 'MediaTooLargeError', code: 'MEDIA_TOO_LARGE', maxBytes: 300 * 1024, maxPixels: 1_000_000 });
    // A file above MEDIA_MAX_BYTES is cut off while the request is parsed, never buffered whole.
    const huge = await graphqlUpload(test, alice, UPLOAD, Buffer.concat([await makeImage('png'), Buffer.alloc(400 * 1024)]));
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    const notAFile = await test.graphql(UPLOAD, { file: 'data:image/png;base64,AAAA' }, alice);
    expect(notAFile.body.errors?.[0].message).toMatch(/multipart/);
  });

  it("treats another account's media like an unknown id", async () => {
    const { body } = await uploadMultipart(test, alice, await makeImage('png'));
    const own = await test.graphql(MEDIA_QUERY, { id: body.id }, alice);
    expect(own.body.data.media).toMatchObject({ id: body.id, format: 'PNG', thumbhash: body.thumbhash });
    for (const id of [body.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect((await test.graphql(MEDIA_QUERY, { id }, bob)).body.data.media).toBeNull();
    }
  });
});

describe('variants', () => {
  it('renders url(format, width) on first request, caches it and serves it with its own ETag', async () => {
    const { body } = await uploadMultipart(test, alice, await makeImage('png', 400, 200));
    const query = 'query($id: ID!) { media(id: $id) { small: url(format: WEBP, width: 100) jpeg: url(format: JPEG) huge: url(width: 4000) } }';
    const urls = (await test.graphql(query, { id: body.id }, alice)).body.data.media;

    const small = await download(urls.small);
    expect(small.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(small.bytes).metadata()).toMatchObject({ format: 'webp', width: 100, height: 50 });
    const cached = await blobKeys(test, 'variants/');
    expect(cached.some((key) => key.includes(body.id) && key.endsWith('/100.webp'))).toBe(true);
    const again = await download(urls.small);
    expect(again.bytes.equals(small.bytes)).toBe(true);
    const etag = small.headers.get('etag')!;
    expect(etag).not.toBe(`"${body.sha256}"`);
    expect((await download(urls.small, { 'if-none-match': etag })).status).toBe(304);

    expect(await sharp((await download(urls.jpeg)).bytes).metadata()).toMatchObject({ format: 'jpeg', width: 400 });
    // Never enlarged.
    expect(await sharp((await download(urls.huge)).bytes).metadata()).toMatchObject({ width: 400 });
  });

  it('refuses edited or expired file URLs', async () => {
    const { body } = await uploadMultipart(test, alice, await makeImage('png', 200, 200));
    const url = (await test.graphql('query($id: ID!) { media(id: $id) { url(width: 64) } }', { id: body.id }, alice)).body.data.media.url as string;
    expect((await download(url.replace('w=64', 'w=65'))).status).toBe(403);
    expect((await download(url.replace(/exp=\d+/, 'exp=1000'))).status).toBe(403);
    expect((await download(body.url.replace('.png', '.webp'))).status).toBe(403);
    const invalid = await test.graphql('query($id: ID!) { media(id: $id) { url(width: 5) } }', { id: body.id }, alice);
    expect(invalid.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

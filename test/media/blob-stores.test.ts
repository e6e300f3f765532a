import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sweepRetention } from '../../src/media/retention.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { createBlobStore } from '../../src/storage/create-blob-store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { blobKeys, download, makeImage, startS3, uploadMultipart, type LocalS3 } from './support.js';

/**
 * Both blob store drivers against the same contract (the S3 one against a real S3-compatible
 * server, s3rver, started here), then Pictor running on S3: uploads, file URLs, cached variants,
 * presigned redirects and retention.
 */

let s3: LocalS3;
let fsRoot: string;
const stores: Record<'fs' | 's3', BlobStore> = {} as never;

beforeAll(async () => {
  s3 = await startS3();
  fsRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-blobs-'));
  stores.fs = await createBlobStore(loadConfig({ DATA_DIR: fsRoot }).blobStore);
  stores.s3 = await createBlobStore(loadConfig(s3.env({ S3_PREFIX: 'contract' })).blobStore);
});
afterAll(async () => {
  await s3?.close();
  if (fsRoot) await fs.rm(fsRoot, { recursive: true, force: true });
});

describe.each(['fs', 's3'] as const)('the %s blob store', (driver) => {
  it('stores, reads, lists and deletes by key and by folder', async () => {
    const store = stores[driver];
    const bytes = await makeImage('png');
    await store.put('images/a/1.png', bytes, { contentType: 'image/png' });
    await store.put('variants/images/a/1/64.webp', Buffer.from('variant one'));
    await store.put('variants/images/a/1/full.jpeg', Buffer.from('variant two'));
    await store.put('variants/images/a/10/64.webp', Buffer.from('another image'));

    expect((await store.get('images/a/1.png'))?.equals(bytes)).toBe(true);
    expect(await store.get('images/a/missing.png')).toBeUndefined();
    expect((await store.list('variants/images/a/1/')).sort()).toEqual(['variants/images/a/1/64.webp', 'variants/images/a/1/full.jpeg']);
    expect((await store.list('variants/images/a/1')).sort()).toEqual(['variants/images/a/1/64.webp', 'variants/images/a/1/full.jpeg', 'variants/images/a/10/64.webp']);
    expect(await store.list('nothing/here/')).toEqual([]);

    await store.deletePrefix('variants/images/a/1/');
    expect(await store.list('variants/')).toEqual(['variants/images/a/10/64.webp']);
    await store.delete('images/a/1.png');
    await store.delete('images/a/1.png'); // deleting twice is fine
    await store.deletePrefix('variants/images/a/10/');
    expect(await store.list('')).toEqual([]);
  });
});

describe('the fs driver', () => {
  it('writes a fresh key in place, whole, and never overwrites an existing one with a fresh write', async () => {
    const store = stores.fs;
    const bytes = await makeImage('png');
    await store.put('images/fresh/1.png', bytes, { contentType: 'image/png', fresh: true });
    expect((await store.get('images/fresh/1.png'))?.equals(bytes)).toBe(true);
    // No temporary file was left beside it.
    expect(await fs.readdir(path.join(fsRoot, 'blobs', 'images', 'fresh'))).toEqual(['1.png']);

    await expect(store.put('images/fresh/1.png', Buffer.from('other bytes'), { fresh: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect((await store.get('images/fresh/1.png'))?.equals(bytes)).toBe(true);
    await store.deletePrefix('images/fresh/');
  });
});

describe('the S3 driver', () => {
  it('keeps every object under S3_PREFIX and makes presigned URLs that serve the object', async () => {
    await stores.s3.put('media/x/1.png', await makeImage('png'), { contentType: 'image/png' });
    const bare = await createBlobStore(loadConfig(s3.env()).blobStore);
    expect(await bare.list('')).toEqual(['contract/media/x/1.png']);
    const url = await stores.s3.presignedUrl!('media/x/1.png', { expiresInSeconds: 60, contentType: 'image/png', cacheControl: 'private, max-age=60' });
    expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/contract/media/x/1.png?`)).toBe(true);
    const response = await download(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    await stores.s3.delete('media/x/1.png');
  });

  it('refuses BLOB_STORE=s3 without a bucket, and half a credential pair', () => {
    expect(() => loadConfig({ BLOB_STORE: 's3' })).toThrow(/S3_BUCKET/);
    const { S3_SECRET_ACCESS_KEY: _secret, ...halfCredentials } = s3.env();
    expect(() => loadConfig(halfCredentials)).toThrow(/S3_ACCESS_KEY_ID/);
  });
});

describe('Pictor on S3', () => {
  let proxied: TestApp;
  let redirecting: TestApp;
  let key: string;

  beforeAll(async () => {
    [proxied, redirecting] = await Promise.all([startTestApp(s3.env({ S3_PREFIX: 'proxied/' })), startTestApp(s3.env({ S3_PREFIX: 'redirecting/', S3_PRESIGNED_REDIRECTS: 'true' }))]);
    key = (await proxied.createKey()).key;
  });
  afterAll(() => Promise.all([proxied?.stop(), redirecting?.stop()]));

  it('stores uploads in the bucket, serves them and caches variants there', async () => {
    const png = await makeImage('png', 300, 150);
    const { status, body } = await uploadMultipart(proxied, key, png);
    expect(status).toBe(201);
    expect(await blobKeys(proxied, 'media/')).toEqual([expect.stringMatching(new RegExp(`^media/.+/${body.id}\\.png$`))]);
    expect((await download(body.url)).bytes.equals(png)).toBe(true);

    const variantUrl = (await proxied.graphql('query($id: ID!) { media(id: $id) { url(format: WEBP, width: 100) } }', { id: body.id }, key)).body.data.media.url;
    const variant = await download(variantUrl);
    expect(variant.headers.get('content-type')).toBe('image/webp');
    expect(await blobKeys(proxied, 'variants/')).toEqual([expect.stringMatching(new RegExp(`${body.id}/100\\.webp$`))]);
  });

  it('redirects file URLs to presigned bucket URLs when S3_PRESIGNED_REDIRECTS is on', async () => {
    const redirectKey = (await redirecting.createKey()).key;
    const png = await makeImage('png', 64, 64);
    const { body } = await uploadMultipart(redirecting, redirectKey, png);
    const response = await fetch(body.url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/redirecting/media/`)).toBe(true);
    const followed = await download(body.url);
    expect(followed.bytes.equals(png)).toBe(true);
    expect(followed.headers.get('content-type')).toBe('image/png');
  });

  it('deletes expired media from the bucket together with their rows and variants', async () => {
    const { body } = await uploadMultipart(proxied, key, await makeImage('jpeg', 200, 100));
    await download((await proxied.graphql('query($id: ID!) { media(id: $id) { url(width: 50) } }', { id: body.id }, key)).body.data.media.url);
    const { sql } = proxied.app.services.database;
    await sql`update media set expires_at = now() - interval '1 second' where id = ${body.id}`;
    await sweepRetention({ sql, store: proxied.app.services.store, imageTtlSeconds: 0 });
    expect(await sql`select id from media where id = ${body.id}`).toHaveLength(0);
    const left = await blobKeys(proxied);
    expect(left.filter((objectKey) => objectKey.includes(body.id))).toEqual([]);
  });
});

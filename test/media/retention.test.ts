import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMedia } from '../../src/media/create-media.js';
import { sweepRetention } from '../../src/media/retention.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { variantPrefix } from '../../src/storage/variants.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from '../support/app.js';
import { blobKeys, download, makeImage, uploadMultipart } from './support.js';

/**
 * Retention: the worker's sweeper deletes expired media and images with their blobs and cached
 * variants; no row is left pointing at a missing blob and no blob outlives its row, even when
 * the store fails half-way or an upload dies between writing the blob and inserting the row.
 */

let swept: TestApp;
let quiet: TestApp;
let key: string;

beforeAll(async () => {
  [swept, quiet] = await Promise.all([
    startTestApp({ MEDIA_TTL_SECONDS: '3600', IMAGE_TTL_SECONDS: '3600', RETENTION_SWEEP_INTERVAL_MS: '20' }),
    // API only: no worker, so no background sweeper; these tests drive sweeps by hand.
    startTestApp({ ROLE: 'api', MEDIA_TTL_SECONDS: '3600' }),
  ]);
  key = (await swept.createKey()).key;
});
afterAll(() => Promise.all([swept?.stop(), quiet?.stop()]));

/** Rows and blobs agree: every row's blob exists, every blob (and variant) belongs to a row. */
async function expectNothingOrphaned(test: TestApp): Promise<void> {
  const { sql } = test.app.services.database;
  const rows = await sql<{ storageKey: string }[]>`select storage_key from media union all select storage_key from images`;
  const keys = new Set(rows.map((row) => row.storageKey));
  const blobs = await blobKeys(test);
  const originals = blobs.filter((blob) => !blob.startsWith('variants/'));
  expect(originals.sort()).toEqual([...keys].sort());
  const prefixes = [...keys].map(variantPrefix);
  for (const variant of blobs.filter((blob) => blob.startsWith('variants/')))
    expect(
      prefixes.some((prefix) => variant.startsWith(prefix)),
      variant,
    ).toBe(true);
}

describe('the retention sweeper', () => {
  it('deletes an expired media with its blob and variants; the rest stays', async () => {
    const kept = (await uploadMultipart(swept, key, await makeImage('png'))).body;
    const expiring = (await uploadMultipart(swept, key, await makeImage('png', 200, 100))).body;
    expect(Date.parse(expiring.expiresAt) - Date.now()).toBeGreaterThan(3500 * 1000);
    const variantUrl = (await swept.graphql('query($id: ID!) { media(id: $id) { url(format: WEBP, width: 64) } }', { id: expiring.id }, key)).body.data.media.url;
    expect((await download(variantUrl)).status).toBe(200);
    expect((await blobKeys(swept)).filter((blob) => blob.includes(expiring.id))).toHaveLength(2);

    await swept.app.services.database.sql`update media set expires_at = now() - interval '1 second' where id = ${expiring.id}`;
    await waitFor(async () => (await blobKeys(swept)).every((blob) => !blob.includes(expiring.id)), 'the expired media to be swept');
    expect((await swept.graphql('query($id: ID!) { media(id: $id) { id } }', { id: expiring.id }, key)).body.data.media).toBeNull();
    expect((await download(expiring.url)).status).toBe(404);
    expect((await download(variantUrl)).status).toBe(404);
    expect((await swept.graphql('query($id: ID!) { media(id: $id) { id } }', { id: kept.id }, key)).body.data.media.id).toBe(kept.id);
    await expectNothingOrphaned(swept);
  });

  it('deletes job outputs and previews older than IMAGE_TTL_SECONDS, with blobs, variants and placeholders', async () => {
    const job = await generatePlaceholder(swept, key);
    const query = 'query($id: ID!) { job(id: $id) { status images { id url thumbhash small: url(width: 32) } } }';
    const done = await waitFor(async () => {
      const current = (await swept.graphql(query, { id: job.id }, key)).body.data.job;
      return current.status === 'SUCCEEDED' && current;
    }, 'the job to succeed');
    const image = done.images[0];
    expect((await download(image.small)).status).toBe(200);
    const { sql } = swept.app.services.database;
    const before = await sql<{ storageKey: string }[]>`select storage_key from images where job_id = ${job.id}`;
    expect(before.length).toBeGreaterThan(1); // the output and its preview frames

    await sql`update images set created_at = now() - interval '2 hours' where job_id = ${job.id}`;
    // Rows first: their keys enter the outbox in the same statement, so an empty outbox after
    // that means the blobs are gone too.
    await waitFor(async () => (await sql`select 1 from images where job_id = ${job.id}`).length === 0 && (await sql`select 1 from blob_deletions`).length === 0, 'the outputs to be swept');
    const blobs = await blobKeys(swept);
    for (const row of before) expect(blobs.some((blob) => blob === row.storageKey || blob.startsWith(variantPrefix(row.storageKey)))).toBe(false);
    expect(await sql`select 1 from image_placeholders where image_id = ${image.id}`).toHaveLength(0);
    expect((await swept.graphql(query, { id: job.id }, key)).body.data.job.images).toEqual([]);
    expect((await download(image.url)).status).toBe(404);
    await expectNothingOrphaned(swept);
  });
});

describe('nothing is orphaned when things fail', () => {
  it('keeps the keys of a failed blob deletion and deletes them on a later pass', async () => {
    const quietKey = (await quiet.createKey()).key;
    const media = (await uploadMultipart(quiet, quietKey, await makeImage('png'))).body;
    const { store } = quiet.app.services;
    const { sql } = quiet.app.services.database;
    const failing: BlobStore = {
      put: (blobKey, bytes, options) => store.put(blobKey, bytes, options),
      get: (blobKey) => store.get(blobKey),
      list: (prefix) => store.list(prefix),
      delete: async () => {
        throw new Error('store unavailable');
      },
      deletePrefix: async () => {
        throw new Error('store unavailable');
      },
    };
    await sql`update media set expires_at = now() - interval '1 second' where id = ${media.id}`;
    const first = await sweepRetention({ sql, store: failing, imageTtlSeconds: 0, retryDelayMs: 0 });
    expect(first).toMatchObject({ media: 1, blobsDeleted: 0, blobsFailed: 1 });
    expect(await sql`select 1 from media where id = ${media.id}`).toHaveLength(0);
    expect((await blobKeys(quiet)).filter((blob) => blob.includes(media.id))).toHaveLength(1);

    const second = await sweepRetention({ sql, store, imageTtlSeconds: 0, retryDelayMs: 0 });
    expect(second).toMatchObject({ blobsDeleted: 1, blobsFailed: 0 });
    expect(await sql`select 1 from blob_deletions`).toHaveLength(0);
    await expectNothingOrphaned(quiet);
  });

  it('removes the blob of an upload whose row could not be inserted', async () => {
    const { sql } = quiet.app.services.database;
    const { store, config } = quiet.app.services;
    const ghost = '00000000-0000-4000-8000-00000000beef'; // no such account: the insert fails
    const options = { sql, store, accountId: ghost, limits: { maxBytes: config.media.maxBytes, maxPixels: config.media.maxPixels }, ttlSeconds: 0 };
    await expect(createMedia(await makeImage('png'), 'upload', options)).rejects.toThrow(/foreign key/);
    expect(await blobKeys(quiet, `media/${ghost}/`)).toEqual([]);
    expect(await sql`select 1 from blob_deletions`).toHaveLength(0);
  });

  it('cleans up after an upload that died between writing the blob and inserting the row', async () => {
    const { sql } = quiet.app.services.database;
    const { store } = quiet.app.services;
    // What a crashed upload leaves: its outbox entry (due once the grace period passed) and the blob.
    const crashedKey = 'media/00000000-0000-4000-8000-000000000001/crashed.png';
    await sql`insert into blob_deletions (storage_key, not_before) values (${crashedKey}, now() - interval '1 second')`;
    await store.put(crashedKey, await makeImage('png'));
    await sweepRetention({ sql, store, imageTtlSeconds: 0 });
    expect(await store.get(crashedKey)).toBeUndefined();
    await expectNothingOrphaned(quiet);
  });

  it('does not touch an upload still in progress', async () => {
    const { sql } = quiet.app.services.database;
    const { store } = quiet.app.services;
    const pendingKey = 'media/00000000-0000-4000-8000-000000000002/uploading.png';
    await sql`insert into blob_deletions (storage_key, not_before) values (${pendingKey}, now() + interval '1 hour')`;
    await store.put(pendingKey, await makeImage('png'));
    await sweepRetention({ sql, store, imageTtlSeconds: 0 });
    expect(await store.get(pendingKey)).toBeDefined();
    await store.delete(pendingKey);
    await sql`delete from blob_deletions where storage_key = ${pendingKey}`;
  });
});

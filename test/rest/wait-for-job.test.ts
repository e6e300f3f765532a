import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobs } from '../../src/jobs/claim.js';
import { completeJob } from '../../src/jobs/finish.js';
import { recordProgress } from '../../src/jobs/progress.js';
import { waitForJob } from '../../src/rest/shared/jobs.js';
import type { StoredImageInfo } from '../../src/storage/images.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { queueJob } from '../support/jobs.js';

/**
 * What the REST formats wait on (`waitForJob`, behind OpenAI's synchronous and streamed answers):
 * a job that ran before the caller subscribed still shows every preview frame it wrote, in order,
 * then ends with the terminal row. A fast job on a busy machine used to lose its first partial
 * image to the opening snapshot.
 */

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api' });
});
afterAll(async () => {
  await test?.stop();
});

function preview(accountId: string): StoredImageInfo {
  const id = randomUUID();
  return { id, storageKey: `previews/${accountId}/${id}.webp`, width: 256, height: 256, format: 'webp', bytes: 100, sha256: 'b'.repeat(64), thumbhash: null };
}

describe('waitForJob', () => {
  it('sees every preview frame of a job that ran (and ended) before it subscribed', async () => {
    const { sql } = test.app.services.database;
    const key = await test.createKey(100);
    const job = await queueJob(sql, key.accountId);
    await claimJobs(sql, { workerId: 'fast-worker', limit: 1, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 });
    const frames = [preview(key.accountId), preview(key.accountId)];
    for (const [index, frame] of frames.entries()) await recordProgress(sql, { jobId: job.id, workerId: 'fast-worker', progress: (index + 1) / 3, stage: 'rendering', preview: frame });
    expect(
      await completeJob(sql, {
        jobId: job.id,
        modelId: 'placeholder',
        workerId: 'fast-worker',
        images: [],
        pricePerImage: 0,
        warnings: [],
        provider: 'placeholder',
        providerAttempts: [],
        usage: null,
      }),
    ).toBe(true);

    const seen: string[] = [];
    const outcome = await waitForJob(test.app.services, { accountId: key.accountId, keyId: key.keyId, scopes: ['read'], operator: false }, job.id, {
      timeoutMs: 20_000,
      signal: new AbortController().signal,
      onUpdate: async (update) => void (update.preview && seen.push(update.preview.id)),
    });
    expect(seen).toEqual(frames.map((frame) => frame.id));
    expect(outcome).toMatchObject({ kind: 'finished', job: { id: job.id, status: 'SUCCEEDED' } });
  });

  it("answers gone for another account's job", async () => {
    const { sql } = test.app.services.database;
    const [owner, stranger] = [await test.createKey(10), await test.createKey(10)];
    const job = await queueJob(sql, owner.accountId);
    const outcome = await waitForJob(test.app.services, { accountId: stranger.accountId, keyId: stranger.keyId, scopes: ['read'], operator: false }, job.id, {
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({ kind: 'gone' });
  });
});

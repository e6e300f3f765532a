import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createAccountWithKey } from '../../src/accounts/api-keys.js';
import type { Sql, SqlLike } from '../../src/db/client.js';
import { claimJobs } from '../../src/jobs/claim.js';
import type { JobRecord } from '../../src/jobs/records.js';
import { submitJob, type JobSubmission } from '../../src/jobs/submit.js';
import type { StoredImageInfo } from '../../src/storage/images.js';

/** A tenant account with `credits` and its key; the account id is what queue tests need. */
export async function newAccount(sql: Sql, credits = 1_000): Promise<string> {
  return (await createAccountWithKey(sql, { name: 'queue test', credits })).accountId;
}

/** A placeholder submission for the account (free, one image), with `overrides` on top. */
export function placeholderSubmission(accountId: string, overrides: Partial<JobSubmission> = {}): JobSubmission {
  return {
    accountId,
    modelId: 'placeholder',
    params: { prompt: 'queue test' },
    n: 1,
    calls: [1],
    referenceImages: [],
    output: {},
    seed: 1,
    price: 0,
    maxAttempts: 3,
    timeoutMs: 60_000,
    warnings: [],
    ...overrides,
  };
}

/** Queues a placeholder job the way the submission service does (credit hold, job row, QUEUED event). */
export async function queueJob(sql: SqlLike, accountId: string, overrides: Partial<JobSubmission> = {}): Promise<JobRecord> {
  const result = await submitJob(sql, placeholderSubmission(accountId, overrides));
  if (result.kind !== 'queued') throw new Error(`submitJob refused: ${JSON.stringify(result)}`);
  return result.job;
}

/** Queues `count` jobs for the account, one statement each, so their order is their `seq`. */
export async function queueJobs(sql: Sql, accountId: string, count: number): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  for (let index = 0; index < count; index++) jobs.push(await queueJob(sql, accountId));
  return jobs;
}

/** Queues a job holding `held` credits and claims it for a worker of its own; what a finishing worker holds. */
export async function claimedJob(sql: Sql, accountId: string, held: number, n = 1): Promise<{ jobId: string; workerId: string }> {
  const queued = await queueJob(sql, accountId, { price: held, n, calls: [n] });
  const workerId = `worker-${queued.id}`;
  const [claimed] = await claimJobs(sql, { workerId, limit: 1, leaseMs: 60_000, defaultMaxRunningPerAccount: 1_000 });
  expect(claimed?.id).toBe(queued.id);
  return { jobId: queued.id, workerId };
}

/** A stored 64x48 PNG output as `storeImage` describes it (no file behind it). */
export function storedImage(thumbhash: string | null): StoredImageInfo {
  const id = randomUUID();
  return { id, storageKey: `images/test/${id}.png`, width: 64, height: 48, format: 'png', bytes: 1234, sha256: 'a'.repeat(64), thumbhash };
}

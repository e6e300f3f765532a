import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createAccountWithKey } from '../../src/accounts/api-keys.js';
import type { Sql, SqlLike } from '../../src/db/client.js';
import { claimJobs } from '../../src/jobs/claim.js';
import type { JobRecord } from '../../src/jobs/records.js';
import { submitJob, submitJobs, type JobSubmission } from '../../src/jobs/submit.js';
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

/** Queues `count` jobs spread over `accounts`, 500 per statement (the batch path of the submission service). */
export async function queueManyJobs(sql: SqlLike, accounts: readonly string[], count: number): Promise<void> {
  for (let from = 0; from < count; from += 500) {
    const batch = Array.from({ length: Math.min(500, count - from) }, (_, index) => ({ ...placeholderSubmission(accounts[(from + index) % accounts.length]!), jobId: randomUUID() }));
    await submitJobs(sql, batch);
  }
}

/**
 * How `table` was read by what `run` did (PostgreSQL's own counters, read before and after it on
 * one connection: they also hold earlier transactions' counts not yet reported): whole-table
 * scans, and the rows they and the index scans read.
 */
export async function tableReads<T>(sql: Sql, table: string, run: (tx: SqlLike) => Promise<T>): Promise<{ result: T; seqScans: number; rowsRead: number }> {
  const counters = async (tx: SqlLike) => {
    const [row] = await tx<{ seqScans: number; rowsRead: number }[]>`
      select seq_scan::int as seq_scans, (seq_tup_read + coalesce(idx_tup_fetch, 0))::int as rows_read
      from pg_stat_xact_user_tables where relname = ${table}`;
    return row!;
  };
  return sql.begin(async (tx) => {
    const before = await counters(tx);
    const result = await run(tx);
    const after = await counters(tx);
    return { result, seqScans: after.seqScans - before.seqScans, rowsRead: after.rowsRead - before.rowsRead };
  }) as Promise<{ result: T; seqScans: number; rowsRead: number }>;
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

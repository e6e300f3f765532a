import type { Sql, SqlLike } from '../db/client.js';
import { settleCredits } from '../accounts/credits.js';
import { appendJobEvent } from './events.js';
import type { JobStatus } from './records.js';
import type { StoredImageInfo } from '../storage/images.js';
import type { ProviderAttempt } from './routing.js';

/** What every finishing statement records about the upstream calls of this attempt. */
export interface AttemptRecord {
  /** Upstream calls of this attempt, appended to the job's history and the provider call log. */
  providerAttempts: ProviderAttempt[];
  /** Merged usage reported by the upstreams; null when none said. */
  usage: Record<string, unknown> | null;
}

async function recordAttempts(tx: SqlLike, jobId: string, modelId: string, record: AttemptRecord): Promise<void> {
  if (record.providerAttempts.length === 0 && record.usage === null) return;
  await tx`
    update jobs set provider_attempts = provider_attempts || ${tx.json(record.providerAttempts as never)}::jsonb,
      usage = coalesce(${record.usage === null ? null : tx.json(record.usage as never)}::jsonb, usage)
    where id = ${jobId}`;
  const calls = record.providerAttempts.map((attempt) => ({ provider: attempt.provider, model_id: modelId, outcome: attempt.outcome, duration_ms: attempt.durationMs }));
  if (calls.length > 0) await tx`insert into provider_calls ${tx(calls)}`;
}

export interface CompleteJob extends AttemptRecord {
  jobId: string;
  modelId: string;
  workerId: string;
  images: StoredImageInfo[];
  /** Credits per produced image; the rest of the hold is released. */
  pricePerImage: number;
  warnings: string[];
  provider: string;
}

/**
 * Marks a job this worker holds SUCCEEDED with its images, captures credits for what was produced
 * and appends the terminal event, in one transaction. Returns false when the job is no longer ours
 * (canceled or swept meanwhile); the caller then discards the blobs.
 */
export async function completeJob(sql: Sql, outcome: CompleteJob): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [job] = await tx<{ accountId: string }[]>`
      update jobs set status = 'SUCCEEDED', progress = 1, stage = null, finished_at = now(), locked_by = null,
        locked_until = null, warnings = warnings || ${outcome.warnings}::text[], provider = ${outcome.provider},
        error_code = null, error_message = null
      where id = ${outcome.jobId} and locked_by = ${outcome.workerId} and status = 'RUNNING'
      returning account_id`;
    if (!job) return false;
    for (const [position, image] of outcome.images.entries()) {
      await tx`
        insert into images (id, account_id, job_id, kind, position, storage_key, width, height, format, bytes, sha256)
        values (${image.id}, ${job.accountId}, ${outcome.jobId}, 'output', ${position}, ${image.storageKey}, ${image.width},
                ${image.height}, ${image.format}, ${image.bytes}, ${image.sha256})`;
    }
    await settleCredits(tx, outcome.jobId, outcome.pricePerImage * outcome.images.length);
    await recordAttempts(tx, outcome.jobId, outcome.modelId, outcome);
    await appendJobEvent(tx, { jobId: outcome.jobId, accountId: job.accountId, type: 'SUCCEEDED', status: 'SUCCEEDED', progress: 1 });
    return true;
  });
}

export interface FailJob extends AttemptRecord {
  jobId: string;
  modelId: string;
  workerId: string;
  code: string;
  message: string;
  /** Re-queue (after `backoffMs`) when attempts remain; otherwise FAILED. */
  retryable: boolean;
  backoffMs: number;
  provider?: string | null;
}

/** Fails or re-queues a job this worker holds. Returns the resulting status, or null if not ours. */
export async function failJob(sql: Sql, failure: FailJob): Promise<JobStatus | null> {
  return sql.begin(async (tx) => {
    const [job] = await tx<{ accountId: string; status: JobStatus; progress: number }[]>`
      update jobs set
        status = case when ${failure.retryable} and attempts < max_attempts then 'QUEUED' else 'FAILED' end,
        run_after = now() + ${failure.backoffMs} * interval '1 millisecond',
        finished_at = case when ${failure.retryable} and attempts < max_attempts then null else now() end,
        locked_by = null, locked_until = null, stage = null,
        error_code = ${failure.code}, error_message = ${failure.message}, provider = coalesce(${failure.provider ?? null}, provider)
      where id = ${failure.jobId} and locked_by = ${failure.workerId} and status = 'RUNNING'
      returning account_id, status, progress`;
    if (!job) return null;
    await recordAttempts(tx, failure.jobId, failure.modelId, failure);
    if (job.status === 'FAILED') {
      await settleCredits(tx, failure.jobId, 0);
      await appendJobEvent(tx, { jobId: failure.jobId, accountId: job.accountId, type: 'FAILED', status: 'FAILED', progress: job.progress, message: `${failure.code}: ${failure.message}` });
    } else {
      await tx`update jobs set progress = 0 where id = ${failure.jobId}`;
      await appendJobEvent(tx, { jobId: failure.jobId, accountId: job.accountId, type: 'RETRYING', status: 'QUEUED', progress: 0, message: `${failure.code}: ${failure.message}` });
    }
    return job.status;
  });
}

/** Ends a running job this worker holds as CANCELED (its cancel was requested) and releases credits. */
export async function finishCanceled(sql: Sql, jobId: string, workerId: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [job] = await tx<{ accountId: string; progress: number }[]>`
      update jobs set status = 'CANCELED', finished_at = now(), locked_by = null, locked_until = null, stage = null
      where id = ${jobId} and locked_by = ${workerId} and status = 'RUNNING'
      returning account_id, progress`;
    if (!job) return false;
    await settleCredits(tx, jobId, 0);
    await appendJobEvent(tx, { jobId, accountId: job.accountId, type: 'CANCELED', status: 'CANCELED', progress: job.progress, message: 'canceled by request' });
    return true;
  });
}

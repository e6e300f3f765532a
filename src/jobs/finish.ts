import type { Sql, SqlLike } from '../db/client.js';
import { settleCredits, settlementLedger } from '../accounts/credits.js';
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
 * Marks a job this worker holds SUCCEEDED with its images (and their placeholders), captures
 * credits for what was produced, records the upstream calls and appends the terminal event, all
 * in ONE statement: one round trip and one commit, atomic on its own. Returns false when the job
 * is no longer ours (canceled or swept meanwhile); then nothing is written and the caller
 * discards the blobs.
 */
export async function completeJob(sql: Sql, outcome: CompleteJob): Promise<boolean> {
  const charged = outcome.pricePerImage * outcome.images.length;
  const images = outcome.images.map((image, position) => ({
    id: image.id,
    position,
    storage_key: image.storageKey,
    width: image.width,
    height: image.height,
    format: image.format,
    bytes: image.bytes,
    sha256: image.sha256,
    thumbhash: image.thumbhash,
  }));
  const calls = outcome.providerAttempts.map((attempt) => ({ provider: attempt.provider, outcome: attempt.outcome, duration_ms: attempt.durationMs }));
  const [done] = await sql<{ completed: boolean }[]>`
    with old as (
      select id, credits_held from jobs where id = ${outcome.jobId} and locked_by = ${outcome.workerId} and status = 'RUNNING' for update
    ), settled as (
      update jobs set status = 'SUCCEEDED', progress = 1, stage = null, finished_at = now(), locked_by = null,
        locked_until = null, warnings = warnings || ${outcome.warnings}::text[], provider = ${outcome.provider},
        error_code = null, error_message = null,
        credits_held = 0, credits_charged = least(${charged}::bigint, old.credits_held),
        provider_attempts = provider_attempts || ${sql.json(outcome.providerAttempts as never)}::jsonb,
        usage = coalesce(${outcome.usage === null ? null : sql.json(outcome.usage as never)}::jsonb, usage)
      from old where jobs.id = old.id
      returning jobs.account_id, jobs.id as job_id, old.credits_held as held, least(${charged}::bigint, old.credits_held) as captured
    ), outputs as (
      select * from jsonb_to_recordset(${sql.json(images as never)}::jsonb)
        as image(id uuid, position integer, storage_key text, width integer, height integer, format text, bytes integer, sha256 text, thumbhash text)
    ), stored as (
      insert into images (id, account_id, job_id, kind, position, storage_key, width, height, format, bytes, sha256)
      select outputs.id, settled.account_id, settled.job_id, 'output', outputs.position, outputs.storage_key, outputs.width,
             outputs.height, outputs.format, outputs.bytes, outputs.sha256
      from settled cross join outputs
    ), placeholders as (
      insert into image_placeholders (image_id, thumbhash)
      select outputs.id, outputs.thumbhash from settled cross join outputs where outputs.thumbhash is not null
    ), calls as (
      insert into provider_calls (provider, model_id, outcome, duration_ms)
      select call.provider, ${outcome.modelId}, call.outcome, call.duration_ms
      from settled cross join jsonb_to_recordset(${sql.json(calls as never)}::jsonb) as call(provider text, outcome text, duration_ms integer)
    ), succeeded as (
      insert into job_events (job_id, account_id, type, status, progress)
      select job_id, account_id, 'SUCCEEDED', 'SUCCEEDED', 1 from settled
    ),
    ${settlementLedger(sql)}
    select exists (select 1 from settled) as completed`;
  return done?.completed === true;
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

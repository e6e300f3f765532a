import type { Sql, SqlLike } from '../db/client.js';
import { settlementLedger } from '../accounts/credits.js';
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

/**
 * The upstream calls of this attempt for the provider call log, as a CTE body reading the job row
 * from `source` (a CTE of the calling statement that returns one row when the job was ours).
 */
function callLog(sql: SqlLike, source: string, modelId: string, record: AttemptRecord) {
  const calls = record.providerAttempts.map((attempt) => ({ provider: attempt.provider, outcome: attempt.outcome, duration_ms: attempt.durationMs }));
  return sql`
    insert into provider_calls (provider, model_id, outcome, duration_ms)
    select call.provider, ${modelId}, call.outcome, call.duration_ms
    from ${sql(source)} cross join jsonb_to_recordset(${sql.json(calls as never)}::jsonb) as call(provider text, outcome text, duration_ms integer)`;
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
  return (await completeJobs(sql, [outcome])).has(outcome.jobId);
}

/**
 * `completeJob` for several jobs in one statement (group commit, see finish-batch.ts): each job is
 * written as `completeJob` would write it, all in one commit. Returns the ids of the jobs that were
 * completed; a job no longer held by the worker named in its outcome is left untouched, and the
 * others are written all the same.
 */
export async function completeJobs(sql: Sql, outcomes: readonly CompleteJob[]): Promise<Set<string>> {
  if (outcomes.length === 0) return new Set();
  const jobs = outcomes.map((outcome) => ({
    job_id: outcome.jobId,
    worker_id: outcome.workerId,
    model_id: outcome.modelId,
    charged: outcome.pricePerImage * outcome.images.length,
    warnings: outcome.warnings,
    provider: outcome.provider,
    provider_attempts: outcome.providerAttempts,
    usage: outcome.usage,
    calls: outcome.providerAttempts.map((attempt) => ({ provider: attempt.provider, outcome: attempt.outcome, duration_ms: attempt.durationMs })),
  }));
  const images = outcomes.flatMap((outcome) =>
    outcome.images.map((image, position) => ({
      job_id: outcome.jobId,
      id: image.id,
      position,
      storage_key: image.storageKey,
      width: image.width,
      height: image.height,
      format: image.format,
      bytes: image.bytes,
      sha256: image.sha256,
      thumbhash: image.thumbhash,
    })),
  );
  // Job rows are locked in id order. Account rows (refunds) are not: should that deadlock with
  // another process's statement, PostgreSQL aborts one and JobFinisher writes its jobs one by one.
  const rows = await sql<{ jobId: string }[]>`
    with input as (
      select * from jsonb_to_recordset(${sql.json(jobs as never)}::jsonb)
        as input(job_id uuid, worker_id text, model_id text, charged bigint, warnings text[], provider text, provider_attempts jsonb, usage jsonb, calls jsonb)
    ), old as (
      select jobs.id, jobs.credits_held from jobs join input on input.job_id = jobs.id
      where jobs.locked_by = input.worker_id and jobs.status = 'RUNNING'
      order by jobs.id
      for update of jobs
    ), settled as (
      update jobs set status = 'SUCCEEDED', progress = 1, stage = null, finished_at = now(), locked_by = null,
        locked_until = null, warnings = jobs.warnings || input.warnings, provider = input.provider,
        error_code = null, error_message = null,
        credits_held = 0, credits_charged = least(input.charged, old.credits_held),
        provider_attempts = jobs.provider_attempts || input.provider_attempts,
        usage = coalesce(nullif(input.usage, 'null'::jsonb), jobs.usage)
      from old join input on input.job_id = old.id
      where jobs.id = old.id
      returning jobs.account_id, jobs.id as job_id, old.credits_held as held, least(input.charged, old.credits_held) as captured
    ), outputs as (
      select * from jsonb_to_recordset(${sql.json(images as never)}::jsonb)
        as image(job_id uuid, id uuid, position integer, storage_key text, width integer, height integer, format text, bytes integer, sha256 text, thumbhash text)
    ), stored as (
      insert into images (id, account_id, job_id, kind, position, storage_key, width, height, format, bytes, sha256)
      select outputs.id, settled.account_id, settled.job_id, 'output', outputs.position, outputs.storage_key, outputs.width,
             outputs.height, outputs.format, outputs.bytes, outputs.sha256
      from settled join outputs on outputs.job_id = settled.job_id
    ), placeholders as (
      insert into image_placeholders (image_id, thumbhash)
      select outputs.id, outputs.thumbhash from settled join outputs on outputs.job_id = settled.job_id where outputs.thumbhash is not null
    ), calls as (
      insert into provider_calls (provider, model_id, outcome, duration_ms)
      select call.provider, input.model_id, call.outcome, call.duration_ms
      from settled join input on input.job_id = settled.job_id
      cross join jsonb_to_recordset(input.calls) as call(provider text, outcome text, duration_ms integer)
    ), succeeded as (
      insert into job_events (job_id, account_id, type, status, progress)
      select job_id, account_id, 'SUCCEEDED', 'SUCCEEDED', 1 from settled order by job_id
    ),
    ${settlementLedger(sql)}
    select job_id from settled`;
  return new Set(rows.map((row) => row.jobId));
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

/**
 * Fails or re-queues a job this worker holds, in ONE statement: the job (QUEUED after `backoffMs`
 * while attempts remain, else FAILED with its hold released), the upstream calls, and the
 * RETRYING or FAILED event. Returns the resulting status, or null if the job is no longer ours.
 */
export async function failJob(sql: Sql, failure: FailJob): Promise<JobStatus | null> {
  const message = `${failure.code}: ${failure.message}`;
  const [row] = await sql<{ status: JobStatus }[]>`
    with old as (
      select id, credits_held, progress, (${failure.retryable} and attempts < max_attempts) as retry
      from jobs where id = ${failure.jobId} and locked_by = ${failure.workerId} and status = 'RUNNING' for update
    ), ended as (
      update jobs set
        status = case when old.retry then 'QUEUED' else 'FAILED' end,
        run_after = now() + ${failure.backoffMs} * interval '1 millisecond',
        finished_at = case when old.retry then null else now() end,
        progress = case when old.retry then 0 else jobs.progress end,
        locked_by = null, locked_until = null, stage = null,
        error_code = ${failure.code}, error_message = ${failure.message}, provider = coalesce(${failure.provider ?? null}, provider),
        provider_attempts = provider_attempts || ${sql.json(failure.providerAttempts as never)}::jsonb,
        usage = coalesce(${failure.usage === null ? null : sql.json(failure.usage as never)}::jsonb, usage),
        credits_held = case when old.retry then jobs.credits_held else 0 end,
        credits_charged = case when not old.retry and old.credits_held > 0 then 0 else jobs.credits_charged end
      from old where jobs.id = old.id
      returning jobs.id as job_id, jobs.account_id, jobs.status, old.retry, old.progress, old.credits_held as held
    ), settled as (
      select account_id, job_id, held, 0::bigint as captured from ended where not retry and held > 0
    ), calls as (
      ${callLog(sql, 'ended', failure.modelId, failure)}
    ), logged as (
      insert into job_events (job_id, account_id, type, status, progress, message)
      select job_id, account_id, case when retry then 'RETRYING' else 'FAILED' end, status, case when retry then 0 else progress end, ${message} from ended
    ),
    ${settlementLedger(sql)}
    select status from ended`;
  return row?.status ?? null;
}

/** Ends a running job this worker holds as CANCELED (its cancel was requested) and releases its hold, in one statement. */
export async function finishCanceled(sql: Sql, jobId: string, workerId: string): Promise<boolean> {
  const [row] = await sql<{ ended: boolean }[]>`
    with old as (
      select id, credits_held, progress from jobs where id = ${jobId} and locked_by = ${workerId} and status = 'RUNNING' for update
    ), ended as (
      update jobs set status = 'CANCELED', finished_at = now(), locked_by = null, locked_until = null, stage = null,
        credits_held = 0, credits_charged = case when old.credits_held > 0 then 0 else jobs.credits_charged end
      from old where jobs.id = old.id
      returning jobs.id as job_id, jobs.account_id, old.progress, old.credits_held as held
    ), settled as (
      select account_id, job_id, held, 0::bigint as captured from ended where held > 0
    ), logged as (
      insert into job_events (job_id, account_id, type, status, progress, message)
      select job_id, account_id, 'CANCELED', 'CANCELED', progress, 'canceled by request' from ended
    ),
    ${settlementLedger(sql)}
    select exists (select 1 from ended) as ended`;
  return row?.ended === true;
}

import type { Sql } from '../db/client.js';
import { findModel } from '../catalog/index.js';
import { AbortedError, coerceError, PictorError } from '../errors.js';
import type { ImageProvider, ProgressUpdate } from '../providers/spec.js';
import type { BlobStore } from '../storage/blob-store.js';
import { encodeOutput } from '../storage/encode.js';
import { storeImage, type StoredImageInfo } from '../storage/images.js';
import sharp from 'sharp';
import { completeJob, failJob, finishCanceled } from './finish.js';
import { releaseJob } from './lease.js';
import { recordProgress } from './progress.js';
import { ProgressReporter } from './progress-reporter.js';
import type { JobRecord } from './records.js';

export interface RunJobDependencies {
  sql: Sql;
  store: BlobStore;
  providers: ReadonlyMap<string, ImageProvider>;
  workerId: string;
  progressIntervalMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

/** Retry delay after a failed attempt: 1 s, 2 s, 4 s ... capped at a minute. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Rejects as soon as the signal fires, even if the engine ignores it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs one claimed job to its end: picks the first route with a configured provider, streams
 * throttled progress and previews into the log, stores outputs and finishes the job. `signal`
 * fires on cancel, timeout, shutdown or a lost lease; its reason decides how the job ends.
 */
export async function runJob(job: JobRecord, signal: AbortSignal, deps: RunJobDependencies): Promise<void> {
  const reporter = new ProgressReporter(
    deps.progressIntervalMs,
    async (update: ProgressUpdate) => {
      const preview = update.preview ? await storeImage(deps.store, job.accountId, update.preview, 'previews') : undefined;
      await recordProgress(deps.sql, { jobId: job.id, workerId: deps.workerId, progress: update.progress, stage: update.stage ?? null, preview });
    },
    (error) => deps.log('warn', 'progress write failed', { jobId: job.id, error: coerceError(error).message }),
  );
  let provider: ImageProvider | undefined;
  let outputs: StoredImageInfo[] = [];
  try {
    const model = findModel(job.modelId);
    if (!model) throw new PictorError('MODEL_NOT_FOUND', `Model ${job.modelId} is no longer in the catalog`);
    const route = model.routes.find((candidate) => deps.providers.has(candidate.provider));
    if (!route) throw new PictorError('NO_ROUTE', `No provider is configured for model ${model.id}`);
    provider = deps.providers.get(route.provider)!;
    const warnings: string[] = [];
    // n above what one upstream call returns runs as several calls; progress spans all of them.
    let seedOffset = 0;
    for (const [callIndex, count] of job.calls.entries()) {
      const request = { modelId: model.id, upstreamModel: route.upstreamModel, params: job.params, n: count, seed: job.seed + seedOffset };
      const onProgress = (update: ProgressUpdate) => reporter.report({ ...update, progress: (callIndex + update.progress) / job.calls.length });
      const result = await untilAborted(provider.run(request, { signal, onProgress }), signal);
      signal.throwIfAborted();
      if (result.images.length === 0) throw new PictorError('NO_OUTPUT', `${provider.id} returned no image`, { retryable: true });
      for (const warning of result.warnings ?? []) if (!warnings.includes(warning)) warnings.push(warning);
      for (const image of result.images) {
        if (!image.bytes) throw new PictorError('UNSUPPORTED_OUTPUT', `${provider.id} returned an image URL; downloading outputs is not available for this engine`);
        const produced = (await sharp(image.bytes).metadata().catch(() => undefined))?.format ?? 'unknown';
        const bytes = await encodeOutput(image.bytes, job.output, String(produced) === 'jpg' ? 'jpeg' : String(produced));
        outputs.push(await storeImage(deps.store, job.accountId, bytes));
      }
      seedOffset += count;
    }
    await reporter.close();
    signal.throwIfAborted();
    const pricePerImage = model.price(model.params.parse(job.params) as never);
    const completed = await completeJob(deps.sql, { jobId: job.id, workerId: deps.workerId, images: outputs, pricePerImage, warnings, provider: provider.id });
    if (!completed) await discard(deps.store, outputs);
  } catch (thrown) {
    await reporter.close();
    await discard(deps.store, outputs);
    outputs = [];
    const error = signal.aborted ? coerceError(signal.reason) : coerceError(thrown);
    await endFailedRun(job, error, provider?.id ?? null, deps);
  }
}

async function discard(store: BlobStore, images: StoredImageInfo[]): Promise<void> {
  await Promise.all(images.map((image) => store.delete(image.storageKey).catch(() => undefined)));
}

/** Every way a run can stop early maps to exactly one final handling. */
async function endFailedRun(job: JobRecord, error: PictorError, provider: string | null, deps: RunJobDependencies): Promise<void> {
  const reason = error instanceof AbortedError ? error.reason : 'error';
  switch (reason) {
    case 'canceled':
      await finishCanceled(deps.sql, job.id, deps.workerId);
      return;
    case 'shutdown':
      // We MUST hand the job back, or it would wait for the sweeper after the lease expires.
      await releaseJob(deps.sql, deps.workerId, job.id, 'released by a worker shutting down');
      return;
    case 'lease-lost':
      // Another worker may already own the job; touching it now would corrupt its run.
      deps.log('warn', 'lease lost; abandoning job', { jobId: job.id });
      return;
    case 'timeout':
      await failJob(deps.sql, { jobId: job.id, workerId: deps.workerId, code: error.code, message: error.message, retryable: false, backoffMs: 0, provider });
      return;
    case 'error': {
      const status = await failJob(deps.sql, { jobId: job.id, workerId: deps.workerId, code: error.code, message: error.message, retryable: error.retryable, backoffMs: retryBackoffMs(job.attempts), provider });
      deps.log(status === 'QUEUED' ? 'warn' : 'error', 'job attempt failed', { jobId: job.id, code: error.code, message: error.message, status });
      return;
    }
    default: {
      const exhaustive: never = reason;
      throw new Error(`Unhandled abort reason ${String(exhaustive)}`);
    }
  }
}

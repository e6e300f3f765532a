import sharp from 'sharp';
import type { Sql } from '../db/client.js';
import { findModel } from '../catalog/index.js';
import { sniffFormat } from '../storage/sniff.js';
import { AbortedError, coerceError, PictorError } from '../errors.js';
import type { GeneratedImage, ImageProvider, ProgressUpdate, Usage } from '../providers/spec.js';
import type { InputImage } from '../catalog/request.js';
import type { BlobStore } from '../storage/blob-store.js';
import { encodeOutput } from '../storage/encode.js';
import { storeImage, type StoredImageInfo } from '../storage/images.js';
import { failJob, finishCanceled, type AttemptRecord, type CompleteJob } from './finish.js';
import { releaseJob } from './lease.js';
import { recordProgress } from './progress.js';
import { ProgressReporter } from './progress-reporter.js';
import type { JobRecord, ReferenceImage } from './records.js';
import { callWithRoutes, RoutingFailure, type ProviderAttempt, type ProviderLimiter } from './routing.js';

export interface RunJobDependencies {
  sql: Sql;
  store: BlobStore;
  providers: ReadonlyMap<string, ImageProvider>;
  workerId: string;
  progressIntervalMs: number;
  limiter: ProviderLimiter;
  routing: { maxRetries: number; retryBaseMs: number };
  /**
   * Turns the job's reference list into checked image bytes (media ids, URLs, data URLs),
   * converting formats the model refuses.
   */
  resolveReferences: (references: ReferenceImage[], options: { accountId: string; signal: AbortSignal; refusedFormats: readonly string[] }) => Promise<InputImage[]>;
  /** Downloads an upstream output URL at once (they expire), through the SSRF guard. */
  download: (url: string, signal: AbortSignal) => Promise<Uint8Array>;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /**
   * Writes a successful end (`completeJob`, or the worker's group commit of it); resolves once
   * committed, false when the job is no longer this worker's.
   */
  complete: (outcome: CompleteJob) => Promise<boolean>;
}

/** Retry delay after a failed attempt: 1 s, 2 s, 4 s ... capped at a minute. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Sums what the upstreams reported; null (unknown) unless at least one call said something. */
function mergeUsage(usages: (Usage | undefined)[]): Record<string, unknown> | null {
  const reported = usages.filter((usage): usage is Usage => usage !== undefined);
  if (reported.length === 0) return null;
  const sum = (key: 'costUsd' | 'inputTokens' | 'outputTokens') => (reported.every((usage) => usage[key] === undefined) ? undefined : reported.reduce((total, usage) => total + (usage[key] ?? 0), 0));
  return { costUsd: sum('costUsd') ?? null, inputTokens: sum('inputTokens') ?? null, outputTokens: sum('outputTokens') ?? null, raw: reported.map((usage) => usage.raw ?? {}) };
}

/**
 * Runs one claimed job to its end: resolves its reference images, calls the model's routes
 * (retries and fallback in `callWithRoutes`) once per planned call, streams throttled progress and
 * previews into the log, downloads, re-encodes and stores outputs, and finishes the job. `signal`
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
  const attempts: ProviderAttempt[] = [];
  const usages: (Usage | undefined)[] = [];
  const record = (): AttemptRecord => ({ providerAttempts: attempts, usage: mergeUsage(usages) });
  let provider: string | null = null;
  const outputs: StoredImageInfo[] = [];
  try {
    const model = findModel(job.modelId);
    if (!model) throw new PictorError('MODEL_NOT_FOUND', `Model ${job.modelId} is no longer in the catalog`);
    const resolved =
      job.referenceImages.length > 0 ? await deps.resolveReferences(job.referenceImages, { accountId: job.accountId, signal, refusedFormats: model.unsupportedReferenceFormats ?? [] }) : [];
    // The edit mask travels with the references (stored last, role 'mask') but is not one.
    const references = resolved.filter((_, index) => job.referenceImages[index]?.role !== 'mask');
    const mask = resolved.find((_, index) => job.referenceImages[index]?.role === 'mask');
    const warnings: string[] = [];
    // n above what one upstream call returns runs as several calls; progress spans all of them.
    let seedOffset = 0;
    for (const [callIndex, count] of job.calls.entries()) {
      const called = await callWithRoutes({
        routes: model.routes,
        providers: deps.providers,
        request: {
          modelId: model.id,
          params: job.params,
          n: count,
          seed: job.seed + seedOffset,
          references,
          ...(mask ? { mask } : {}),
          output: job.output,
          ...(job.providerPassthrough ? { providerPassthrough: job.providerPassthrough } : {}),
        },
        signal,
        onProgress: (update) => reporter.report({ ...update, progress: (callIndex + update.progress) / job.calls.length }),
        limiter: deps.limiter,
        maxRetries: deps.routing.maxRetries,
        retryBaseMs: deps.routing.retryBaseMs,
        onAttempt: (attempt) => attempts.push(attempt),
      });
      provider = called.provider;
      usages.push(called.result.usage);
      if (called.result.images.length === 0) throw new PictorError('NO_OUTPUT', `${called.provider} returned no image`, { retryable: true });
      const notForwarded = job.providerPassthrough && deps.providers.get(called.provider)?.forwardsPassthrough !== true;
      const callWarnings = [...(called.result.warnings ?? []), ...(notForwarded ? [passthroughNotForwarded(job.providerPassthrough ?? {}, called.provider)] : [])];
      for (const warning of callWarnings) if (!warnings.includes(warning)) warnings.push(warning);
      for (const image of called.result.images) outputs.push(await storeOutput(image, job, deps, signal, called.result.encoded === true));
      seedOffset += count;
    }
    await reporter.close({ flush: true });
    signal.throwIfAborted();
    const pricePerImage = model.price(model.params.parse(job.params) as never);
    const completed = await deps.complete({
      jobId: job.id,
      modelId: job.modelId,
      workerId: deps.workerId,
      images: outputs,
      pricePerImage,
      warnings,
      provider: provider ?? 'unknown',
      ...record(),
    });
    if (!completed) await discard(deps.store, outputs);
  } catch (thrown) {
    await reporter.close();
    await discard(deps.store, outputs);
    const error = signal.aborted ? coerceError(signal.reason) : coerceError(thrown);
    if (error instanceof RoutingFailure) provider = error.provider ?? provider;
    await endFailedRun(job, error, provider, record(), deps);
  }
}

function passthroughNotForwarded(passthrough: Readonly<Record<string, unknown>>, provider: string): string {
  return `provider.${Object.keys(passthrough).slice(0, 20).join(', provider.')} ${Object.keys(passthrough).length === 1 ? 'was' : 'were'} not forwarded: the job ran on ${provider}, which takes no passthrough settings`;
}

/** Downloads (URL outputs), checks, re-encodes as asked and stores one output image. */
async function storeOutput(image: GeneratedImage, job: JobRecord, deps: RunJobDependencies, signal: AbortSignal, alreadyEncoded: boolean): Promise<StoredImageInfo> {
  const original = image.bytes ?? (await deps.download(image.url, signal));
  // The magic bytes name the common formats without a decode (storeImage decodes once anyway).
  const produced =
    sniffFormat(original) ??
    (await sharp(original)
      .metadata()
      .then((metadata) => (String(metadata.format) === 'jpg' ? 'jpeg' : String(metadata.format)))
      .catch(() => 'unknown'));
  // An upstream that already applied the requested format and compression is not compressed twice.
  const bytes = alreadyEncoded && (job.output.format ?? produced) === produced ? original : await encodeOutput(original, job.output, produced);
  return storeImage(deps.store, job.accountId, bytes);
}

async function discard(store: BlobStore, images: StoredImageInfo[]): Promise<void> {
  await Promise.all(images.map((image) => store.delete(image.storageKey).catch(() => undefined)));
}

/** Every way a run can stop early maps to exactly one final handling. */
async function endFailedRun(job: JobRecord, error: PictorError, provider: string | null, record: AttemptRecord, deps: RunJobDependencies): Promise<void> {
  const reason = error instanceof AbortedError ? error.reason : 'error';
  const failure = { jobId: job.id, modelId: job.modelId, workerId: deps.workerId, code: error.code, message: error.message, provider, ...record };
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
      await failJob(deps.sql, { ...failure, retryable: false, backoffMs: 0 });
      return;
    case 'error': {
      const status = await failJob(deps.sql, { ...failure, retryable: error.retryable, backoffMs: retryBackoffMs(job.attempts) });
      deps.log(error.code === 'INTERNAL_ERROR' ? 'error' : 'warn', 'job attempt failed', { jobId: job.id, code: error.code, message: error.message, status });
      return;
    }
    default: {
      const exhaustive: never = reason;
      throw new Error(`Unhandled abort reason ${String(exhaustive)}`);
    }
  }
}

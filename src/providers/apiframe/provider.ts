/**
 * Apiframe adapter: Midjourney and the re-hosted models of Apiframe's unified image endpoint, over
 * its documented HTTP API through `requestJson`. (The official `@apiframe-ai/sdk` is not a
 * dependency, and the API is three plain JSON calls.)
 *
 * Docs followed:
 * - https://apiframe.ai/docs/images (seeds 001/002): `POST /v2/images/generate` with
 *   `{ prompt, model, <model>Params }` and an `Idempotency-Key` header answers 202
 *   `{ jobId, status: "QUEUED" }`; 400 validation, 401 key, 402 insufficient credits
 *   (`{ error, creditsRequired, creditsAvailable }`), 429 with Retry-After, 503 queue down.
 * - https://apiframe.ai/docs/getting-started/authentication: `X-API-Key: afk_...`.
 * - https://apiframe.ai/docs/jobs/get: `GET /v2/jobs/:id` answers `{ id, status: QUEUED |
 *   PROCESSING | COMPLETED | FAILED | CANCELLED, progress: 0-100, result: { images: [url...],
 *   gridUrl? }, error, creditCost }` (older pages show `result` as a single URL; both are read).
 *   FAILED jobs are refunded.
 * - Uploads (OpenAPI `/v2/uploads`, https://github.com/apiframe-ai/apiframe-nodejs-sdk): reference
 *   images go up as multipart `file` and come back as a short-lived CDN `url`, which is what every
 *   image input field of the generate schemas takes.
 * Per-model params: each catalog model's route to Apiframe declares them (`ModelRoute.plan`).
 */
import { z } from 'zod';
import { findModel } from '../../catalog/index.js';
import { UpstreamError } from '../errors.js';
import { delay, requestJson, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest, InputImage } from '../../catalog/request.js';
import { IdempotencyKeys, jobFingerprint } from './idempotency-keys.js';
import { ParamReader, type ApiframePlan } from '../../catalog/routes/apiframe.js';
import { isCatalogDefault, routeFor } from '../shared/catalog-lookups.js';

const Provider = 'apiframe';

const JobAccepted = z.object({ jobId: z.string().min(1), status: z.string().optional() });
const Upload = z.object({ url: z.string().min(1) });
const Job = z.object({
  status: z.string(),
  progress: z.number().nullish(),
  result: z.union([z.string(), z.looseObject({ images: z.array(z.string()).nullish(), gridUrl: z.string().nullish() })]).nullish(),
  error: z.string().nullish(),
  /** Apiframe credits (its own unit, not dollars). */
  creditCost: z.number().nullish(),
});
type Job = z.output<typeof Job>;

/** How Apiframe words refusals (provider moderation, Midjourney's banned prompts). */
const Refusal = /content[ _-]?(policy|moderation|filter)|moderat|safety|nsfw|blocked|flagged|prohibited|violat|denied|banned|image filters/i;

/** Seeds Apiframe's models take are 32-bit (Wan: 0-2147483647). */
const SeedRange = 2 ** 31;

/** One upstream job of a call. */
interface PlannedJob {
  readonly body: Record<string, unknown>;
  readonly fingerprint: string;
}

/**
 * Runs a call as one or more Apiframe jobs (uploading reference images first), polls them to the
 * end and returns the result URLs. Keeps idempotency-key generations, so one instance per process.
 */
export class ApiframeImageProvider implements ImageProvider {
  readonly id = Provider;
  private readonly keys = new IdempotencyKeys();

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    const plan = planFor(request);
    const warnings = [...plan.warnings];
    if (findModel(request.modelId)?.capabilities.seed && !plan.seed) {
      warnings.push(`seed was not applied: Apiframe's ${request.upstreamModel} takes no seed, so this result cannot be reproduced`);
    }
    const references = this.referencesFor(request, plan, warnings);
    // One failed job fails the call: the others stop polling at once instead of running on.
    const local = new AbortController();
    const forward = () => local.abort(options.signal.reason);
    if (options.signal.aborted) forward();
    else options.signal.addEventListener('abort', forward, { once: true });
    try {
      options.onProgress({ progress: 0, stage: references.length > 0 ? 'uploading' : 'submitting' });
      const urls = await Promise.all(references.map((reference, index) => this.upload(reference, index, local.signal)));
      const jobs = planJobs(request, plan, urls);
      const progress = new Array<number>(jobs.length).fill(0);
      const stages = new Array<string>(jobs.length).fill('queued');
      const finished = await Promise.all(
        jobs.map(async (job, index) => {
          const jobId = await this.submit(job, local.signal);
          return this.waitFor(jobId, job, local.signal, (value, stage) => {
            progress[index] = value;
            stages[index] = stage;
            options.onProgress({ progress: progress.reduce((sum, each) => sum + each, 0) / jobs.length, stage: stages.includes('processing') ? 'processing' : stage });
          });
        }),
      );
      // Midjourney answers with four images whatever was asked: keep the first n.
      const images = finished.flatMap(imagesOf).slice(0, Math.max(1, request.n));
      return { images: images.map((url) => ({ url })), warnings, usage: usageOf(finished) };
    } catch (error) {
      if (!local.signal.aborted) local.abort(error);
      throw error;
    } finally {
      options.signal.removeEventListener('abort', forward);
    }
  }

  /** The reference images the model takes at Apiframe, in order; refuses what it cannot do. */
  private referencesFor(request: GenerationRequest, plan: ApiframePlan, warnings: string[]): readonly InputImage[] {
    const field = plan.references;
    if (!field) {
      if (request.references.length > 0) throw unsupported(`Apiframe's ${request.upstreamModel} takes no reference images`);
      return [];
    }
    if (field.required && request.references.length === 0) throw unsupported(`Apiframe's ${request.upstreamModel} needs a reference image`);
    if (request.references.length > field.max) {
      warnings.push(`Apiframe's ${request.upstreamModel} takes ${field.max} reference image${field.max === 1 ? '' : 's'}; the other ${request.references.length - field.max} were ignored`);
    }
    return request.references.slice(0, field.max);
  }

  private async upload(image: InputImage, index: number, signal: AbortSignal): Promise<string> {
    const type = `image/${image.format === 'jpg' ? 'jpeg' : image.format}`;
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(image.bytes)], { type }), `reference-${index + 1}.${image.format}`);
    const uploaded = await this.call('/v2/uploads', signal, { body: form, response: Upload });
    return uploaded.url;
  }

  private async submit(job: PlannedJob, signal: AbortSignal): Promise<string> {
    const accepted = await this.call('/v2/images/generate', signal, {
      body: job.body,
      headers: { 'idempotency-key': this.keys.keyFor(job.fingerprint) },
      response: JobAccepted,
    });
    return accepted.jobId;
  }

  /** Polls one job until it ends; returns the finished job or throws a classified failure. */
  private async waitFor(jobId: string, job: PlannedJob, signal: AbortSignal, onProgress: (progress: number, stage: string) => void): Promise<Job> {
    for (;;) {
      await delay(this.settings.pollIntervalMs, signal);
      const current = await this.call(`/v2/jobs/${encodeURIComponent(jobId)}`, signal, { response: Job });
      const details = { provider: Provider, statusCode: 200, responseBody: JSON.stringify(current).slice(0, 2000) };
      switch (current.status) {
        case 'COMPLETED':
          if (imagesOf(current).length === 0) throw new UpstreamError('retryable', `${Provider} returned an unexpected response: job ${jobId} completed without images`, details);
          onProgress(1, 'completed');
          return current;
        case 'FAILED':
        case 'CANCELLED': {
          this.keys.markFailed(job.fingerprint);
          const reason = current.error ?? `job ${current.status.toLowerCase()}`;
          throw new UpstreamError(Refusal.test(reason) ? 'content_policy' : 'retryable', `${Provider}: ${reason}`, details);
        }
        default: {
          const value = typeof current.progress === 'number' ? current.progress / 100 : 0;
          // Downloading and storing still follow: a running job never reports done.
          onProgress(Math.min(0.99, Math.max(0, value)), current.status === 'QUEUED' ? 'queued' : 'processing');
        }
      }
    }
  }

  private async call<Schema extends z.ZodType>(path: string, signal: AbortSignal, options: { body?: unknown; headers?: Record<string, string>; response: Schema }): Promise<z.output<Schema>> {
    try {
      return await requestJson({
        provider: Provider,
        url: `${this.settings.baseUrl}${path}`,
        headers: { 'x-api-key': this.settings.apiKey, ...options.headers },
        body: options.body,
        response: options.response,
        signal,
        fetch: this.settings.fetch,
      });
    } catch (error) {
      // 402: the account cannot pay for this model. Not the request's fault: another route may run it.
      if (error instanceof UpstreamError && error.details.statusCode === 402) throw insufficientCredits(error);
      throw error;
    }
  }
}

/** Splits a call's `n` images over upstream jobs and builds each job's body. */
/** The plan for one call: the mapping the request's catalog route declares, applied to its params. */
function planFor(request: GenerationRequest): ApiframePlan {
  const plan = routeFor(Provider, request)?.plan;
  // Unreachable for catalog routes (the registry checks them at start-up): refused, never guessed.
  if (!plan) throw new UpstreamError('invalid_request', `${Provider} has no parameter mapping for ${request.modelId} as ${request.upstreamModel}`, { provider: Provider });
  const reader = new ParamReader(request, (key) => isCatalogDefault(request.modelId, key, request.params[key]));
  return { ...plan(reader), warnings: reader.warnings };
}

function planJobs(request: GenerationRequest, plan: ApiframePlan, referenceUrls: readonly string[]): PlannedJob[] {
  const wanted = Math.max(1, request.n);
  const perJob = plan.imagesPerJob ?? plan.count?.max ?? 1;
  const counts = Array.from({ length: Math.ceil(wanted / perJob) }, (_unused, index) => Math.min(perJob, wanted - index * perJob));
  return counts.map((count, index) => {
    const block: Record<string, unknown> = { ...plan.params };
    if (plan.references && referenceUrls.length > 0) block[plan.references.field] = plan.references.list ? [...referenceUrls] : referenceUrls[0];
    if (plan.seed) block.seed = (request.seed + index) % SeedRange;
    if (plan.count) block[plan.count.field] = count;
    const body: Record<string, unknown> = { prompt: String(request.params.prompt ?? ''), model: request.upstreamModel };
    if (plan.paramsKey && Object.keys(block).length > 0) body[plan.paramsKey] = block;
    return { body, fingerprint: jobFingerprint(body, request.seed, index) };
  });
}

function imagesOf(job: Job): string[] {
  if (typeof job.result === 'string') return job.result ? [job.result] : [];
  return job.result?.images ?? [];
}

/** Apiframe reports credits in its own unit: kept verbatim, never passed off as dollars. */
function usageOf(jobs: readonly Job[]): Usage | undefined {
  const costs = jobs.map((job) => job.creditCost);
  if (!costs.every((cost): cost is number => typeof cost === 'number')) return undefined;
  return { raw: { apiframeCredits: costs.reduce((sum, cost) => sum + cost, 0) } };
}

function unsupported(message: string): UpstreamError {
  return new UpstreamError('invalid_request', `${Provider}: ${message}`, { provider: Provider });
}

function insufficientCredits(error: UpstreamError): UpstreamError {
  let amounts = '';
  try {
    const body = JSON.parse(error.details.responseBody ?? '') as { creditsRequired?: unknown; creditsAvailable?: unknown };
    if (typeof body.creditsRequired === 'number') amounts = ` (needs ${body.creditsRequired} credits, has ${String(body.creditsAvailable ?? 0)})`;
  } catch {
    // No JSON body: the status says enough.
  }
  return new UpstreamError('authentication', `${Provider}: the Apiframe account has insufficient credits${amounts}`, error.details);
}

/** Registry entry: enabled by APIFRAME_API_KEY, endpoint overridable with APIFRAME_BASE_URL. */
export const apiframeProvider = {
  id: 'apiframe',
  name: 'Apiframe',
  defaultBaseUrl: 'https://api.apiframe.ai',
  create: (settings) => new ApiframeImageProvider(settings),
  checkRoute: (route) => (route.plan ? undefined : `the route declares no parameter mapping for Apiframe's ${route.upstreamModel}`),
} satisfies ProviderDescriptor;

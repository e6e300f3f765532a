/**
 * Black Forest Labs (FLUX) adapter over BFL's documented HTTP API through `requestJson`; BFL has
 * no official JavaScript SDK.
 *
 * Docs followed:
 * - https://docs.bfl.ai/quick_start/generating_images and the OpenAPI document
 *   https://api.bfl.ai/openapi.json: `POST /v1/<model>` (`flux-pro-1.1`, `flux-pro-1.1-ultra`,
 *   `flux-dev`, `flux-kontext-pro`, `flux-2-pro`, `flux-2-max`, `flux-2-flex`) with header
 *   `x-key` answers `{ id, polling_url, cost, input_mp, output_mp }` (cost in credits, one credit
 *   is US$0.01: https://docs.bfl.ai/pricing).
 * - Polling: `GET <polling_url>` (also `x-key`) answers `{ id, status, result: { sample },
 *   progress, details }` with status `Pending | Ready | Error | Content Moderated | Request
 *   Moderated | Task not found` (newer models also report `Reasoning` / `Generating` while they
 *   run). The polling URL may sit on a regional host (api.eu.bfl.ai, api.us.bfl.ai), so it is
 *   followed exactly as given. `result.sample` is a signed URL valid for 10 minutes; the runner
 *   downloads it at once.
 * BFL renders one image per task: `n` images are `n` tasks, run concurrently with seeds
 * seed, seed + 1, ...
 */
import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { delay, requestJson, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { buildBflTask } from './request-body.js';

const Provider = 'bfl';

const SubmitResponse = z.object({
  id: z.string(),
  polling_url: z.string().min(1),
  /** Credits charged for the task (one credit is US$0.01). */
  cost: z.number().nullish(),
  input_mp: z.number().nullish(),
  output_mp: z.number().nullish(),
});
type SubmitResponse = z.output<typeof SubmitResponse>;

const ResultResponse = z.object({
  status: z.string(),
  result: z.looseObject({ sample: z.string().nullish() }).nullish(),
  /** 0..1 as documented; some answers use 0..100. */
  progress: z.number().nullish(),
  details: z.record(z.string(), z.unknown()).nullish(),
});
type ResultResponse = z.output<typeof ResultResponse>;

/** Statuses that mean a refusal: of the prompt or inputs (Request) or of the image made (Content). */
const ModeratedStatuses = new Set(['Request Moderated', 'Content Moderated']);

/** One submitted task as the poller sees it. */
interface BflTaskHandle extends SubmitResponse {
  readonly pollingUrl: string;
}

/** Runs FLUX models on BFL: one task per image, polled until Ready; returns the sample URLs. */
export class BflImageProvider implements ImageProvider {
  readonly id = Provider;

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    const { body, warnings } = buildBflTask(request);
    const count = Math.max(1, request.n);
    // One failed task fails the call: the others stop polling at once instead of running on.
    const local = new AbortController();
    const forward = () => local.abort(options.signal.reason);
    if (options.signal.aborted) forward();
    else options.signal.addEventListener('abort', forward, { once: true });
    const progress = new Array<number>(count).fill(0);
    const report = (index: number, value: number, stage: string) => {
      progress[index] = value;
      options.onProgress({ progress: progress.reduce((sum, each) => sum + each, 0) / count, stage });
    };
    try {
      options.onProgress({ progress: 0, stage: 'submitting' });
      const outcomes = await Promise.all(
        Array.from({ length: count }, async (_unused, index) => {
          const task = await this.submit(request.upstreamModel, { ...body, seed: request.seed + index }, local.signal);
          const url = await this.waitForResult(task, local.signal, (value, stage) => report(index, value, stage));
          return { task, url };
        }),
      );
      return { images: outcomes.map(({ url }) => ({ url })), warnings, usage: usageOf(outcomes.map(({ task }) => task)) };
    } catch (error) {
      if (!local.signal.aborted) local.abort(error);
      throw error;
    } finally {
      options.signal.removeEventListener('abort', forward);
    }
  }

  private async submit(model: string, body: Record<string, unknown>, signal: AbortSignal): Promise<BflTaskHandle> {
    const response = await this.call(`${this.settings.baseUrl}/${model}`, signal, body, SubmitResponse);
    // A relative polling URL (not documented, but cheap to allow) resolves against the base URL.
    return { ...response, pollingUrl: new URL(response.polling_url, `${this.settings.baseUrl}/`).toString() };
  }

  /** Polls until the task is ready; returns the sample URL or throws a classified failure. */
  private async waitForResult(task: BflTaskHandle, signal: AbortSignal, onProgress: (progress: number, stage: string) => void): Promise<string> {
    for (;;) {
      await delay(this.settings.pollIntervalMs, signal);
      const result = await this.call(task.pollingUrl, signal, undefined, ResultResponse);
      if (result.status === 'Ready') {
        const sample = result.result?.sample;
        if (!sample) throw malformed(`task ${task.id} is Ready without result.sample`, result);
        onProgress(1, 'ready');
        return sample;
      }
      if (ModeratedStatuses.has(result.status)) {
        const what = result.status === 'Request Moderated' ? 'the request (prompt or input images)' : 'the generated image';
        throw new UpstreamError('content_policy', `${Provider}: BFL's moderation refused ${what}${reasonOf(result)}`, {
          provider: Provider,
          statusCode: 200,
          responseBody: JSON.stringify(result).slice(0, 2000),
        });
      }
      if (result.status === 'Error' || result.status === 'Task not found' || result.status === 'Failed') {
        throw new UpstreamError('retryable', `${Provider}: task ${task.id} ended with status ${result.status}${reasonOf(result)}`, {
          provider: Provider,
          statusCode: 200,
          responseBody: JSON.stringify(result).slice(0, 2000),
        });
      }
      // Pending, Reasoning, Generating and any state BFL adds later: still running.
      onProgress(progressOf(result.progress), result.status.toLowerCase());
    }
  }

  private async call<Schema extends z.ZodType>(url: string, signal: AbortSignal, body: unknown, response: Schema): Promise<z.output<Schema>> {
    try {
      return await requestJson({ provider: Provider, url, body, headers: { 'x-key': this.settings.apiKey }, response, signal, fetch: this.settings.fetch });
    } catch (error) {
      // 402: the account is out of credits. Another route may still work, so skip this one.
      if (error instanceof UpstreamError && error.details.statusCode === 402) {
        throw new UpstreamError('authentication', `${Provider}: the BFL account has no credits left (HTTP 402)`, error.details);
      }
      throw error;
    }
  }
}

function progressOf(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return 0;
  const fraction = value > 1 ? value / 100 : value;
  // The image still has to be fetched and stored: "running" never reports done.
  return Math.min(0.99, Math.max(0, fraction));
}

/** BFL puts moderation reasons and error messages in `details`. */
function reasonOf(result: ResultResponse): string {
  if (!result.details || Object.keys(result.details).length === 0) return '';
  return `: ${JSON.stringify(result.details).slice(0, 300)}`;
}

function malformed(message: string, body: unknown): UpstreamError {
  return new UpstreamError('retryable', `${Provider} returned an unexpected response: ${message}`, {
    provider: Provider,
    statusCode: 200,
    responseBody: JSON.stringify(body).slice(0, 2000),
  });
}

/** Cost only when every task reported one: a partial sum would understate it. */
function usageOf(tasks: readonly SubmitResponse[]): Usage | undefined {
  if (tasks.length === 0 || tasks.some((task) => typeof task.cost !== 'number')) return undefined;
  const credits = tasks.reduce((sum, task) => sum + (task.cost ?? 0), 0);
  return {
    // Rounded to a millionth of a dollar to drop floating-point noise.
    costUsd: Math.round(credits * 10_000) / 1_000_000,
    raw: { credits, tasks: tasks.map((task) => ({ id: task.id, cost: task.cost, inputMp: task.input_mp ?? null, outputMp: task.output_mp ?? null })) },
  };
}

/** Registry entry: enabled by BFL_API_KEY, endpoint overridable with BFL_BASE_URL. */
export const bflProvider = {
  id: 'bfl',
  name: 'Black Forest Labs',
  defaultBaseUrl: 'https://api.bfl.ai/v1',
  create: (settings) => new BflImageProvider(settings),
} satisfies ProviderDescriptor;

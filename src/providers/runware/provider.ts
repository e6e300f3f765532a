/**
 * Runware adapter over Runware's REST API through `requestJson`. Runware's official JavaScript
 * SDK (`@runware/sdk-js`) talks over a WebSocket and cannot be pointed at an injected fetch, so the
 * documented HTTP endpoint is used instead.
 *
 * Docs followed:
 * - https://runware.ai/docs/getting-started/how-to-connect (`POST https://api.runware.ai/v1`,
 *   `Authorization: Bearer <key>`, body: an array of task objects, answer `{ data: [...] }`)
 * - https://runware.ai/docs/image-inference/api-reference (imageInference)
 * - https://runware.ai/docs/en/tools/remove-background (removeBackground)
 * - https://runware.ai/docs/models/recraft-vectorize and .../picsart-image-vectorizer (vectorize)
 * - https://runware.ai/docs/platform/errors (`{ errors: [{ code, message, parameter, taskType,
 *   taskUUID }] }`, scoped per task; a request with several tasks may partly succeed)
 * Each result carries `imageURL` | `imageBase64Data` | `imageDataURI` and, with `includeCost`,
 * `cost` in US dollars.
 */
import { z } from 'zod';
import { classifyHttpFailure, UpstreamError } from '../errors.js';
import { fromBase64, requestJson, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { buildRunwareTask, type RunwareTaskType } from './tasks.js';

const Provider = 'runware';

const ResultItem = z.looseObject({
  taskUUID: z.string(),
  imageURL: z.string().nullish(),
  imageBase64Data: z.string().nullish(),
  imageDataURI: z.string().nullish(),
  /** US dollars, when `includeCost` was sent. */
  cost: z.number().nullish(),
  /** Set when Runware's safety check flagged the image (it is then blacked out). */
  NSFWContent: z.boolean().nullish(),
});
type ResultItem = z.output<typeof ResultItem>;

const ErrorItem = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
  taskUUID: z.string().nullish(),
});
type ErrorItem = z.output<typeof ErrorItem>;

const RunwareResponse = z.object({ data: z.array(ResultItem).nullish(), errors: z.array(ErrorItem).nullish() });

const ContentPolicy = /nsfw|moderat|safety|content[ _-]?(policy|filter)|inappropriate|prohibited|violat/i;
const AccountProblem = /apikey|api key|unauthori[sz]ed|credit|balance|payment|insufficient/i;

/** Runs one Runware task per call (imageInference, removeBackground or vectorize) and returns its outputs. */
export class RunwareImageProvider implements ImageProvider {
  readonly id = Provider;

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    const task = buildRunwareTask(request);
    options.onProgress({ progress: 0, stage: 'running' });
    const answer = await this.send(task.body, options.signal);
    const ours = (answer.data ?? []).filter((item) => item.taskUUID === task.body.taskUUID);
    const failures = (answer.errors ?? []).filter((item) => !item.taskUUID || item.taskUUID === task.body.taskUUID);
    if (ours.length === 0) {
      if (failures.length > 0) throw classifyTaskErrors(failures, 200, JSON.stringify(answer));
      throw malformed('no result for the task that was sent', answer);
    }
    if (ours.some((item) => item.NSFWContent === true)) {
      throw new UpstreamError('content_policy', `${Provider}: Runware's safety check flagged the generated image`, {
        provider: Provider,
        statusCode: 200,
        responseBody: JSON.stringify(answer).slice(0, 2000),
      });
    }
    const images = await Promise.all(ours.map((item) => this.imageOf(task.taskType, item, options.signal)));
    options.onProgress({ progress: 1, stage: 'done' });
    const costs = ours.map((item) => item.cost);
    const usage = costs.every((cost): cost is number => typeof cost === 'number')
      ? { costUsd: Math.round(costs.reduce((sum, cost) => sum + cost, 0) * 1_000_000) / 1_000_000, raw: { costs } }
      : undefined;
    return { images, warnings: task.warnings, usage };
  }

  private async send(task: Record<string, unknown>, signal: AbortSignal) {
    try {
      return await requestJson({
        provider: Provider,
        url: this.settings.baseUrl,
        headers: { authorization: `Bearer ${this.settings.apiKey}` },
        body: [task],
        response: RunwareResponse,
        signal,
        fetch: this.settings.fetch,
      });
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.details.statusCode === undefined) throw error;
      throw reclassify(error);
    }
  }

  private async imageOf(taskType: RunwareTaskType, item: ResultItem, signal: AbortSignal): Promise<GeneratedImage> {
    if (taskType !== 'vectorize') {
      if (item.imageBase64Data) return { bytes: fromBase64(item.imageBase64Data) };
      if (item.imageDataURI) return { bytes: fromBase64(item.imageDataURI) };
      if (item.imageURL) return { url: item.imageURL };
      throw malformed('a result without imageURL, imageBase64Data or imageDataURI', item);
    }
    // The runner stores what sharp can read; an SVG must arrive as the SVG text itself.
    let bytes: Uint8Array;
    if (item.imageBase64Data) bytes = fromBase64(item.imageBase64Data);
    else if (item.imageDataURI) bytes = fromBase64(item.imageDataURI);
    else if (item.imageURL) bytes = await this.download(item.imageURL, signal);
    else throw malformed('a vectorize result without the SVG', item);
    if (!Buffer.from(bytes).toString('utf8').includes('<svg')) throw malformed('the vectorize result is not an SVG document', item);
    return { bytes };
  }

  private async download(url: string, signal: AbortSignal): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await this.settings.fetch(url, { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new UpstreamError('retryable', `${Provider}: downloading the SVG failed: ${(error as Error).message}`, { provider: Provider, cause: error });
    }
    if (!response.ok) throw classifyHttpFailure(Provider, response.status, await response.text().catch(() => ''), response.headers.get('retry-after'));
    return new Uint8Array(await response.arrayBuffer());
  }
}

/** The `errors` array of a failed answer, when the body has one. */
function errorsOf(body: string | undefined): ErrorItem[] {
  try {
    const parsed = RunwareResponse.safeParse(JSON.parse(body ?? ''));
    return parsed.success ? (parsed.data.errors ?? []) : [];
  } catch {
    return [];
  }
}

/** Runware says what went wrong in error codes; those decide where the generic status rules cannot. */
function reclassify(error: UpstreamError): UpstreamError {
  const failures = errorsOf(error.details.responseBody);
  const status = error.details.statusCode ?? 0;
  if (status === 402) return new UpstreamError('authentication', `${Provider}: the Runware account has no credits left${describe(failures)}`, error.details);
  if (failures.length === 0) return error;
  const classified = classifyTaskErrors(failures, status, error.details.responseBody ?? '');
  return new UpstreamError(error.kind === 'retryable' ? 'retryable' : classified.kind, classified.message, { ...error.details });
}

/** Classifies task errors Runware reported (in a failed answer or next to other tasks' data). */
function classifyTaskErrors(failures: ErrorItem[], status: number, body: string): UpstreamError {
  const text = failures.map((failure) => `${failure.code ?? ''} ${failure.message ?? ''}`).join(' ');
  const details = { provider: Provider, statusCode: status, responseBody: body.slice(0, 2000) };
  const message = `${Provider}:${describe(failures)}`;
  if (ContentPolicy.test(text)) return new UpstreamError('content_policy', message, details);
  if (AccountProblem.test(text) || status === 401 || status === 403) return new UpstreamError('authentication', message, details);
  if (status === 429 || status >= 500 || /timeout|unavailable|overload|internal/i.test(text)) return new UpstreamError('retryable', message, details);
  return new UpstreamError('invalid_request', message, details);
}

function describe(failures: ErrorItem[]): string {
  if (failures.length === 0) return '';
  return ` ${failures.map((failure) => [failure.code, failure.message].filter(Boolean).join(': ')).join('; ')}`.slice(0, 500);
}

function malformed(message: string, body: unknown): UpstreamError {
  return new UpstreamError('retryable', `${Provider} returned an unexpected response: ${message}`, {
    provider: Provider,
    statusCode: 200,
    responseBody: JSON.stringify(body).slice(0, 2000),
  });
}

/** Registry entry: enabled by RUNWARE_API_KEY, endpoint overridable with RUNWARE_BASE_URL. */
export const runwareProvider = {
  id: 'runware',
  name: 'Runware',
  defaultBaseUrl: 'https://api.runware.ai/v1',
  create: (settings) => new RunwareImageProvider(settings),
} satisfies ProviderDescriptor;

import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { delay, requestJson, type ProviderSettings } from '../http.js';
import type { ProgressUpdate } from '../spec.js';
import { progressFromLogs } from '../shared/log-progress.js';

/**
 * fal's queue API (https://fal.ai/docs/model-endpoints/queue): submit with
 * `POST {base}/{endpoint}`, poll `GET {base}/{app}/requests/{id}/status?logs=1` (IN_QUEUE with
 * `queue_position`, IN_PROGRESS with cumulative `logs`, COMPLETED), then fetch the output from
 * `GET {base}/{app}/requests/{id}`; `PUT .../cancel` stops a request. Status and result live at
 * the app id without the endpoint's sub-path ("the subpath should be used when making the
 * request, but not when getting request status or results"): `fal-ai/flux-pro/v1.1-ultra` polls
 * `fal-ai/flux-pro`. URLs are built from the configured base (not taken from the submit
 * response), so `FAL_BASE_URL` reaches every call.
 */

const Provider = 'fal';

const submitted = z.object({ request_id: z.string().min(1) });

const status = z.object({
  status: z.string(),
  queue_position: z.number().nullish(),
  logs: z.array(z.object({ message: z.string() })).nullish(),
  metrics: z.record(z.string(), z.unknown()).nullish(),
  error: z.string().nullish(),
});

export interface QueueOutcome {
  /** The endpoint's output object, as fal returned it. */
  readonly output: unknown;
  /** `metrics` of the final status (`inference_time` in seconds), when fal reported them. */
  readonly metrics?: Readonly<Record<string, unknown>>;
}

export interface QueueCallOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (update: ProgressUpdate) => void;
}

/** Namespaces whose app ids have three segments (`workflows/owner/alias`), as fal's client parses them. */
const Namespaces = new Set(['workflows', 'comfy']);

/** The app id fal serves status and results under: the endpoint without its sub-path. */
export function appIdOf(endpoint: string): string {
  const parts = endpoint.split('/');
  return parts.slice(0, Namespaces.has(parts[0]) ? 3 : 2).join('/');
}

export class FalQueue {
  constructor(private readonly settings: ProviderSettings) {}

  /** Submits one request and follows it to its output, reporting queue position, logs and progress. */
  async run(endpoint: string, input: Record<string, unknown>, options: QueueCallOptions): Promise<QueueOutcome> {
    const { request_id: requestId } = await this.call(`${this.settings.baseUrl}/${endpoint}`, submitted, options.signal, { method: 'POST', body: input });
    const requestUrl = `${this.settings.baseUrl}/${appIdOf(endpoint)}/requests/${encodeURIComponent(requestId)}`;
    // Cancelling stops fal's work (and its bill); the run itself rejects at once, without waiting for it.
    const cancel = () => void this.cancel(requestUrl);
    options.signal.addEventListener('abort', cancel, { once: true });
    try {
      let logCount = 0;
      let progress = 0;
      options.onProgress({ progress: 0, stage: 'queued' });
      for (;;) {
        const current = await this.call(`${requestUrl}/status?logs=1`, status, options.signal);
        if (current.status === 'IN_QUEUE') {
          options.onProgress({ progress, stage: 'queued', ...(current.queue_position != null ? { queuePosition: current.queue_position } : {}) });
        } else if (current.status === 'IN_PROGRESS') {
          const lines = (current.logs ?? []).map((entry) => entry.message);
          const fresh = lines.slice(logCount);
          logCount = lines.length;
          // Without a step counter in the logs, "started" is all fal says; progress never goes back.
          progress = Math.max(progress, progressFromLogs(lines) ?? 0.1);
          options.onProgress({ progress, stage: 'rendering', ...(fresh.length > 0 ? { logs: fresh } : {}) });
        } else if (current.status === 'COMPLETED' || current.status === 'FAILED') {
          // A failed request answers the result URL with its error status and body.
          const output = await this.call(requestUrl, z.unknown(), options.signal);
          options.onProgress({ progress: 1, stage: 'downloading' });
          return { output, ...(current.metrics ? { metrics: current.metrics } : {}) };
        } else if (current.status === 'CANCELED' || current.status === 'CANCELLED') {
          throw new UpstreamError('retryable', `fal cancelled request ${requestId} on its side`, { provider: Provider, responseBody: JSON.stringify(current).slice(0, 2000) });
        }
        await delay(this.settings.pollIntervalMs, options.signal);
      }
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  }

  private call<Schema extends z.ZodType>(url: string, response: Schema, signal: AbortSignal, options: { method?: 'GET' | 'POST'; body?: unknown } = {}) {
    return requestJson({
      provider: Provider,
      url,
      ...options,
      headers: { authorization: `Key ${this.settings.apiKey}` },
      response,
      signal,
      fetch: this.settings.fetch,
    });
  }

  private async cancel(requestUrl: string): Promise<void> {
    try {
      await this.settings.fetch(`${requestUrl}/cancel`, { method: 'PUT', headers: { authorization: `Key ${this.settings.apiKey}` }, signal: AbortSignal.timeout(10_000) });
    } catch {
      // Best effort: the request may already be done, and the job has moved on either way.
    }
  }
}

import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { delay, requestJson, toDataUrl, type ProviderSettings } from '../http.js';
import type { ProgressUpdate } from '../spec.js';
import type { InputImage } from '../../catalog/request.js';
import { progressFromLogs } from '../shared/log-progress.js';

/**
 * Replicate's predictions API (https://replicate.com/docs/reference/http): create with
 * `POST {base}/models/{owner}/{name}/predictions` and `{ input }`, poll
 * `GET {base}/predictions/{id}` until `succeeded`, `failed` or `canceled`, cancel with
 * `POST {base}/predictions/{id}/cancel`. Polling rather than `Prefer: wait` keeps progress (the
 * model's logs) flowing and cancellation immediate. URLs are built from the configured base, so
 * `REPLICATE_BASE_URL` reaches every call.
 */

const Provider = 'replicate';

/** Replicate recommends data URIs only below 1 MB; larger inputs go through the files API. */
const MaxDataUrlBytes = 1024 * 1024;

const prediction = z.object({
  id: z.string().min(1),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  logs: z.string().nullish(),
  metrics: z.record(z.string(), z.unknown()).nullish(),
});
export type Prediction = z.output<typeof prediction>;

const uploadedFile = z.object({ urls: z.object({ get: z.string().min(1) }) });

export interface PredictionCallOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (update: ProgressUpdate) => void;
}

export class ReplicatePredictions {
  constructor(private readonly settings: ProviderSettings) {}

  /** Runs one prediction to its end; resolves with the succeeded prediction, throws on failure. */
  async run(model: string, input: Record<string, unknown>, options: PredictionCallOptions): Promise<Prediction> {
    const created = await this.call(`${this.settings.baseUrl}/models/${model}/predictions`, prediction, options.signal, { input });
    const predictionUrl = `${this.settings.baseUrl}/predictions/${encodeURIComponent(created.id)}`;
    // Cancelling stops the model (and its bill); the run itself rejects at once, without waiting for it.
    const cancel = () => void this.cancel(predictionUrl);
    options.signal.addEventListener('abort', cancel, { once: true });
    try {
      let current = created;
      let logLength = 0;
      let progress = 0;
      for (;;) {
        const logs = current.logs ?? '';
        const fresh = logs
          .slice(logLength)
          .split('\n')
          .filter((line) => line.trim() !== '');
        logLength = logs.length;
        if (current.status === 'succeeded') {
          options.onProgress({ progress: 1, stage: 'downloading', ...(fresh.length > 0 ? { logs: fresh } : {}) });
          return current;
        }
        if (current.status === 'failed') throw failure(current);
        if (current.status === 'canceled' || current.status === 'aborted') {
          throw new UpstreamError('retryable', `Replicate prediction ${current.id} was ${current.status} on Replicate's side`, {
            provider: Provider,
            responseBody: JSON.stringify(current).slice(0, 2000),
          });
        }
        if (current.status === 'processing') progress = Math.max(progress, progressFromLogs(logs.split('\n')) ?? 0.1);
        // `starting` covers booting a model container, which can take a while on a cold start.
        options.onProgress({ progress, stage: current.status === 'processing' ? 'rendering' : 'starting', ...(fresh.length > 0 ? { logs: fresh } : {}) });
        await delay(this.settings.pollIntervalMs, options.signal);
        current = await this.call(predictionUrl, prediction, options.signal);
      }
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  }

  /**
   * A reference image as a model input: a data URI when small, else uploaded through
   * `POST {base}/files` (multipart `content`) and passed as the file's signed `urls.get`.
   */
  async fileInput(image: InputImage, signal: AbortSignal): Promise<string> {
    if (image.bytes.byteLength <= MaxDataUrlBytes) return toDataUrl(image.bytes, image.format);
    const form = new FormData();
    form.append('content', new Blob([new Uint8Array(image.bytes)], { type: `image/${image.format}` }), `reference.${image.format === 'jpeg' ? 'jpg' : image.format}`);
    const uploaded = await this.call(`${this.settings.baseUrl}/files`, uploadedFile, signal, form);
    return uploaded.urls.get;
  }

  private call<Schema extends z.ZodType>(url: string, response: Schema, signal: AbortSignal, body?: unknown) {
    return requestJson({
      provider: Provider,
      url,
      ...(body !== undefined ? { method: 'POST' as const, body } : {}),
      headers: { authorization: `Bearer ${this.settings.apiKey}` },
      response,
      signal,
      fetch: this.settings.fetch,
    });
  }

  private async cancel(predictionUrl: string): Promise<void> {
    try {
      await this.settings.fetch(`${predictionUrl}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${this.settings.apiKey}` }, signal: AbortSignal.timeout(10_000) });
    } catch {
      // Best effort: the prediction may already be done, and the job has moved on either way.
    }
  }
}

/**
 * A failed prediction. Replicate reports safety refusals in `error` ("NSFW content detected",
 * Google's "flagged as sensitive (E005)"), which become content-policy failures; anything else
 * went wrong inside the model run and may work on a retry.
 */
function failure(failed: Prediction): UpstreamError {
  const message = typeof failed.error === 'string' ? failed.error : failed.error ? JSON.stringify(failed.error) : 'the prediction failed without an error message';
  const details = { provider: Provider, responseBody: JSON.stringify({ id: failed.id, status: failed.status, error: failed.error }).slice(0, 2000) };
  if (/nsfw|sensitive|safety|content[ _-]?(policy|moderation|filter)|flagged|moderat|prohibited|violat/i.test(message)) {
    return new UpstreamError('content_policy', `Replicate: ${message}`, details);
  }
  return new UpstreamError('retryable', `Replicate: ${message}`, details);
}

import { UpstreamError } from '../errors.js';
import { buildInput, referencesUsed, routeInput, upstreamCalls } from '../shared/input-mapping.js';
import { runCalls } from '../shared/parallel-calls.js';
import { fromBase64, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { ReplicatePredictions, type Prediction } from './predictions.js';

/**
 * Replicate adapter: every catalog model routed to Replicate runs as a prediction of the official
 * model (https://replicate.com/docs/reference/http#models.predictions.create) with the input its
 * catalog route declares. Reference images go as data URIs, or through the files API
 * when larger than the 1 MB Replicate recommends for data URIs
 * (https://replicate.com/docs/topics/predictions/input-files). Plain HTTP rather than the
 * `replicate` package: its request helper retries 429s itself (up to five times, with sleeps no
 * AbortSignal can cut short), which would hide rate limits and Retry-After from Pictor's router.
 */

const Provider = 'replicate';

export class ReplicateImageProvider implements ImageProvider {
  readonly id = Provider;
  private readonly predictions: ReplicatePredictions;

  constructor(settings: ProviderSettings) {
    this.predictions = new ReplicatePredictions(settings);
  }

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    const spec = routeInput(Provider, request);
    if (spec.unavailable) throw new UpstreamError('authentication', `${Provider} cannot run ${request.modelId}: ${spec.unavailable}`, { provider: Provider });
    const used = request.references.slice(0, referencesUsed(spec, request));
    const referenceUrls = await Promise.all(used.map((image) => this.predictions.fileInput(image, options.signal)));
    const { input, warnings } = buildInput(spec, request, 'Replicate', referenceUrls);
    const calls = upstreamCalls(spec, request, input);
    const predictions = await runCalls(calls, (call, signal, report) => this.predictions.run(request.upstreamModel, call.input, { signal, onProgress: report }), options);

    const images: GeneratedImage[] = predictions.flatMap((prediction) => outputUrls(prediction).map((url) => (url.startsWith('data:') ? { bytes: fromBase64(url) } : { url })));
    if (images.length === 0) {
      throw new UpstreamError('retryable', 'Replicate returned a succeeded prediction without an image', {
        provider: Provider,
        statusCode: 200,
        responseBody: JSON.stringify(predictions[0]).slice(0, 2000),
      });
    }
    const usage = usageOf(predictions);
    return { images, warnings, ...(usage ? { usage } : {}) };
  }
}

/** `output` is one URL or a list of them, depending on the model. */
function outputUrls(prediction: Prediction): string[] {
  const output = prediction.output;
  if (output === null || output === undefined) return [];
  const urls: unknown[] = typeof output === 'string' ? [output] : Array.isArray(output) ? output : [output];
  if (!urls.every((url): url is string => typeof url === 'string' && url.length > 0)) {
    throw new UpstreamError('retryable', 'Replicate returned an output that is not image URLs', { provider: Provider, statusCode: 200, responseBody: JSON.stringify(prediction).slice(0, 2000) });
  }
  return urls;
}

/**
 * Replicate reports compute time (`metrics.predict_time`, seconds) and, for models billed per
 * image, counts; no price. Numbers are summed over the job's predictions and kept as raw usage.
 */
function usageOf(predictions: readonly Prediction[]): Usage | undefined {
  const totals: Record<string, number> = {};
  for (const prediction of predictions) {
    for (const [key, value] of Object.entries(prediction.metrics ?? {})) {
      if (typeof value === 'number') totals[key] = (totals[key] ?? 0) + value;
    }
  }
  return Object.keys(totals).length > 0 ? { raw: totals } : undefined;
}

/** Registry entry: enabled by `REPLICATE_API_TOKEN`, endpoint overridable with `REPLICATE_BASE_URL`. */
export const replicateProvider = {
  id: 'replicate',
  name: 'Replicate',
  defaultBaseUrl: 'https://api.replicate.com/v1',
  create: (settings) => new ReplicateImageProvider(settings),
  checkRoute: (route) => (route.input ? undefined : 'the route declares no input mapping for Replicate'),
} satisfies ProviderDescriptor;

/**
 * xAI Grok Imagine adapter (grok-imagine-image, grok-imagine-image-pro) over xAI's documented
 * HTTP API through `requestJson`. xAI has no official JavaScript SDK, and its docs say the
 * OpenAI SDK's `images.edit()` does not work there (it sends multipart; xAI wants JSON), so both
 * endpoints are called directly.
 *
 * Docs followed:
 * - https://docs.x.ai/developers/model-capabilities/images/generation
 *   (`POST /v1/images/generations`: model, prompt, n 1-10, aspect_ratio, resolution 1k/2k,
 *   response_format url | b64_json)
 * - https://docs.x.ai/developers/model-capabilities/images/editing
 *   (`POST /v1/images/edits`, JSON: `image: { url }` with a public URL or a base64 data URI, or
 *   `images: [{ url }]` for up to 3 references named <IMAGE_0>, <IMAGE_1> in the prompt; a single
 *   image edit keeps the input's aspect ratio)
 * - https://docs.x.ai/developers/model-capabilities/images (limits; content moderation)
 * Response: `{ block_reason, data: [{ b64_json | url, mime_type, revised_prompt }], usage: {
 * cost_in_usd_ticks } }`, 10,000,000,000 ticks to the US dollar.
 */
import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { fromBase64, requestJson, toDataUrl, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';

const Provider = 'xai';
const TicksPerUsd = 10_000_000_000;

const XaiImagesResponse = z.object({
  /** Set when input moderation refused the request (the answer is still a 200). */
  block_reason: z.string().nullish(),
  data: z
    .array(
      z.object({
        b64_json: z.string().nullish(),
        url: z.string().nullish(),
        /** false when the output failed moderation (xAI marks media it will not deliver). */
        respect_moderation: z.boolean().nullish(),
      }),
    )
    .nullish(),
  usage: z.looseObject({ cost_in_usd_ticks: z.number().nullish() }).nullish(),
});
type XaiImagesResponse = z.output<typeof XaiImagesResponse>;

/** The request body and endpoint for one call, with the settings xAI could not take. */
export interface XaiCall {
  readonly path: '/images/generations' | '/images/edits';
  readonly body: Record<string, unknown>;
  readonly warnings: string[];
}

/** Pictor names references `[image 1]`; xAI's multi-image edits name them `<IMAGE_0>`. */
function xaiImageTokens(prompt: string): string {
  return prompt.replace(/\[image (\d+)\]/gi, (_match, number: string) => `<IMAGE_${Number(number) - 1}>`);
}

export function buildXaiCall(request: GenerationRequest): XaiCall {
  const { params, references } = request;
  const warnings: string[] = [];
  const prompt = String(params.prompt ?? '');
  const aspectRatio = typeof params.aspectRatio === 'string' ? params.aspectRatio : undefined;
  const resolution = typeof params.resolution === 'string' ? params.resolution : undefined;
  // Base64 keeps the run self-contained: xAI's URLs are temporary.
  const body: Record<string, unknown> = { model: request.upstreamModel, prompt, n: request.n, response_format: 'b64_json' };
  if (resolution) body.resolution = resolution;
  if (references.length === 0) {
    if (aspectRatio) body.aspect_ratio = aspectRatio;
    return { path: '/images/generations', body, warnings };
  }
  const images = references.map((reference) => ({ url: toDataUrl(reference.bytes, reference.format), type: 'image_url' }));
  if (images.length === 1) {
    body.image = images[0];
    if (aspectRatio && aspectRatio !== 'auto') warnings.push(`aspectRatio ${aspectRatio} was not applied: xAI keeps the reference image's shape when editing one image`);
  } else {
    body.prompt = xaiImageTokens(prompt);
    body.images = images;
    if (aspectRatio) body.aspect_ratio = aspectRatio;
  }
  return { path: '/images/edits', body, warnings };
}

function contentPolicy(message: string, response: XaiImagesResponse): UpstreamError {
  const responseBody = JSON.stringify({ ...response, data: response.data?.map(({ respect_moderation }) => ({ respect_moderation })) }).slice(0, 2000);
  return new UpstreamError('content_policy', `${Provider}: ${message}`, { provider: Provider, statusCode: 200, responseBody });
}

/**
 * xAI answers a wrong API key with 400 ("The request is invalid or an invalid API key is
 * provided"), which would otherwise read as the request's fault and fail the job instead of
 * moving on to the next route.
 */
function credentialFailure(error: unknown): UpstreamError | undefined {
  if (!(error instanceof UpstreamError) || error.kind !== 'invalid_request' || error.details.statusCode !== 400) return undefined;
  if (!/api[ _-]?key/i.test(error.details.responseBody ?? '')) return undefined;
  return new UpstreamError('authentication', `${Provider} rejected the credentials: ${error.message.replace(/^xai: /, '')}`, error.details);
}

export class XaiImageProvider implements ImageProvider {
  readonly id = Provider;

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    signal.throwIfAborted();
    const call = buildXaiCall(request);
    onProgress({ progress: 0, stage: 'generating' });
    let response: XaiImagesResponse;
    try {
      response = await requestJson({
        provider: Provider,
        url: `${this.settings.baseUrl}${call.path}`,
        headers: { authorization: `Bearer ${this.settings.apiKey}` },
        body: call.body,
        response: XaiImagesResponse,
        signal,
        fetch: this.settings.fetch,
      });
    } catch (error) {
      // requestJson rethrows the fetch's own AbortError; the runner expects the signal's reason.
      if (signal.aborted) throw signal.reason;
      throw credentialFailure(error) ?? error;
    }
    if (response.block_reason) throw contentPolicy(`the request was blocked by moderation: ${response.block_reason}`, response);
    const items = response.data ?? [];
    const delivered = items.filter((item) => item.respect_moderation !== false);
    if (items.length > 0 && delivered.length === 0) throw contentPolicy('every image was withheld by content moderation', response);
    const warnings = [...call.warnings];
    if (delivered.length < items.length) warnings.push(`${items.length - delivered.length} of ${items.length} images were withheld by xAI's content moderation`);

    const images: GeneratedImage[] = [];
    for (const item of delivered) {
      if (item.b64_json) images.push({ bytes: fromBase64(item.b64_json) });
      else if (item.url) images.push({ url: item.url });
    }
    if (images.length === 0) {
      throw new UpstreamError('retryable', `${Provider} returned no image`, { provider: Provider, statusCode: 200, responseBody: JSON.stringify(response).slice(0, 2000) });
    }
    const ticks = response.usage?.cost_in_usd_ticks;
    const usage: Usage | undefined = response.usage ? { ...(typeof ticks === 'number' ? { costUsd: ticks / TicksPerUsd } : {}), raw: response.usage } : undefined;
    return usage ? { images, warnings, usage } : { images, warnings };
  }
}

/** Registry entry: enabled by XAI_API_KEY, endpoint from XAI_BASE_URL. */
export const xaiProvider = {
  id: 'xai',
  name: 'xAI',
  defaultBaseUrl: 'https://api.x.ai/v1',
  create: (settings) => new XaiImageProvider(settings),
} satisfies ProviderDescriptor;

/**
 * OpenAI Images API adapter (gpt-image-2, gpt-image-1.5, gpt-image-1, dall-e-3, dall-e-2),
 * through the official SDK pointed at the configured base URL with the injected fetch.
 *
 * Docs followed:
 * - https://platform.openai.com/docs/api-reference/images/create (generations)
 * - https://platform.openai.com/docs/api-reference/images/createEdit (edits, multipart `image[]`)
 * - https://platform.openai.com/docs/api-reference/images-streaming (SSE
 *   `image_generation.partial_image` / `.completed`, `image_edit.*` for edits)
 * - https://platform.openai.com/docs/guides/image-generation (partial_images 0-3, streaming)
 *
 * Request mapping lives in `request.ts`, failure classification in `failures.ts`.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { findModel } from '../../catalog/index.js';
import { fromBase64, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { malformedResponse, ResponseRecorder, toUpstreamError } from './failures.js';
import { buildOpenAICall, editUploads, type OpenAICall } from './request.js';

/**
 * Partial images asked for when streaming. Each costs about 100 extra output tokens
 * (OpenAI's image-generation guide); two give a first glimpse and a nearly finished frame
 * without raising the bill much.
 */
export const PartialImages = 2;

/** Token usage as the Images API reports it (GPT Image models only). */
const UsageSchema = z.looseObject({ input_tokens: z.number(), output_tokens: z.number() });

/** The minimal response we read: base64 (or, for dall-e behind some proxies, a URL) per image. */
const ImagesResponseSchema = z.object({
  data: z.array(z.object({ b64_json: z.string().min(1).nullish(), url: z.string().min(1).nullish() })).min(1, 'no images in data'),
  usage: UsageSchema.nullish(),
});

/** Stream events we act on; other event types are ignored. */
const StreamEventSchema = z.object({
  type: z.string(),
  b64_json: z.string().nullish(),
  partial_image_index: z.number().nullish(),
  usage: UsageSchema.nullish(),
});

function toUsage(usage: z.output<typeof UsageSchema> | null | undefined): Usage | undefined {
  if (!usage) return undefined;
  return { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, raw: usage };
}

export class OpenAIImageProvider implements ImageProvider {
  readonly id = 'openai';

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    signal.throwIfAborted();
    const recorder = new ResponseRecorder();
    try {
      const call = buildOpenAICall(request);
      const client = this.client(recorder);
      onProgress({ progress: 0, stage: 'generating' });
      const result = this.streamsPreviews(request, call) ? await this.runStreaming(client, call, signal, onProgress) : await this.runOnce(client, call, signal, recorder);
      // gpt-image models received output_format/output_compression: do not re-encode their images.
      const encoded = 'output_format' in call.body;
      return { ...result, warnings: call.warnings, ...(encoded ? { encoded } : {}) };
    } catch (error) {
      throw toUpstreamError(error, recorder.lastBody, signal);
    }
  }

  /**
   * One client per run, so the recorder holds this run's bodies only. Retries are the router's
   * job (they honour Retry-After and fall back across routes), so the SDK makes none; options
   * the SDK would otherwise read from the environment are pinned, since config.ts is the only
   * reader of the environment.
   */
  private client(recorder: ResponseRecorder): OpenAI {
    return new OpenAI({
      apiKey: this.settings.apiKey,
      baseURL: this.settings.baseUrl,
      fetch: recorder.wrap(this.settings.fetch),
      maxRetries: 0,
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      logLevel: 'warn',
    });
  }

  /**
   * Streaming previews are used when the catalog says the model has them. With n > 1 one
   * plain call returns every image at once, which the streamed form does not document, so
   * only single-image calls stream.
   */
  private streamsPreviews(request: GenerationRequest, call: OpenAICall): boolean {
    const model = findModel(request.modelId);
    return call.family === 'gpt-image' && request.n === 1 && model?.capabilities.streamingPreviews === true;
  }

  private async runOnce(client: OpenAI, call: OpenAICall, signal: AbortSignal, recorder: ResponseRecorder): Promise<GenerationResult> {
    const response =
      call.kind === 'generate' ? await client.images.generate(call.body, { signal }) : await client.images.edit({ ...call.body, image: await editUploads(call.family, call.references) }, { signal });
    const parsed = ImagesResponseSchema.safeParse(response);
    if (!parsed.success) throw malformedResponse(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '), recorder.lastBody);
    const images: GeneratedImage[] = [];
    for (const item of parsed.data.data) {
      if (item.b64_json) images.push({ bytes: fromBase64(item.b64_json) });
      else if (item.url) images.push({ url: item.url });
      else throw malformedResponse('an image has neither b64_json nor url', recorder.lastBody);
    }
    const usage = toUsage(parsed.data.usage);
    return usage ? { images, usage } : { images };
  }

  /** Streams the call, turning partial images into preview frames. */
  private async runStreaming(client: OpenAI, call: OpenAICall, signal: AbortSignal, onProgress: RunOptions['onProgress']): Promise<GenerationResult> {
    const stream =
      call.kind === 'generate'
        ? await client.images.generate({ ...call.body, stream: true, partial_images: PartialImages }, { signal })
        : await client.images.edit({ ...call.body, image: await editUploads(call.family, call.references), stream: true, partial_images: PartialImages }, { signal });
    const images: GeneratedImage[] = [];
    let usage: Usage | undefined;
    for await (const raw of stream) {
      const event = StreamEventSchema.safeParse(raw);
      if (!event.success) throw malformedResponse(`stream event: ${event.error.issues[0]?.message}`, JSON.stringify(raw).slice(0, 2000));
      const { type, b64_json: base64 } = event.data;
      if (type.endsWith('.partial_image') && base64) {
        const index = event.data.partial_image_index ?? 0;
        onProgress({ progress: Math.min(1, (index + 1) / (PartialImages + 1)), stage: 'rendering', preview: fromBase64(base64) });
      } else if (type.endsWith('.completed')) {
        if (!base64) throw malformedResponse(`${type} without b64_json`, JSON.stringify({ ...event.data }).slice(0, 2000));
        images.push({ bytes: fromBase64(base64) });
        usage = toUsage(event.data.usage) ?? usage;
      }
    }
    // The SDK ends the iteration quietly when the signal aborts it.
    signal.throwIfAborted();
    if (images.length === 0) throw malformedResponse('the stream ended without a completed image', undefined);
    return usage ? { images, usage } : { images };
  }
}

/** Registry entry: enabled by OPENAI_API_KEY, endpoint from OPENAI_BASE_URL. */
export const openaiProvider = {
  id: 'openai',
  name: 'OpenAI',
  defaultBaseUrl: 'https://api.openai.com/v1',
  create: (settings) => new OpenAIImageProvider(settings),
} satisfies ProviderDescriptor;

import type { z } from 'zod';
import { classifyHttpFailure, UpstreamError } from '../errors.js';
import { fromBase64, requestJson, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { ChatResponse, chatRequestBody } from './chat-completions.js';
import { ImagesResponse, imagesRequestBody } from './images-api.js';

/**
 * OpenRouter (https://openrouter.ai/docs/api/api-reference/images/generate-an-image): the
 * dedicated image API, `POST <base>/images`, answering `{ data: [{ b64_json }], usage: { cost } }`.
 * When that endpoint does not serve a model (404), the same request goes through chat
 * completions with `modalities: ["image", "text"]`, OpenRouter's original image path.
 * `usage.cost` is in OpenRouter credits, which are US dollars. Errors follow
 * https://openrouter.ai/docs/api-reference/errors: the status mirrors `error.code`, a 403 is a
 * moderation refusal (its message says "flagged"), and a failure after the model started arrives
 * as a 200 carrying `error`.
 */

const ProviderId = 'openrouter';

/** Gemini's own finish reasons (OpenRouter passes them as `native_finish_reason`) that mean a refusal. */
const PolicyFinishReasons = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII']);
const RefusalText = /safety|polic(y|ies)|guideline|prohibited|inappropriate|harmful|explicit|violat/i;

export class OpenRouterProvider implements ImageProvider {
  readonly id = ProviderId;
  readonly forwardsPassthrough = true;

  constructor(private readonly settings: ProviderSettings) {}

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    onProgress({ progress: 0, stage: 'generating' });
    try {
      return await this.viaImagesApi(request, signal);
    } catch (error) {
      if (!(error instanceof UpstreamError && error.details.statusCode === 404)) throw refine(error);
    }
    try {
      return await this.viaChatCompletions(request, signal);
    } catch (error) {
      throw refine(error);
    }
  }

  private async viaImagesApi(request: GenerationRequest, signal: AbortSignal): Promise<GenerationResult> {
    const { body, warnings } = imagesRequestBody(request);
    const response = await this.post('/images', body, ImagesResponse, signal);
    throwCarriedError(response.error);
    const images = (response.data ?? []).flatMap((item) => (item.b64_json ? [{ bytes: fromBase64(item.b64_json) }] : item.url ? [imageAt(item.url)] : []));
    if (images.length === 0) throw noImage('returned no image', response);
    return result(images.slice(0, request.n), warnings, response.usage);
  }

  private async viaChatCompletions(request: GenerationRequest, signal: AbortSignal): Promise<GenerationResult> {
    const { body, warnings } = chatRequestBody(request);
    const response = await this.post('/chat/completions', body, ChatResponse, signal);
    throwCarriedError(response.error);
    const choice = response.choices?.[0];
    const images = (choice?.message?.images ?? []).map((image) => imageAt(image.image_url.url));
    if (images.length > 0) return result(images.slice(0, Math.max(1, request.n)), warnings, response.usage);
    const said = choice?.message?.content?.trim() ?? '';
    const reason = [choice?.finish_reason, choice?.native_finish_reason].filter(Boolean).join('/');
    const detail = `${reason ? ` (${reason})` : ''}${said ? `: ${said.slice(0, 300)}` : ''}`;
    if (choice?.finish_reason === 'content_filter' || PolicyFinishReasons.has(choice?.native_finish_reason ?? '') || RefusalText.test(said)) {
      throw new UpstreamError('content_policy', `${ProviderId} refused to generate the image${detail}`, {
        provider: ProviderId,
        statusCode: 200,
        responseBody: JSON.stringify(response).slice(0, 2000),
      });
    }
    throw noImage(`returned no image${detail}`, response);
  }

  private post<Schema extends z.ZodType>(path: string, body: unknown, schema: Schema, signal: AbortSignal): Promise<z.output<Schema>> {
    return requestJson({
      provider: ProviderId,
      url: `${this.settings.baseUrl}${path}`,
      headers: { authorization: `Bearer ${this.settings.apiKey}` },
      body,
      response: schema,
      signal,
      fetch: this.settings.fetch,
    });
  }
}

/** A data URL is decoded here; an http(s) URL is downloaded by the runner. */
function imageAt(url: string): GeneratedImage {
  return url.startsWith('data:') ? { bytes: fromBase64(url) } : { url };
}

function result(images: GeneratedImage[], warnings: string[], usage: ImagesResponse['usage']): GenerationResult {
  const reported = usageOf(usage);
  return { images, ...(warnings.length > 0 ? { warnings } : {}), ...(reported ? { usage: reported } : {}) };
}

/** Cost in US dollars and token counts, only as reported. */
function usageOf(usage: ImagesResponse['usage']): Usage | undefined {
  if (!usage) return undefined;
  return {
    ...(usage.cost !== undefined ? { costUsd: usage.cost } : {}),
    ...(usage.prompt_tokens !== undefined ? { inputTokens: usage.prompt_tokens } : {}),
    ...(usage.completion_tokens !== undefined ? { outputTokens: usage.completion_tokens } : {}),
    raw: usage,
  };
}

/** OpenRouter sometimes answers 200 with `{ error: { code, message } }`; it is classified like the status it names. */
function throwCarriedError(error: ImagesResponse['error']): void {
  if (!error) return;
  const status = typeof error.code === 'number' && error.code >= 400 && error.code < 600 ? error.code : 502;
  throw classifyHttpFailure(ProviderId, status, JSON.stringify({ error }));
}

function noImage(message: string, response: unknown): UpstreamError {
  return new UpstreamError('retryable', `${ProviderId} ${message}`, { provider: ProviderId, statusCode: 200, responseBody: JSON.stringify(response).slice(0, 2000) });
}

/**
 * 402 means the OpenRouter account is out of credits: the deployment's configuration, not the
 * request, so the router moves on to the next provider instead of failing the job.
 */
function refine(error: unknown): unknown {
  if (error instanceof UpstreamError && error.details.statusCode === 402) {
    return new UpstreamError('authentication', `${ProviderId} refused the request for lack of credits: ${error.message.replace(`${ProviderId}: `, '')}`, error.details);
  }
  return error;
}

export const openRouterProvider = {
  id: 'openrouter',
  name: 'OpenRouter',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  create: (settings) => new OpenRouterProvider(settings),
} satisfies ProviderDescriptor;

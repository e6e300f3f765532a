import { z } from 'zod';
import { toDataUrl } from '../http.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { readOpenRouterParams } from './params.js';

/**
 * OpenRouter's dedicated image endpoint, `POST /api/v1/images`.
 * Docs: https://openrouter.ai/docs/api/api-reference/images/generate-an-image and
 * https://openrouter.ai/docs/guides/overview/multimodal/image-generation.
 */

/** A reference image: the chat ContentPartImage shape, with a data URL or an http(s) URL. */
export interface OpenRouterImageReference {
  readonly type: 'image_url';
  readonly image_url: { readonly url: string };
}

/** The request body, every documented field. Pictor never sets `size` (it sends resolution and aspect_ratio) nor `stream`. */
export interface OpenRouterImageRequest {
  readonly model: string;
  readonly prompt: string;
  /** Normalized ratio (`16:9`, `9:19.5`, `auto`); providers clamp to what they support. */
  readonly aspect_ratio?: string;
  readonly background?: 'auto' | 'transparent' | 'opaque';
  /** Up to 16. */
  readonly input_references?: readonly OpenRouterImageReference[];
  /** 1-10; single-image providers reject more than 1. */
  readonly n?: number;
  /** 0-100, webp and jpeg only. */
  readonly output_compression?: number;
  readonly output_format?: 'png' | 'jpeg' | 'webp' | 'svg';
  /** Provider passthrough (routing preferences; options under `options[<provider slug>]`): the client's, as it sent it. */
  readonly provider?: Readonly<Record<string, unknown>>;
  readonly quality?: string;
  /** Normalized tier: `512`, `1K`, `2K`, `4K`. */
  readonly resolution?: string;
  readonly seed?: number;
  readonly size?: string;
  readonly stream?: boolean;
}

/** Only the fields read. Some failures arrive as a 200 carrying `error`. */
export const ImagesResponse = z.object({
  data: z.array(z.object({ b64_json: z.string().optional(), url: z.string().optional() })).optional(),
  usage: z.object({ cost: z.number().optional(), prompt_tokens: z.number().optional(), completion_tokens: z.number().optional(), total_tokens: z.number().optional() }).passthrough().optional(),
  error: z
    .object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() })
    .passthrough()
    .optional(),
});
export type ImagesResponse = z.output<typeof ImagesResponse>;

/** The request body for a Pictor request, and the settings it could not carry. */
export function imagesRequestBody(request: GenerationRequest): { body: OpenRouterImageRequest; warnings: string[] } {
  const params = readOpenRouterParams(request);
  const { format, compression, background } = request.output;
  const lossy = format === 'webp' || format === 'jpeg';
  const body: OpenRouterImageRequest = {
    model: request.upstreamModel,
    prompt: params.prompt,
    ...(params.aspectRatio ? { aspect_ratio: params.aspectRatio } : {}),
    ...(params.resolution ? { resolution: params.resolution } : {}),
    ...(params.quality ? { quality: params.quality } : {}),
    n: request.n,
    seed: request.seed,
    ...(request.references.length > 0
      ? { input_references: request.references.map((reference) => ({ type: 'image_url' as const, image_url: { url: toDataUrl(reference.bytes, reference.format) } })) }
      : {}),
    ...(format ? { output_format: format } : {}),
    // OpenRouter ignores compression for png; sending it only where it means something keeps the body honest.
    ...(compression !== undefined && lossy ? { output_compression: compression } : {}),
    ...(background ? { background } : {}),
    ...(request.providerPassthrough ? { provider: request.providerPassthrough } : {}),
  };
  return { body, warnings: params.warnings };
}

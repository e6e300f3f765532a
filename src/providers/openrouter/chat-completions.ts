import { z } from 'zod';
import { toDataUrl } from '../http.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { readOpenRouterParams } from './params.js';

/**
 * OpenRouter's older image path, used when the dedicated image endpoint does not serve a model:
 * `POST /api/v1/chat/completions` with `modalities: ["image", "text"]` and `image_config`; the
 * images come back as data URLs in `choices[0].message.images[].image_url.url`.
 * Docs: https://openrouter.ai/docs/features/multimodal/image-generation.
 */

/** Only the fields read. */
export const ChatResponse = z.object({
  choices: z
    .array(
      z.object({
        message: z
          .object({
            content: z.string().nullable().optional(),
            images: z.array(z.object({ image_url: z.object({ url: z.string() }) })).optional(),
          })
          .optional(),
        finish_reason: z.string().nullable().optional(),
        native_finish_reason: z.string().nullable().optional(),
      }),
    )
    .optional(),
  usage: z.object({ cost: z.number().optional(), prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).passthrough().optional(),
  error: z
    .object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() })
    .passthrough()
    .optional(),
});
export type ChatResponse = z.output<typeof ChatResponse>;

/** The chat request for a Pictor request: the prompt first, then the reference images in order. */
export function chatRequestBody(request: GenerationRequest): { body: Record<string, unknown>; warnings: string[] } {
  const params = readOpenRouterParams(request);
  const warnings = [...params.warnings];
  if (params.quality) warnings.push('quality is not available through OpenRouter chat completions and was ignored');
  if (request.n > 1) warnings.push(`OpenRouter chat completions return one image per request; ${request.n} were asked`);
  if (request.output.background === 'transparent') warnings.push(`${request.upstreamModel} cannot make a transparent background through chat completions`);
  // Chat completions take OpenRouter's routing preferences under `provider`, but not the image API's per-provider `options`.
  const { options, ...routing } = request.providerPassthrough ?? {};
  if (options !== undefined) warnings.push('provider.options is not available through OpenRouter chat completions and was not forwarded');
  const imageConfig = {
    ...(params.aspectRatio && params.aspectRatio !== 'auto' ? { aspect_ratio: params.aspectRatio } : {}),
    ...(params.resolution ? { image_size: params.resolution } : {}),
  };
  return {
    body: {
      model: request.upstreamModel,
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: params.prompt }, ...request.references.map((reference) => ({ type: 'image_url', image_url: { url: toDataUrl(reference.bytes, reference.format) } }))],
        },
      ],
      modalities: ['image', 'text'],
      ...(Object.keys(imageConfig).length > 0 ? { image_config: imageConfig } : {}),
      seed: request.seed,
      ...(Object.keys(routing).length > 0 ? { provider: routing } : {}),
    },
    warnings,
  };
}

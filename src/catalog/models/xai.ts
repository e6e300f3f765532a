import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, promptParam } from './common.js';
import { defineModel, type ModelDefinition, type ModelRoute } from '../spec.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * xAI's Grok Imagine (Wonda's grok-imagine and grok-imagine-pro, encoded exactly; Apiframe's
 * `grok-imagine-image` is the same model under xAI's API name). xAI's image endpoint takes
 * `aspect_ratio`, `resolution` (1k / 2k) and `n` 1-10 (https://docs.x.ai/developers/model-capabilities/images/generation).
 * xAI deprecates grok-imagine-image-pro on May 15, 2026 in favour of grok-imagine-image-quality;
 * the pro route names the model Wonda documents.
 */

const apiframeGrokImagine: ApiframeBuilder = (reader) => {
  reader.unsupported('resolution', "Apiframe's grok-imagine-image renders at xAI's default resolution");
  return {
    paramsKey: 'grokImagineParams',
    params: compact({ aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '16:9', '9:16']) }),
    references: { field: 'image', list: false, max: 1 },
    seed: false,
  };
};

/** Wonda's table: default 9:16. */
export const GrokAspectRatios = ['9:16', '16:9', '1:1', '4:3', '3:4', '3:2', '2:3', '2:1', '1:2', 'auto'] as const;
/** Wonda spells the tiers in lower case: 1k, 2k (default 1k). */
export const GrokResolutions = ['1k', '2k'] as const;

const grokParams = z.object({
  prompt: promptParam(),
  aspectRatio: z.enum(GrokAspectRatios).default('9:16').describe('Shape of the image; auto lets the model choose from the prompt.'),
  resolution: z.enum(GrokResolutions).default('1k').describe('Output resolution tier.'),
});

function grokModel(options: { id: string; aliases: string[]; name: string; description: string; usd: number; upstream: string; apiframe?: string }): ModelDefinition<typeof grokParams> {
  return defineModel({
    id: options.id,
    aliases: options.aliases,
    name: options.name,
    description: options.description,
    vendor: 'xAI',
    // Wonda: "1 optional reference image for editing."
    capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, maxN: 10 }),
    params: grokParams,
    price: () => creditsForUsd(options.usd),
    timeoutMs: 3 * Minutes,
    routes: [
      { provider: 'xai', upstreamModel: options.upstream },
      ...(options.apiframe ? [{ provider: 'apiframe', upstreamModel: options.apiframe, plan: apiframeGrokImagine } satisfies ModelRoute] : []),
    ],
    normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
    sources: ['Wonda image API', 'https://docs.x.ai/developers/model-capabilities/images/generation'],
  });
}

// xAI list prices: grok-imagine-image US$0.02, grok-imagine-image-pro US$0.07 per image.
export const grokImagine = grokModel({
  id: 'grok-imagine',
  aliases: ['grok-imagine-image'],
  name: 'Grok Imagine',
  description: 'Fast image generation and editing by xAI with strong creative control and text rendering.',
  usd: 0.02,
  upstream: 'grok-imagine-image',
  apiframe: 'grok-imagine-image',
});

export const grokImaginePro = grokModel({
  id: 'grok-imagine-pro',
  aliases: ['grok-imagine-image-pro'],
  name: 'Grok Imagine Pro',
  description: 'High-quality image generation and editing by xAI.',
  usd: 0.07,
  upstream: 'grok-imagine-image-pro',
});

export const xaiModels = [grokImagine, grokImaginePro] as const;

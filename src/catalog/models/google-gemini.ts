import { z } from 'zod';
import { Minutes, TripoCredits, generationCapabilities, promptParam, scaledTier, styleIdParam, tripoPresetParams } from './common.js';
import { defineModel } from '../spec.js';
import { unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { falImageUrls, falPngJpegWebp } from '../routes/fal.js';
import { replicateJpgPng } from '../routes/replicate.js';
import { compact, ApiframeJpgPngWebp, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Google's Gemini image models ("Nano Banana"). Named by Apiframe (all three), Tripo (all three
 * as `gemini_*` model versions) and Wonda (nano-banana-2 and nano-banana-pro, with their params
 * tables encoded exactly below).
 */

const apiframeNanoBanana: ApiframeBuilder = (reader) => {
  reader.unsupported('styleId', 'Apiframe has no Wonda style ids');
  return {
    paramsKey: 'nanoBananaParams',
    params: compact({
      aspect_ratio: reader.string('aspectRatio') === 'auto' ? undefined : reader.string('aspectRatio'),
      resolution: reader.string('resolution'),
      output_format: reader.outputFormat(ApiframeJpgPngWebp),
    }),
    references: { field: 'image_input', list: true, max: 14 },
    seed: false,
  };
};

/** Gemini image models: `aspect_ratio` and `resolution` as Pictor spells them; edit endpoint takes `image_urls`. */
const falGemini: ModelInputSpec = {
  count: 'num_images',
  seed: 'seed',
  outputFormat: falPngJpegWebp,
  params: { styleId: unsupported },
  edit: { references: falImageUrls },
};

const geminiNormalization = { aspectRatio: 'aspectRatio', resolution: 'resolution' } as const;

/**
 * Gemini 2.5 Flash Image has no size knob; its aspect ratios per the Gemini API ImageConfig
 * reference (https://googleapis.github.io/js-genai/release_docs/interfaces/types.ImageConfig.html
 * and https://docs.cloud.google.com/python/docs/reference/aiplatform/latest/google.cloud.aiplatform_v1.types.ImageConfig).
 */
export const NanoBananaAspectRatios = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

export const nanoBanana = defineModel({
  id: 'nano-banana',
  aliases: ['gemini_2.5_flash_image_preview', 'gemini-2.5-flash-image', 'gemini-2.5-flash-image-preview', 'google/gemini-2.5-flash-image'],
  name: 'Nano Banana (Gemini 2.5 Flash Image)',
  description: 'Fast generation with image-to-image support.',
  vendor: 'Google',
  capabilities: generationCapabilities({
    editing: true,
    // Tripo: "For ... gemini_2.5_flash_image_preview, the max length of files is 10."
    maxReferenceImages: 10,
    seed: true,
  }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(NanoBananaAspectRatios).default('1:1').describe('Shape of the image.'),
    ...tripoPresetParams,
  }),
  price: () => TripoCredits.standard,
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'gemini', upstreamModel: 'gemini-2.5-flash-image' },
    { provider: 'fal', upstreamModel: 'fal-ai/nano-banana', upstreamEditModel: 'fal-ai/nano-banana/edit', input: falGemini },
    { provider: 'openrouter', upstreamModel: 'google/gemini-2.5-flash-image' },
    { provider: 'replicate', upstreamModel: 'google/nano-banana', input: { outputFormat: replicateJpgPng, references: { field: 'image_input' } } },
    { provider: 'apiframe', upstreamModel: 'nano-banana', plan: apiframeNanoBanana },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://ai.google.dev/gemini-api/docs/image-generation'],
});

/** Wonda's nano-banana-pro table, verbatim order; default 9:16. */
export const NanoBananaProAspectRatios = ['9:16', '16:9', '1:1', '4:5', '4:3', '3:4', '3:2', '2:3', '21:9', 'auto'] as const;
/** Wonda's nano-banana-2 table adds the extreme ratios 8:1, 1:8, 4:1, 1:4. */
export const NanoBanana2AspectRatios = ['9:16', '16:9', '1:1', '4:5', '4:3', '3:4', '3:2', '2:3', '21:9', '8:1', '1:8', '4:1', '1:4', 'auto'] as const;
export const GeminiResolutions = ['1K', '2K', '4K'] as const;

/**
 * Google's list prices per image: Gemini 3 Pro Image US$0.134 at 1K/2K and US$0.24 at 4K;
 * Gemini 3.1 Flash Image US$0.067 (1K), 0.101 (2K), 0.151 (4K). The Tripo tier (10) is the 1K
 * price and scales with Google's ratio.
 */
const NanoBananaProUsd = { '1K': 0.134, '2K': 0.134, '4K': 0.24 } as const;
const NanoBanana2Usd = { '1K': 0.067, '2K': 0.101, '4K': 0.151 } as const;

export const nanoBananaPro = defineModel({
  id: 'nano-banana-pro',
  aliases: ['gemini_3_pro_image_preview', 'gemini-3-pro-image-preview', 'google/gemini-3-pro-image-preview'],
  name: 'Nano Banana Pro (Gemini 3 Pro Image)',
  description: 'Professional-grade generation with accurate text, up to 4K.',
  vendor: 'Google',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 14, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(NanoBananaProAspectRatios).default('9:16').describe('Shape of the image; auto lets the model decide.'),
    resolution: z.enum(GeminiResolutions).default('1K').describe('Output resolution tier (about 1024, 2048 or 4096 pixels on the long edge).'),
    styleId: styleIdParam,
    ...tripoPresetParams,
  }),
  price: (params) => scaledTier(TripoCredits.premium, NanoBananaProUsd[params.resolution], NanoBananaProUsd['1K']),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'gemini', upstreamModel: 'gemini-3-pro-image-preview' },
    { provider: 'fal', upstreamModel: 'fal-ai/gemini-3-pro-image-preview', upstreamEditModel: 'fal-ai/gemini-3-pro-image-preview/edit', input: falGemini },
    { provider: 'openrouter', upstreamModel: 'google/gemini-3-pro-image-preview' },
    {
      provider: 'replicate',
      upstreamModel: 'google/nano-banana-pro',
      input: {
        outputFormat: replicateJpgPng,
        references: { field: 'image_input', max: 14 },
        params: { aspectRatio: { field: 'aspect_ratio', values: { auto: 'match_input_image' } }, styleId: unsupported },
      },
    },
    { provider: 'apiframe', upstreamModel: 'nano-banana-pro', plan: apiframeNanoBanana },
  ],
  normalization: geminiNormalization,
  sources: ['Wonda image API', 'https://ai.google.dev/gemini-api/docs/image-generation'],
});

export const nanoBanana2 = defineModel({
  id: 'nano-banana-2',
  aliases: ['gemini_3.1_flash_image_preview', 'gemini-3.1-flash-image-preview', 'google/gemini-3.1-flash-image-preview'],
  name: 'Nano Banana 2 (Gemini 3.1 Flash Image)',
  description: 'General-purpose, high-efficiency generation up to 4K. Google Search grounding (Apiframe) is not offered: a grounding parameter is refused.',
  vendor: 'Google',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 14, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(NanoBanana2AspectRatios).default('9:16').describe('Shape of the image, including the extreme 8:1 and 1:8; auto lets the model decide.'),
    resolution: z.enum(GeminiResolutions).default('1K').describe('Output resolution tier (about 1024, 2048 or 4096 pixels on the long edge).'),
    styleId: styleIdParam,
    ...tripoPresetParams,
  }),
  price: (params) => scaledTier(TripoCredits.premium, NanoBanana2Usd[params.resolution], NanoBanana2Usd['1K']),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'gemini', upstreamModel: 'gemini-3.1-flash-image-preview' },
    { provider: 'fal', upstreamModel: 'fal-ai/gemini-3.1-flash-image-preview', upstreamEditModel: 'fal-ai/gemini-3.1-flash-image-preview/edit', input: falGemini },
    { provider: 'openrouter', upstreamModel: 'google/gemini-3.1-flash-image-preview' },
    { provider: 'apiframe', upstreamModel: 'nano-banana-2', plan: apiframeNanoBanana },
  ],
  normalization: geminiNormalization,
  refusedParams: Object.fromEntries(
    ['grounding', 'googleSearch', 'googleSearchGrounding', 'webSearch'].map((name) => [
      name,
      'Google Search grounding ("High-efficiency with Google Search grounding", Apiframe) is not available through Pictor: none of its routes passes it upstream, and a grounded request must not run ungrounded',
    ]),
  ),
  sources: ['Wonda image API', 'https://fal.ai/models/fal-ai/gemini-3.1-flash-image-preview'],
});

export const geminiImageModels = [nanoBanana2, nanoBananaPro, nanoBanana] as const;

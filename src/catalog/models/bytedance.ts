import { z } from 'zod';
import { FalImageSizePresets, Minutes, creditsForUsd, generationCapabilities, promptParam } from './common.js';
import { defineModel } from '../spec.js';
import { handledElsewhere, unsupported } from '../routes/input-spec.js';
import { expand, ratioOfShape, sizeFromRatioAndTier } from '../routes/converters.js';
import { falSafetyChecker } from '../routes/fal.js';
import { compact, presetRatio, ApiframeJpgPng, type ApiframeBuilder, type ParamReader } from '../routes/apiframe.js';

/**
 * ByteDance's Seedream family (Apiframe's list; seedream-4.5 also Wonda's, encoded exactly).
 * The others follow fal's schemas, cited per model. fal's size presets are kept as fal spells
 * them (`landscape_16_9`); rules/shapes.ts knows their shapes.
 */

const apiframeSeedream3: ApiframeBuilder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio'), guidance_scale: reader.value('guidanceScale'), output_format: reader.outputFormat(ApiframeJpgPng) }),
  seed: true,
});

const apiframeSeedream31: ApiframeBuilder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: presetRatio(reader, 'imageSize', 'its default size'), enhance_prompt: reader.value('enhancePrompt'), output_format: reader.outputFormat(ApiframeJpgPng) }),
  seed: true,
});

/** Seedream 4 / 5 Lite size: a fal preset (aspect ratio at the base tier) or `auto_<tier>` (follow the input image). */
function apiframeSeedreamSize(reader: ParamReader, baseTier: string): { aspect_ratio?: string; size: string } {
  const value = reader.string('imageSize') ?? '';
  const auto = /^auto(?:_(\dK))?$/.exec(value);
  if (auto) {
    const follows = reader.request.references.length > 0 ? 'match_input_image' : undefined;
    return { aspect_ratio: follows, size: auto[1] ?? baseTier };
  }
  return { aspect_ratio: presetRatio(reader, 'imageSize', baseTier), size: baseTier };
}

const apiframeSeedream4: ApiframeBuilder = (reader) => {
  reader.unsupported('enhancePromptMode', "Apiframe's seedream-4 only switches prompt enhancement on (standard mode)");
  return {
    paramsKey: 'seedreamParams',
    params: compact({ ...apiframeSeedreamSize(reader, '1K'), enhance_prompt: true, output_format: reader.outputFormat(ApiframeJpgPng) }),
    references: { field: 'image_input', list: true, max: 10 },
    seed: true,
  };
};

const apiframeSeedream45: ApiframeBuilder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio'), size: reader.string('resolution'), output_format: reader.outputFormat(ApiframeJpgPng) }),
  references: { field: 'image_input', list: true, max: 14 },
  seed: true,
});

const apiframeSeedream5Lite: ApiframeBuilder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ ...apiframeSeedreamSize(reader, '2K'), output_format: reader.outputFormat(ApiframeJpgPng) }),
  references: { field: 'image_input', list: true, max: 10 },
  seed: true,
});

/** Seedream 4 has tiers (`size`) and ratios where Pictor, like fal, has size presets. */
const replicateSeedream4ImageSize = expand((value, context) => {
  const tier = ({ auto: '1K', auto_2K: '2K', auto_4K: '4K' } as Record<string, string>)[String(value)];
  if (tier) return { size: tier, aspect_ratio: 'match_input_image' };
  if (value === 'square') context.warn(`seedream-4 on ${context.provider} makes nothing below 1K; square (512x512) ran as 1024x1024`);
  return { size: '1K', aspect_ratio: ratioOfShape(value, context) };
});

/** fal seedream v3 `aspect_ratio` (https://fal.ai/models/fal-ai/bytedance/seedream/v3/text-to-image/llms.txt). */
export const Seedream3AspectRatios = ['1:1', '3:4', '4:3', '16:9', '9:16', '2:3', '3:2', '21:9'] as const;

export const seedream3 = defineModel({
  id: 'seedream-3',
  aliases: ['seedream-3.0'],
  name: 'Seedream 3',
  description: 'High-resolution (2K) bilingual text-to-image by ByteDance.',
  vendor: 'ByteDance',
  capabilities: generationCapabilities({ maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(Seedream3AspectRatios).default('1:1').describe('Shape of the image.'),
    guidanceScale: z.number().min(1).max(10).default(2.5).describe('How closely the image follows the prompt.'),
  }),
  // fal: US$0.03 per image.
  price: () => creditsForUsd(0.03),
  timeoutMs: 3 * Minutes,
  routes: [
    // fal's v3 endpoint takes a size, not a ratio: the ratio at 2K within its 512-2048 bounds.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/bytedance/seedream/v3/text-to-image',
      input: {
        count: 'num_images',
        seed: 'seed',
        constants: falSafetyChecker,
        params: { aspectRatio: sizeFromRatioAndTier({ min: 512, max: 2048, multipleOf: 16 }, { field: 'image_size', fixedTier: '2K' }) },
      },
    },
    { provider: 'replicate', upstreamModel: 'bytedance/seedream-3', input: { seed: 'seed' } },
    { provider: 'apiframe', upstreamModel: 'seedream-3', plan: apiframeSeedream3 },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://fal.ai/models/fal-ai/bytedance/seedream/v3/text-to-image/llms.txt'],
});

export const seedream31 = defineModel({
  id: 'seedream-3.1',
  aliases: ['seedream-3-1', 'dreamina-3.1', 'dreamina-v3.1'],
  name: 'Seedream 3.1 (Dreamina 3.1)',
  description: 'Cinematic-quality generation (Dreamina 3.1). Its style control (Apiframe) is not offered: a style parameter is refused; describe the style in the prompt.',
  vendor: 'ByteDance',
  capabilities: generationCapabilities({ maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    imageSize: z.enum(FalImageSizePresets).default('square_hd').describe('Size preset of the image.'),
    enhancePrompt: z.boolean().default(false).describe('Let the model expand the prompt.'),
  }),
  // fal: US$0.03 per image.
  price: () => creditsForUsd(0.03),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'fal-ai/bytedance/dreamina/v3.1/text-to-image', input: { count: 'num_images', seed: 'seed' } },
    { provider: 'apiframe', upstreamModel: 'seedream-3.1', plan: apiframeSeedream31 },
  ],
  normalization: { aspectRatio: 'imageSize', resolution: 'imageSize' },
  refusedParams: {
    style:
      'the style control Apiframe mentions ("Cinematic-quality with style control") is not available through Pictor: fal\'s Dreamina v3.1 schema has no style field and Apiframe documents none Pictor can fill; describe the style in the prompt',
  },
  sources: ['https://fal.ai/docs/model-api-reference/image-generation-api/bytedance-dreamina-v3.1'],
});

/** fal seedream v4 `image_size` presets, including the input-matching `auto` tiers. */
export const Seedream4ImageSizes = [...FalImageSizePresets, 'auto', 'auto_2K', 'auto_4K'] as const;

export const seedream4 = defineModel({
  id: 'seedream-4',
  aliases: ['seedream-4.0', 'seedream-4-0'],
  name: 'Seedream 4',
  description: 'Generation and editing with multi-reference, up to 4K.',
  vendor: 'ByteDance',
  // fal v4 edit: "Presently, up to 10 image inputs are allowed."
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 10, maxN: 6, seed: true }),
  params: z.object({
    prompt: promptParam(),
    imageSize: z.enum(Seedream4ImageSizes).default('square_hd').describe('Size preset; auto sizes follow the input image at about 1K, 2K or 4K.'),
    enhancePromptMode: z.enum(['standard', 'fast']).default('standard').describe('Prompt enhancement: standard (higher quality) or fast.'),
  }),
  // fal: US$0.03 per image.
  price: () => creditsForUsd(0.03),
  timeoutMs: 3 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/bytedance/seedream/v4/text-to-image',
      upstreamEditModel: 'fal-ai/bytedance/seedream/v4/edit',
      input: { count: 'num_images', seed: 'seed', constants: falSafetyChecker, edit: { references: { field: 'image_urls', max: 10 } } },
    },
    {
      provider: 'replicate',
      upstreamModel: 'bytedance/seedream-4',
      input: { references: { field: 'image_input', max: 10 }, params: { imageSize: replicateSeedream4ImageSize, enhancePromptMode: unsupported } },
    },
    { provider: 'apiframe', upstreamModel: 'seedream-4', plan: apiframeSeedream4 },
  ],
  normalization: { aspectRatio: 'imageSize', resolution: 'imageSize' },
  sources: ['https://fal.ai/docs/model-api-reference/image-generation-api/bytedance-seedream-v4'],
});

/** Wonda's seedream-4-5 table: default 16:9, resolution 2K or 4K (default 2K). */
export const Seedream45AspectRatios = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
export const Seedream45Resolutions = ['2K', '4K'] as const;

export const seedream45 = defineModel({
  id: 'seedream-4.5',
  aliases: ['seedream-4-5'],
  name: 'Seedream 4.5',
  description: 'High-quality generation with stronger spatial understanding, up to 4K.',
  vendor: 'ByteDance',
  // Wonda: "Up to 14 optional reference images."
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 14, maxN: 6, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(Seedream45AspectRatios).default('16:9').describe('Shape of the image.'),
    resolution: z.enum(Seedream45Resolutions).default('2K').describe('Output resolution tier.'),
  }),
  // fal: US$0.04 per image, at either tier.
  price: () => creditsForUsd(0.04),
  timeoutMs: 5 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/bytedance/seedream/v4.5/text-to-image',
      upstreamEditModel: 'fal-ai/bytedance/seedream/v4.5/edit',
      input: {
        count: 'num_images',
        seed: 'seed',
        constants: falSafetyChecker,
        params: { aspectRatio: sizeFromRatioAndTier({ min: 1024, max: 4096, multipleOf: 16 }, { field: 'image_size' }), resolution: handledElsewhere },
        edit: { references: { field: 'image_urls', max: 14 } },
      },
    },
    // ByteDance's Seedream models on Replicate take no seed.
    { provider: 'replicate', upstreamModel: 'bytedance/seedream-4.5', input: { references: { field: 'image_input', max: 14 }, params: { resolution: 'size' } } },
    { provider: 'apiframe', upstreamModel: 'seedream-4.5', plan: apiframeSeedream45 },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['Wonda image API', 'https://fal.ai/models/fal-ai/bytedance/seedream/v4.5/text-to-image'],
});

/** fal seedream v5 lite: presets plus auto_2K / auto_3K (default auto_2K). */
export const Seedream5LiteImageSizes = [...FalImageSizePresets, 'auto_2K', 'auto_3K'] as const;

export const seedream5Lite = defineModel({
  id: 'seedream-5-lite',
  aliases: ['seedream-5.0-lite'],
  name: 'Seedream 5 Lite',
  description: 'Latest Seedream with reasoning and example-based editing.',
  vendor: 'ByteDance',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 10, maxN: 6, seed: true }),
  params: z.object({
    prompt: promptParam(),
    imageSize: z.enum(Seedream5LiteImageSizes).default('auto_2K').describe('Size preset; total pixels are kept between 2560x1440 and 3072x3072 (scaled if needed).'),
  }),
  // fal: US$0.035 per image.
  price: () => creditsForUsd(0.035),
  timeoutMs: 5 * Minutes,
  routes: [
    // Seedream 5 Lite takes no seed.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/bytedance/seedream/v5/lite/text-to-image',
      upstreamEditModel: 'fal-ai/bytedance/seedream/v5/lite/edit',
      input: { count: 'num_images', constants: falSafetyChecker, edit: { references: { field: 'image_urls', max: 10 } } },
    },
    { provider: 'apiframe', upstreamModel: 'seedream-5-lite', plan: apiframeSeedream5Lite },
  ],
  normalization: { aspectRatio: 'imageSize', resolution: 'imageSize' },
  sources: ['https://fal.ai/models/fal-ai/bytedance/seedream/v5/lite/edit/llms.txt'],
});

export const bytedanceModels = [seedream5Lite, seedream45, seedream4, seedream31, seedream3] as const;

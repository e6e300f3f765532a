import { z } from 'zod';
import { Minutes, TripoCredits, TripoPromptMaxLength, creditsForUsd, generationCapabilities, promptParam, scaledTier, tripoPresetParams } from './common.js';
import { defineModel } from '../spec.js';
import { unsupported, type OutputFormatSpec } from '../routes/input-spec.js';
import { omitAuto } from '../routes/converters.js';
import { falImageUrls, falPngJpegWebp } from '../routes/fal.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * OpenAI's image models. gpt-image-1 (Tripo's `gpt_4o`) and gpt-image-2 are known only from
 * Tripo's seed, so they carry Tripo's 1024-character prompt limit and character rule; their
 * params follow OpenAI's Images API reference
 * (https://developers.openai.com/api/reference/resources/images/methods/generate). gpt-image-1.5
 * is Wonda's table exactly. DALL-E 3 and 2 are Apiframe's; OpenAI's reference marks them retired
 * (May 12, 2026) and gpt-image-1 shut down (October 23, 2026) on its own API, so other routes
 * may be the only ones left for them.
 */

/** Wonda's gpt-image-1.5 ratios name OpenAI's sizes: 16:9 is 1536x1024, which Apiframe calls 3:2. */
const ApiframeGptImageRatios: Readonly<Record<string, string>> = { '1:1': '1:1', '16:9': '3:2', '9:16': '2:3' };

const apiframeGptImage: ApiframeBuilder = (reader) => {
  const background = reader.string('background');
  return {
    paramsKey: 'gptImageParams',
    params: compact({
      aspect_ratio: ApiframeGptImageRatios[reader.string('aspectRatio') ?? ''] ?? reader.ratio('aspectRatio', ['1:1', '3:2', '2:3']),
      quality: reader.string('quality'),
      background,
      // A transparent background needs a format with alpha.
      output_format: reader.outputFormat({ png: 'png', jpeg: 'jpeg', webp: 'webp' }) ?? (background === 'transparent' ? 'png' : undefined),
    }),
    references: { field: 'input_images', list: true, max: 16 },
    seed: false,
    count: { field: 'number_of_images', max: 10 },
  };
};

/** OpenAI's DALL-E 3 sizes as Apiframe's ratios (1792x1024 is its 3:2). */
const ApiframeDallE3Ratios: Readonly<Record<string, string>> = { '1024x1024': '1:1', '1792x1024': '3:2', '1024x1792': '2:3' };

const apiframeDallE3: ApiframeBuilder = (reader) => {
  reader.unsupported('quality', "Apiframe's dall-e-3 renders standard quality");
  return { paramsKey: 'dalleParams', params: compact({ aspect_ratio: ApiframeDallE3Ratios[reader.string('size') ?? ''], style: reader.string('style') }), seed: false };
};

const apiframeDallE2: ApiframeBuilder = (reader) => {
  reader.unsupported('size', "Apiframe's dall-e-2 takes no size and renders 1024x1024");
  return { params: {}, seed: false };
};

/** GPT Image sizes are pixel sizes on fal. */
const falGptImage15Sizes = { '1:1': '1024x1024', '16:9': '1536x1024', '9:16': '1024x1536' } as const;

/**
 * fal's GPT Image generation endpoints have no `auto` quality and default to `high`; Pictor
 * prices `auto` as medium (OpenAI bills it so), so that is what it asks for.
 */
const falGptQuality = { field: 'quality', values: { auto: 'medium' } } as const;

/** OpenAI's models on Replicate spell it `jpeg`. */
const replicateOpenAiFormats: OutputFormatSpec = { field: 'output_format', values: { webp: 'webp', jpeg: 'jpeg', png: 'png' } };

export const GptImageQualities = ['auto', 'low', 'medium', 'high'] as const;
export const GptImageBackgrounds = ['auto', 'transparent', 'opaque'] as const;
export const GptImageModeration = ['auto', 'low'] as const;
export const GptImage1Sizes = ['auto', '1024x1024', '1536x1024', '1024x1536'] as const;
/**
 * gpt-image-2's preset sizes as OpenAI's GPT Image node lists them
 * (https://docs.comfy.org/built-in-nodes/OpenAIGPTImage1); the API also takes custom multiples
 * of 16, which Pictor does not expose yet.
 */
export const GptImage2Sizes = ['auto', '1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '1152x2048', '3840x2160', '2160x3840'] as const;
/** Wonda's gpt-image-1-5 table: default 9:16. */
export const GptImage15AspectRatios = ['1:1', '16:9', '9:16'] as const;
/** Wonda's order: auto, high, medium, low. */
export const GptImage15Qualities = ['auto', 'high', 'medium', 'low'] as const;

const quality = z.enum(GptImageQualities).default('auto').describe('Rendering quality; affects cost and time. auto lets the model choose.');
const background = z.enum(GptImageBackgrounds).default('auto').describe('Background treatment; transparent requires png or webp output.');
/** gpt-image-2 takes no transparent background (the Images API refuses it). */
const opaqueBackground = z.enum(['auto', 'opaque']).default('auto').describe('Background treatment (gpt-image-2 cannot make it transparent).');
const moderation = z.enum(GptImageModeration).default('auto').describe('Content-moderation level: auto or low (less restrictive).');

/**
 * OpenAI's list prices per image (https://platform.openai.com/docs/pricing), at 1024x1024 and
 * at 1536x1024 / 1024x1536. `auto` quality is billed as medium: the Tripo tier is the medium
 * price.
 */
const GptImage1Usd = { low: [0.011, 0.016], medium: [0.042, 0.063], high: [0.167, 0.25] } as const;
const GptImage15Usd = { low: [0.009, 0.013], medium: [0.034, 0.05], high: [0.133, 0.2] } as const;

function qualityKey(value: string): 'low' | 'medium' | 'high' {
  return value === 'low' || value === 'high' ? value : 'medium';
}

/** Pixels of a `WxH` size relative to 1024x1024 (`auto` counts as 1024x1024). */
function areaFactor(size: string): number {
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match ? (Number(match[1]) * Number(match[2])) / (1024 * 1024) : 1;
}

const gptImageCapabilities = (maxReferenceImages: number) => generationCapabilities({ editing: true, maxReferenceImages, maxN: 10, transparentBackground: true, streamingPreviews: true });

export const gptImage1 = defineModel({
  id: 'gpt-image-1',
  aliases: ['gpt_4o', 'gpt_image_1'],
  name: 'GPT Image 1',
  description: "OpenAI's GPT-4o image generation (Tripo's gpt_4o) with editing and transparent backgrounds.",
  vendor: 'OpenAI',
  // Tripo: "For gpt_4o, gpt_image_2 ... the max length of files is 10."
  capabilities: gptImageCapabilities(10),
  params: z.object({
    prompt: promptParam(TripoPromptMaxLength),
    size: z.enum(GptImage1Sizes).default('auto').describe('Pixel size of the image; auto lets the model choose.'),
    quality,
    background,
    moderation,
    inputFidelity: z.enum(['low', 'high']).default('low').describe('How closely edits preserve the reference images (faces, logos).'),
    ...tripoPresetParams,
  }),
  price: (params) => {
    const column = areaFactor(params.size) > 1 ? 1 : 0;
    return scaledTier(TripoCredits.standard, GptImage1Usd[qualityKey(params.quality)][column], GptImage1Usd.medium[0]);
  },
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'openai', upstreamModel: 'gpt-image-1' },
    // The edit endpoint takes `auto` for both size and quality.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/gpt-image-1/text-to-image',
      upstreamEditModel: 'fal-ai/gpt-image-1/edit-image',
      input: {
        count: 'num_images',
        maxCount: 4,
        outputFormat: falPngJpegWebp,
        params: {
          size: { field: 'image_size', convert: omitAuto },
          quality: falGptQuality,
          moderation: unsupported,
          inputFidelity: { field: 'input_fidelity', only: 'edit' },
        },
        edit: { references: falImageUrls, params: { size: 'image_size', quality: 'quality' } },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'openai/gpt-image-1',
      input: {
        unavailable: "openai/gpt-image-1 on Replicate is bring-your-own-key: it requires the caller's OpenAI API key (openai_api_key), which a Replicate token does not provide",
        count: 'number_of_images',
        maxCount: 10,
        outputFormat: replicateOpenAiFormats,
        compression: 'output_compression',
        references: { field: 'input_images' },
        params: {
          size: { field: 'aspect_ratio', values: { auto: undefined, '1024x1024': '1:1', '1536x1024': '3:2', '1024x1536': '2:3' } },
          inputFidelity: { field: 'input_fidelity', only: 'edit' },
        },
      },
    },
  ],
  normalization: { aspectRatio: 'size', resolution: 'size', background: 'background' },
  promptRules: { rejectSpecialCharacters: true },
  sources: ['Tripo generate_image', 'https://developers.openai.com/api/reference/resources/images/methods/generate'],
});

export const gptImage15 = defineModel({
  id: 'gpt-image-1.5',
  aliases: ['gpt-image-1-5', 'gpt_image_1.5', 'gpt_image_1_5'],
  name: 'GPT Image 1.5',
  description: "OpenAI's latest with tiered quality, editing, and multi-image output.",
  vendor: 'OpenAI',
  // Wonda: "Up to 16 optional reference images."
  capabilities: gptImageCapabilities(16),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(GptImage15AspectRatios).default('9:16').describe('Shape of the image: 1:1 (1024x1024), 16:9 (1536x1024) or 9:16 (1024x1536).'),
    quality: z.enum(GptImage15Qualities).default('auto').describe('Rendering quality; affects cost and time. auto lets the model choose.'),
    background,
    ...tripoPresetParams,
  }),
  price: (params) => {
    const column = params.aspectRatio === '1:1' ? 0 : 1;
    // The tier is the price at Wonda's default (9:16, i.e. 1024x1536, medium).
    return scaledTier(TripoCredits.premium, GptImage15Usd[qualityKey(params.quality)][column], GptImage15Usd.medium[1]);
  },
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'openai', upstreamModel: 'gpt-image-1.5' },
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/gpt-image-1.5',
      upstreamEditModel: 'fal-ai/gpt-image-1.5/edit',
      input: {
        count: 'num_images',
        maxCount: 4,
        outputFormat: falPngJpegWebp,
        params: { aspectRatio: { field: 'image_size', values: falGptImage15Sizes }, quality: falGptQuality },
        edit: { references: falImageUrls },
      },
    },
    // Replicate names OpenAI's 1536x1024 and 1024x1536 by their ratios.
    {
      provider: 'replicate',
      upstreamModel: 'openai/gpt-image-1.5',
      input: {
        count: 'number_of_images',
        maxCount: 10,
        outputFormat: replicateOpenAiFormats,
        compression: 'output_compression',
        references: { field: 'input_images' },
        params: { aspectRatio: { field: 'aspect_ratio', values: { '16:9': '3:2', '9:16': '2:3' } } },
      },
    },
    { provider: 'apiframe', upstreamModel: 'gpt-image-1.5', plan: apiframeGptImage },
  ],
  normalization: { aspectRatio: 'aspectRatio', background: 'background' },
  sources: ['Wonda image API'],
});

export const gptImage2 = defineModel({
  id: 'gpt-image-2',
  aliases: ['gpt_image_2'],
  name: 'GPT Image 2',
  description: "OpenAI's GPT Image 2: strong prompt adherence, readable text and detailed edits, up to 3840 pixels.",
  vendor: 'OpenAI',
  // The Images API refuses background=transparent for gpt-image-2 (the adapter warns and lets the model choose).
  capabilities: { ...gptImageCapabilities(10), transparentBackground: false },
  params: z.object({
    prompt: promptParam(TripoPromptMaxLength),
    size: z.enum(GptImage2Sizes).default('auto').describe('Pixel size of the image; auto lets the model choose.'),
    quality,
    background: opaqueBackground,
    moderation,
    ...tripoPresetParams,
  }),
  // No published per-image table was found for gpt-image-2: gpt-image-1.5's quality ratios are
  // applied to the Tripo tier, times the pixel area relative to 1024x1024.
  price: (params) => scaledTier(TripoCredits.premium, GptImage15Usd[qualityKey(params.quality)][0] * Math.max(1, areaFactor(params.size)), GptImage15Usd.medium[0]),
  timeoutMs: 5 * Minutes,
  routes: [{ provider: 'openai', upstreamModel: 'gpt-image-2' }],
  normalization: { aspectRatio: 'size', resolution: 'size', background: 'background' },
  promptRules: { rejectSpecialCharacters: true },
  sources: ['Tripo generate_image', 'https://docs.comfy.org/built-in-nodes/OpenAIGPTImage1'],
});

/** OpenAI Images API: DALL-E 3 sizes, quality standard/hd, style vivid/natural, n=1 only. */
export const DallE3Sizes = ['1024x1024', '1792x1024', '1024x1792'] as const;
export const DallE2Sizes = ['256x256', '512x512', '1024x1024'] as const;

export const dallE3 = defineModel({
  id: 'dall-e-3',
  aliases: ['dalle-3'],
  name: 'DALL-E 3',
  description: "OpenAI's DALL-E 3 with improved detail, text rendering, and prompt adherence.",
  vendor: 'OpenAI',
  capabilities: generationCapabilities({ maxN: 1 }),
  params: z.object({
    prompt: promptParam(),
    size: z.enum(DallE3Sizes).default('1024x1024').describe('Pixel size of the image.'),
    quality: z.enum(['standard', 'hd']).default('standard').describe('hd gives finer detail and more consistency, at a higher price.'),
    style: z.enum(['vivid', 'natural']).default('vivid').describe('vivid leans hyper-real and dramatic; natural looks less processed.'),
  }),
  // OpenAI list prices: standard US$0.04 (square) / 0.08 (wide), hd US$0.08 / 0.12.
  price: (params) => {
    const wide = params.size !== '1024x1024';
    return creditsForUsd(params.quality === 'hd' ? (wide ? 0.12 : 0.08) : wide ? 0.08 : 0.04);
  },
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'openai', upstreamModel: 'dall-e-3' },
    { provider: 'apiframe', upstreamModel: 'dall-e-3', plan: apiframeDallE3 },
  ],
  normalization: { aspectRatio: 'size', resolution: 'size' },
  sources: ['https://platform.openai.com/docs/api-reference/images/create'],
});

export const dallE2 = defineModel({
  id: 'dall-e-2',
  aliases: ['dalle-2'],
  name: 'DALL-E 2',
  description: "OpenAI's classic image generation from text descriptions.",
  vendor: 'OpenAI',
  // DALL-E 2's edits endpoint takes one square PNG.
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, maxN: 10 }),
  params: z.object({
    // OpenAI: "The maximum length is 1000 characters for dall-e-2".
    prompt: promptParam(1000),
    size: z.enum(DallE2Sizes).default('1024x1024').describe('Pixel size of the (square) image.'),
  }),
  // OpenAI list prices: 256x256 US$0.016, 512x512 US$0.018, 1024x1024 US$0.02.
  price: (params) => creditsForUsd({ '256x256': 0.016, '512x512': 0.018, '1024x1024': 0.02 }[params.size]),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'openai', upstreamModel: 'dall-e-2' },
    { provider: 'apiframe', upstreamModel: 'dall-e-2', plan: apiframeDallE2 },
  ],
  normalization: { resolution: 'size' },
  sources: ['https://platform.openai.com/docs/api-reference/images/create'],
});

export const openaiModels = [gptImage2, gptImage15, gptImage1, dallE3, dallE2] as const;

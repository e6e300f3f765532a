import { z } from 'zod';
import { FalImageSizePresets, Minutes, creditsForUsd, generationCapabilities, negativePromptParam, promptParam } from './common.js';
import { defineModel } from '../spec.js';
import { handledElsewhere, unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { dimensionsFromRatio, falImageSizeFromRatio, ratioOfShape, sizeFromRatioAndTier } from '../routes/converters.js';
import { falImageUrl, falJpegPng, falPngJpegWebp, falSafetyChecker } from '../routes/fal.js';
import { replicateWebpJpgPng } from '../routes/replicate.js';
import { compact, presetRatio, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Alibaba's Qwen Image and Wan image models (Apiframe's list) and Tongyi-MAI's Z-Image (Wonda's,
 * encoded exactly). Each cites the schema it follows.
 */

const apiframeQwenImage: ApiframeBuilder = (reader) => ({
  paramsKey: 'qwenImageParams',
  params: compact({
    image_size: reader.string('imageSize'),
    num_inference_steps: reader.value('numInferenceSteps'),
    guidance_scale: reader.value('guidanceScale'),
    acceleration: reader.string('acceleration'),
    negative_prompt: reader.string('negativePrompt'),
    // With an input image Qwen edits it (Qwen-Image-Edit), as fal's edit endpoint does.
    task_type: reader.request.references.length > 0 ? 'image-edit' : undefined,
    output_format: reader.outputFormat({ png: 'png', jpeg: 'jpeg' }),
  }),
  references: { field: 'image_url', list: false, max: 1 },
  seed: true,
  count: { field: 'num_images', max: 4 },
});

const apiframeQwenImage2: ApiframeBuilder = (reader) => {
  reader.unsupported('resolution', "Apiframe's Qwen Image 2 renders at its default resolution");
  reader.unsupported('enablePromptExpansion', "Apiframe's Qwen Image 2 always expands the prompt");
  return {
    paramsKey: 'qwenImage2Params',
    params: compact({
      aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9', '2:1', '1:2']),
      negative_prompt: reader.string('negativePrompt'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: true,
  };
};

const apiframeWan26: ApiframeBuilder = (reader) => ({
  paramsKey: 'wanImageParams',
  params: compact({ aspect_ratio: presetRatio(reader, 'imageSize', 'its default size'), negative_prompt: reader.string('negativePrompt') }),
  references: { field: 'image', list: false, max: 1 },
  seed: true,
});

const apiframeWan27: ApiframeBuilder = (reader) => {
  reader.unsupported('resolution', "Apiframe's Wan 2.7 renders at its default resolution");
  return {
    paramsKey: 'wanImage27Params',
    params: compact({
      aspect_ratio: reader.ratio('aspectRatio', ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9']),
      thinking_mode: reader.value('thinkingMode'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: true,
  };
};

/** Qwen Image 2: any size between 512x512 and 2048x2048 total pixels. */
const falQwenImage2: ModelInputSpec = {
  count: 'num_images',
  seed: 'seed',
  constants: falSafetyChecker,
  outputFormat: falPngJpegWebp,
  params: { aspectRatio: sizeFromRatioAndTier({ min: 512, max: 2048, multipleOf: 16 }, { field: 'image_size' }), resolution: handledElsewhere },
  edit: { references: { field: 'image_urls', max: 3 } },
};

/**
 * Wan 2.7: text-to-image counts with `max_images`, the edit endpoint (1-4 images) with
 * `num_images`. fal serves editing at `wan/v2.7[/pro]/edit`; the catalog's `image-to-image` ids
 * answer 404 ("Path /v2.7/image-to-image not found"), so the edit endpoint is named here.
 */
function falWan27(maxSide: number, editEndpoint: string): ModelInputSpec {
  return {
    count: 'max_images',
    seed: 'seed',
    constants: falSafetyChecker,
    params: {
      aspectRatio: sizeFromRatioAndTier({ min: 512, max: maxSide, multipleOf: 16 }, { field: 'image_size' }),
      resolution: handledElsewhere,
      thinkingMode: unsupported,
    },
    edit: { endpoint: editEndpoint, count: 'num_images', maxCount: 4, references: { field: 'image_urls', max: 4 } },
  };
}

/** Qwen Image 2 on Replicate: one optional image, no size tier (it picks ~1-2 MP itself). */
const replicateQwenImage2: ModelInputSpec = { seed: 'seed', references: { field: 'image', single: true }, params: { resolution: unsupported } };

export const qwenImage = defineModel({
  id: 'qwen-image',
  aliases: ['qwen-image-1'],
  name: 'Qwen Image',
  description: 'Qwen v1 with text-to-image, image-to-image, and image editing.',
  vendor: 'Alibaba',
  // Qwen-Image-Edit takes one image to edit.
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    imageSize: z.enum(FalImageSizePresets).default('landscape_4_3').describe('Size preset of the image.'),
    numInferenceSteps: z.int().min(2).max(250).default(30).describe('Inference steps.'),
    guidanceScale: z.number().min(0).max(20).default(2.5).describe('How closely the image follows the prompt.'),
    acceleration: z.enum(['none', 'regular', 'high']).default('none').describe("Speed-up level; 'high' suits images without text."),
    negativePrompt: negativePromptParam(),
  }),
  // fal: US$0.02 per megapixel; the presets are about one megapixel.
  price: () => creditsForUsd(0.02),
  timeoutMs: 3 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/qwen-image',
      upstreamEditModel: 'fal-ai/qwen-image-edit',
      input: {
        count: 'num_images',
        seed: 'seed',
        constants: falSafetyChecker,
        outputFormat: falJpegPng,
        edit: { references: falImageUrl },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'qwen/qwen-image',
      input: {
        seed: 'seed',
        outputFormat: replicateWebpJpgPng,
        references: { field: 'image', single: true },
        params: {
          imageSize: { field: 'aspect_ratio', convert: ratioOfShape },
          guidanceScale: 'guidance',
          acceleration: { field: 'go_fast', values: { none: false, regular: true, high: true } },
        },
      },
    },
    { provider: 'apiframe', upstreamModel: 'qwen-image', plan: apiframeQwenImage },
  ],
  normalization: { aspectRatio: 'imageSize', resolution: 'imageSize' },
  sources: ['https://docs.onerouter.pro/api-reference/generative-model-api/text-to-image/qwen-image', 'https://fal.ai/models/fal-ai/qwen-image'],
});

/**
 * Qwen Image 2.0: any size from 512x512 to 2048x2048 total pixels (2K by default on the Pro
 * tier), up to 3 input images, up to 6 candidates per call, prompt expansion on by default
 * (https://replicate.com/qwen/qwen-image-2-pro/api, https://docs.oxen.ai/inference-api/reference/models/qwen-image-2-pro).
 */
export const QwenImage2AspectRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const;

const qwenImage2Params = z.object({
  prompt: promptParam(),
  aspectRatio: z.enum(QwenImage2AspectRatios).default('1:1').describe('Shape of the image.'),
  resolution: z.enum(['1K', '2K']).default('1K').describe('Output resolution tier (total pixels up to 2048x2048).'),
  enablePromptExpansion: z.boolean().default(true).describe('Let the model expand and optimize the prompt.'),
  negativePrompt: negativePromptParam(),
});

export const qwenImage2 = defineModel({
  id: 'qwen-image-2',
  aliases: ['qwen-image-2.0'],
  name: 'Qwen Image 2',
  description: 'Qwen v2 unified generation and editing model.',
  vendor: 'Alibaba',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 3, maxN: 6, seed: true }),
  params: qwenImage2Params,
  // No per-image list price was found; fal's Qwen 2 tier is taken as US$0.035.
  price: () => creditsForUsd(0.035),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'fal-ai/qwen-image-2/text-to-image', upstreamEditModel: 'fal-ai/qwen-image-2/edit', input: falQwenImage2 },
    { provider: 'replicate', upstreamModel: 'qwen/qwen-image-2', input: replicateQwenImage2 },
    { provider: 'apiframe', upstreamModel: 'qwen-image-2', plan: apiframeQwenImage2 },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['https://replicate.com/qwen/qwen-image-2-pro/api'],
});

export const qwenImage2Pro = defineModel({
  id: 'qwen-image-2-pro',
  aliases: ['qwen-image-2.0-pro'],
  name: 'Qwen Image 2 Pro',
  description: 'Qwen v2 Pro with higher fidelity output.',
  vendor: 'Alibaba',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 3, maxN: 6, seed: true }),
  params: qwenImage2Params,
  // No per-image list price was found; taken as US$0.075 (Pro tier).
  price: () => creditsForUsd(0.075),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'fal-ai/qwen-image-2/pro/text-to-image', upstreamEditModel: 'fal-ai/qwen-image-2/pro/edit', input: falQwenImage2 },
    { provider: 'replicate', upstreamModel: 'qwen/qwen-image-2-pro', input: replicateQwenImage2 },
    { provider: 'apiframe', upstreamModel: 'qwen-image-2-pro', plan: apiframeQwenImage2 },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['https://replicate.com/qwen/qwen-image-2-pro/api', 'https://fal.ai/models/fal-ai/qwen-image-2/pro/text-to-image/api'],
});

/** Wan 2.6 on fal: text-to-image with an optional reference, 1-3 images for editing, up to 4 outputs. */
export const wanImage26 = defineModel({
  id: 'wan-image-2.6',
  aliases: ['wan-image-2-6', 'wan-2.6'],
  name: 'Wan Image 2.6',
  description: "Alibaba's Wan 2.6 image generation and editing model.",
  vendor: 'Alibaba',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 3, maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    imageSize: z.enum(FalImageSizePresets).default('square_hd').describe('Size preset of the image (total pixels 768x768 to 1280x1280).'),
    negativePrompt: negativePromptParam(),
  }),
  // fal: US$0.03 per image.
  price: () => creditsForUsd(0.03),
  timeoutMs: 5 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'wan/v2.6/text-to-image',
      upstreamEditModel: 'wan/v2.6/image-to-image',
      input: {
        count: 'max_images',
        seed: 'seed',
        constants: falSafetyChecker,
        edit: { count: 'num_images', references: { field: 'image_urls', max: 3 } },
      },
    },
    { provider: 'apiframe', upstreamModel: 'wan-image-2.6', plan: apiframeWan26 },
  ],
  normalization: { aspectRatio: 'imageSize', resolution: 'imageSize' },
  sources: ['https://fal.ai/models/wan/v2.6/text-to-image/api', 'https://fal.ai/models/wan/v2.6/image-to-image/api'],
});

/**
 * Wan 2.7 (wan2.7-image up to 2K, wan2.7-image-pro up to 4K; editing with 1-9 input images;
 * thinking mode for text-to-image): https://muapi.ai/playground/wan2.7-text-to-image/api and
 * https://skills.sh/cinience/alicloud-skills/aliyun-wan-image.
 */
export const Wan27AspectRatios = ['1:1', '4:3', '3:4', '16:9', '9:16', '21:9', '9:21', '3:2', '2:3'] as const;

const wan27Aspect = z.enum(Wan27AspectRatios).default('1:1').describe('Shape of the image.');
const thinkingMode = z.boolean().default(true).describe('Let the model reason about the prompt first (slower, better composition).');

export const wanImage27 = defineModel({
  id: 'wan-image-2.7',
  aliases: ['wan-image-2-7', 'wan-2.7'],
  name: 'Wan Image 2.7',
  description: "Alibaba's Wan 2.7 image generation and editing with thinking mode.",
  vendor: 'Alibaba',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 9, maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: wan27Aspect,
    resolution: z.enum(['1K', '2K']).default('1K').describe('Output resolution tier.'),
    thinkingMode,
  }),
  // Atlas Cloud lists Wan 2.7 text-to-image at US$0.03 per run.
  price: () => creditsForUsd(0.03),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'wan/v2.7/text-to-image', upstreamEditModel: 'wan/v2.7/edit', input: falWan27(2048, 'wan/v2.7/edit') },
    { provider: 'apiframe', upstreamModel: 'wan-image-2.7', plan: apiframeWan27 },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['https://muapi.ai/playground/wan2.7-text-to-image/api', 'https://www.atlascloud.ai/models/alibaba/wan-2.7/text-to-image'],
});

export const wanImage27Pro = defineModel({
  id: 'wan-image-2.7-pro',
  aliases: ['wan-image-2-7-pro', 'wan-2.7-pro'],
  name: 'Wan Image 2.7 Pro',
  description: 'Wan 2.7 Pro with higher fidelity output, up to 4K.',
  vendor: 'Alibaba',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 9, maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: wan27Aspect,
    resolution: z.enum(['1K', '2K', '4K']).default('2K').describe('Output resolution tier.'),
    thinkingMode,
  }),
  // MuAPI lists it at US$0.10 per generation and fal-class hosts higher; taken as US$0.10.
  price: () => creditsForUsd(0.1),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'wan/v2.7/pro/text-to-image', upstreamEditModel: 'wan/v2.7/pro/edit', input: falWan27(4096, 'wan/v2.7/pro/edit') },
    { provider: 'apiframe', upstreamModel: 'wan-image-2.7-pro', plan: apiframeWan27 },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['https://wavespeed.ai/docs/docs-api/alibaba/wan-2.7/text-to-image-pro', 'https://muapi.ai/th/playground/wan2.7-text-to-image-pro'],
});

/** Wonda's z-image table: default 9:16; no attachments. */
export const ZImageAspectRatios = ['1:1', '21:9', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '9:21'] as const;

export const zImage = defineModel({
  id: 'z-image',
  aliases: ['z-image-turbo'],
  name: 'Z-Image Turbo',
  description: 'Fast 6B-parameter text-to-image by Tongyi-MAI.',
  vendor: 'Alibaba (Tongyi-MAI)',
  capabilities: generationCapabilities({ maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(ZImageAspectRatios).default('9:16').describe('Shape of the image.'),
  }),
  // fal: US$0.005 per megapixel.
  price: () => creditsForUsd(0.005),
  timeoutMs: 2 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/z-image/turbo',
      input: {
        count: 'num_images',
        seed: 'seed',
        constants: falSafetyChecker,
        outputFormat: falPngJpegWebp,
        params: { aspectRatio: falImageSizeFromRatio() },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'prunaai/z-image-turbo',
      input: { seed: 'seed', outputFormat: replicateWebpJpgPng, params: { aspectRatio: dimensionsFromRatio({ min: 64, max: 2048, multipleOf: 16 }) } },
    },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['Wonda image API', 'https://fal.ai/docs/model-api-reference/image-generation-api/z-image-turbo'],
});

export const alibabaModels = [qwenImage2Pro, qwenImage2, qwenImage, wanImage27Pro, wanImage27, wanImage26, zImage] as const;

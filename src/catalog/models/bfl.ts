import { z } from 'zod';
import {
  Minutes,
  TripoCredits,
  TripoPromptMaxLength,
  creditsForUsd,
  generationCapabilities,
  promptParam,
  tripoPresetParams,
} from './common.js';
import { defineModel } from '../spec.js';
import { handledElsewhere, unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { clamped, customDimensions, falImageSizeFromDimensions, nearestRatioFromDimensions, toleranceString } from '../routes/converters.js';
import { falImageUrl, falImageUrls, falJpegPng, falPngJpegWebp, falSafetyChecker } from '../routes/fal.js';
import { replicateJpgPng, replicateWebpJpgPng } from '../routes/replicate.js';

/**
 * Black Forest Labs' FLUX models. FLUX 1.1 and FLUX.2 are Apiframe's; FLUX.1 Kontext [pro] (the
 * default model of Tripo's task) and FLUX.1 [dev] are Tripo's, with its 1024-character prompt
 * limit and character rule. Params follow the BFL API (https://docs.bfl.ai) as mirrored by
 * fal (https://fal.ai/models/fal-ai/flux-pro/v1.1-ultra/llms.txt) and Comfy's BFL router schemas
 * (https://docs.comfy.org/development/comfy-router/models/black-forest-labs/flux-2-max/code).
 * BFL returns one image per request.
 */

/** FLUX.2 [pro]/[max]: pixel size as an `image_size` object, tolerance as the string enum "1".."5". */
const falFlux2: ModelInputSpec = {
  seed: 'seed',
  constants: falSafetyChecker,
  outputFormat: falJpegPng,
  params: {
    width: falImageSizeFromDimensions(),
    height: handledElsewhere,
    safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 5) },
    promptUpsampling: unsupported,
  },
  edit: { references: falImageUrls },
};

/** FLUX.2 [pro]/[max]: custom pixel sizes up to 2048, tolerance 1-5, up to 8 reference images. */
const replicateFlux2: ModelInputSpec = {
  seed: 'seed',
  outputFormat: replicateWebpJpgPng,
  references: { field: 'input_images', max: 8 },
  params: {
    width: customDimensions({ min: 256, max: 2048, multipleOf: 16 }),
    height: handledElsewhere,
    safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 5) },
    promptUpsampling: unsupported,
  },
};

const safetyTolerance = (max: number) =>
  z.int().min(0).max(max).default(2).describe(`Moderation tolerance from 0 (strictest) to ${max} (most permissive).`);
const promptUpsampling = (fallback: boolean) =>
  z.boolean().default(fallback).describe('Let the model rewrite the prompt for more creative results (less reproducible).');

/** FLUX 1.x width/height: 256-1440 pixels in steps of 32. */
const flux1Dimension = (fallback: number) => z.int().min(256).max(1440).multipleOf(32).default(fallback);
/** FLUX.2 width/height: 256-2048 pixels in steps of 32 (BFL router schema). */
const flux2Dimension = (fallback: number) => z.int().min(256).max(2048).multipleOf(32).default(fallback);

const dimensionsNormalization = { dimensions: { width: 'width', height: 'height' } } as const;

/** Output megapixels (1024x1024 counts as one), rounded up to whole megapixels as BFL bills them. */
function megapixels(params: { width: number; height: number }): number {
  return Math.max(1, Math.ceil((params.width * params.height) / (1024 * 1024) - 1e-9));
}

export const flux11Pro = defineModel({
  id: 'flux-1.1-pro',
  aliases: ['flux-1-1-pro', 'flux-pro-1.1'],
  name: 'FLUX 1.1 [pro]',
  description: 'Fast, high-quality generation with excellent prompt adherence.',
  vendor: 'Black Forest Labs',
  // One optional image prompt (BFL image_prompt / Redux) guides the result.
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, seed: true }),
  params: z.object({
    prompt: promptParam(),
    width: flux1Dimension(1024).describe('Width in pixels (256-1440, multiple of 32).'),
    height: flux1Dimension(768).describe('Height in pixels (256-1440, multiple of 32).'),
    promptUpsampling: promptUpsampling(false),
    safetyTolerance: safetyTolerance(6),
  }),
  price: () => creditsForUsd(0.04),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-pro-1.1' },
    // fal's FLUX 1.1 [pro] takes no image prompt: a reference becomes a warning.
    { provider: 'fal', upstreamModel: 'fal-ai/flux-pro/v1.1', input: {
      count: 'num_images',
      seed: 'seed',
      outputFormat: falJpegPng,
      params: {
        width: falImageSizeFromDimensions(),
        height: handledElsewhere,
        promptUpsampling: 'enhance_prompt',
        safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
      },
    } },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-1.1-pro', input: {
      seed: 'seed',
      outputFormat: replicateWebpJpgPng,
      references: { field: 'image_prompt', single: true },
      params: {
        width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }),
        height: handledElsewhere,
        safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 5) },
      },
    } },
    { provider: 'apiframe', upstreamModel: 'flux-1.1-pro' },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://docs.bfl.ai/api-reference/models/generate-an-image-with-flux-11-[pro]'],
});

/** FLUX 1.1 [pro] Ultra: aspect ratios between 21:9 and 9:21, default 16:9 (fal, Vercel AI Gateway). */
export const FluxUltraAspectRatios = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] as const;

export const flux11ProUltra = defineModel({
  id: 'flux-1.1-pro-ultra',
  aliases: ['flux-1-1-pro-ultra', 'flux-pro-1.1-ultra'],
  name: 'FLUX 1.1 [pro] Ultra',
  description: 'High-resolution (up to 4MP) generation with raw mode.',
  vendor: 'Black Forest Labs',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(FluxUltraAspectRatios).default('16:9').describe('Shape of the image, between 21:9 and 9:21.'),
    raw: z.boolean().default(false).describe('Less processed, more natural-looking images.'),
    imagePromptStrength: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Blend between the prompt (0) and the reference image (1) when one is given.'),
    promptUpsampling: promptUpsampling(false),
    safetyTolerance: safetyTolerance(6),
  }),
  price: () => creditsForUsd(0.06),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-pro-1.1-ultra' },
    // One endpoint: the reference is an image prompt blended by `image_prompt_strength`.
    { provider: 'fal', upstreamModel: 'fal-ai/flux-pro/v1.1-ultra', input: {
      count: 'num_images',
      seed: 'seed',
      outputFormat: falJpegPng,
      references: falImageUrl,
      params: {
        promptUpsampling: 'enhance_prompt',
        safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
        imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
      },
    } },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-1.1-pro-ultra', input: {
      seed: 'seed',
      outputFormat: replicateJpgPng,
      references: { field: 'image_prompt', single: true },
      params: {
        imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
        promptUpsampling: unsupported,
        safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 6) },
      },
    } },
    { provider: 'apiframe', upstreamModel: 'flux-1.1-pro-ultra' },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://fal.ai/models/fal-ai/flux-pro/v1.1-ultra/llms.txt', 'https://vercel.com/ai-gateway/models/flux-pro-1.1-ultra'],
});

const flux2Params = {
  prompt: promptParam(),
  width: flux2Dimension(1024).describe('Width in pixels (256-2048, multiple of 32).'),
  height: flux2Dimension(1024).describe('Height in pixels (256-2048, multiple of 32).'),
  promptUpsampling: promptUpsampling(true),
  safetyTolerance: safetyTolerance(5),
};

export const flux2Pro = defineModel({
  id: 'flux-2-pro',
  aliases: ['flux.2-pro'],
  name: 'FLUX.2 [pro]',
  description: 'Image generation and editing with multi-reference support.',
  vendor: 'Black Forest Labs',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 8, seed: true }),
  params: z.object(flux2Params),
  // BFL: US$0.03 for the first output megapixel, US$0.015 for each further one.
  price: (params) => creditsForUsd(0.03 + 0.015 * (megapixels(params) - 1)),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-2-pro' },
    { provider: 'fal', upstreamModel: 'fal-ai/flux-2-pro', upstreamEditModel: 'fal-ai/flux-2-pro/edit', input: falFlux2 },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-2-pro', input: replicateFlux2 },
    { provider: 'apiframe', upstreamModel: 'flux-2-pro' },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://docs.comfy.org/zh/built-in-nodes/Flux2ProImageNode', 'https://bfl.ai/pricing'],
});

export const flux2Max = defineModel({
  id: 'flux-2-max',
  aliases: ['flux.2-max'],
  name: 'FLUX.2 [max]',
  description: 'Highest fidelity FLUX.2 model with the best editing consistency.',
  vendor: 'Black Forest Labs',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 8, seed: true }),
  params: z.object(flux2Params),
  // BFL: US$0.07 for the first output megapixel, US$0.03 for each further one.
  price: (params) => creditsForUsd(0.07 + 0.03 * (megapixels(params) - 1)),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-2-max' },
    { provider: 'fal', upstreamModel: 'fal-ai/flux-2-max', upstreamEditModel: 'fal-ai/flux-2-max/edit', input: falFlux2 },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-2-max', input: replicateFlux2 },
    { provider: 'apiframe', upstreamModel: 'flux-2-max' },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://docs.comfy.org/zh/development/comfy-router/models/black-forest-labs/flux-2-max/code', 'https://bfl.ai/pricing'],
});

export const flux2Flex = defineModel({
  id: 'flux-2-flex',
  aliases: ['flux.2-flex'],
  name: 'FLUX.2 [flex]',
  description: 'FLUX.2 with tunable steps and guidance, specialized for typography and fine detail.',
  vendor: 'Black Forest Labs',
  // Vercel AI Gateway: "Maximum input images: 8".
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 8, seed: true }),
  params: z.object({
    ...flux2Params,
    steps: z.int().min(1).max(50).default(50).describe('Inference steps: fewer is faster, more is more detailed.'),
    guidance: z.number().min(1.5).max(10).default(4.5).describe('How strictly the image follows the prompt.'),
  }),
  // BFL: US$0.06 per output megapixel.
  price: (params) => creditsForUsd(0.06 * megapixels(params)),
  timeoutMs: 5 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-2-flex' },
    { provider: 'fal', upstreamModel: 'fal-ai/flux-2-flex', upstreamEditModel: 'fal-ai/flux-2-flex/edit', input: { ...falFlux2, params: { ...falFlux2.params, steps: 'num_inference_steps', guidance: 'guidance_scale' } } },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-2-flex', input: {
      ...replicateFlux2,
      references: { field: 'input_images', max: 10 },
      params: { ...replicateFlux2.params, promptUpsampling: 'prompt_upsampling' },
    } },
    { provider: 'apiframe', upstreamModel: 'flux-2-flex' },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://vercel.com/ai-gateway/models/flux-2-flex', 'https://developers.cloudflare.com/ai/models/black-forest-labs/flux-2-flex/'],
});

export const flux2Dev = defineModel({
  id: 'flux-2-dev',
  aliases: ['flux.2-dev'],
  name: 'FLUX.2 [dev]',
  description: 'Open-weight generation and editing, optimized for speed.',
  vendor: 'Black Forest Labs',
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 4, maxN: 4, seed: true }),
  params: z.object({
    prompt: promptParam(),
    width: flux2Dimension(1024).describe('Width in pixels (256-2048, multiple of 32).'),
    height: flux2Dimension(768).describe('Height in pixels (256-2048, multiple of 32).'),
    steps: z.int().min(4).max(50).default(28).describe('Inference steps.'),
    guidance: z.number().min(0).max(20).default(2.5).describe('How strictly the image follows the prompt.'),
  }),
  // fal: US$0.012 per megapixel.
  price: (params) => creditsForUsd(0.012 * megapixels(params)),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'fal-ai/flux-2', upstreamEditModel: 'fal-ai/flux-2/edit', input: {
      count: 'num_images',
      seed: 'seed',
      constants: falSafetyChecker,
      outputFormat: falPngJpegWebp,
      params: { width: falImageSizeFromDimensions(), height: handledElsewhere, steps: 'num_inference_steps', guidance: 'guidance_scale' },
      edit: { references: { field: 'image_urls', max: 4 } },
    } },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-2-dev', input: {
      seed: 'seed',
      outputFormat: replicateWebpJpgPng,
      references: { field: 'input_images', max: 4 },
      params: { width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }), height: handledElsewhere, steps: unsupported, guidance: unsupported },
    } },
    { provider: 'apiframe', upstreamModel: 'flux-2-dev' },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://fal.ai/models/fal-ai/flux-2'],
});

/** Kontext accepts ratios from 21:9 to 9:21; the common ones are offered. */
export const FluxKontextAspectRatios = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] as const;

export const fluxKontextPro = defineModel({
  id: 'flux-kontext-pro',
  aliases: ['flux.1_kontext_pro', 'flux-1-kontext-pro', 'flux.1-kontext-pro'],
  name: 'FLUX.1 Kontext [pro]',
  description:
    "Context-aware generation and editing; Tripo's default model version. Does not accept WebP reference images (Tripo).",
  vendor: 'Black Forest Labs',
  // Tripo: "For flux.1_kontext_pro, the max length of files is 4."
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 4, seed: true }),
  params: z.object({
    prompt: promptParam(TripoPromptMaxLength),
    aspectRatio: z.enum(FluxKontextAspectRatios).default('1:1').describe('Shape of the image, between 21:9 and 9:21.'),
    promptUpsampling: promptUpsampling(false),
    safetyTolerance: safetyTolerance(6),
    ...tripoPresetParams,
  }),
  price: () => TripoCredits.standard,
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-kontext-pro' },
    { provider: 'fal', upstreamModel: 'fal-ai/flux-pro/kontext/text-to-image', upstreamEditModel: 'fal-ai/flux-pro/kontext', input: {
      count: 'num_images',
      seed: 'seed',
      outputFormat: falJpegPng,
      params: { promptUpsampling: 'enhance_prompt', safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) } },
      edit: { references: falImageUrl },
    } },
    // "2 is currently the maximum allowed when input images are used."
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-kontext-pro', input: {
      seed: 'seed',
      outputFormat: replicateJpgPng,
      references: { field: 'input_image', single: true },
      params: { safetyTolerance: { field: 'safety_tolerance', convert: (value, context) => clamped('safetyTolerance', 0, context.mode === 'edit' ? 2 : 6)(value, context) } },
    } },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  promptRules: { rejectSpecialCharacters: true },
  unsupportedReferenceFormats: ['webp'],
  sources: ['Tripo generate_image', 'https://docs.comfy.org/built-in-nodes/FluxKontextProImageNode'],
});

export const flux1Dev = defineModel({
  id: 'flux-1-dev',
  aliases: ['flux.1_dev', 'flux-dev', 'flux.1-dev'],
  name: 'FLUX.1 [dev]',
  description:
    'Open-weight text-to-image. Cannot take reference images: with them the job runs on FLUX.1 Kontext [pro] instead (Tripo).',
  vendor: 'Black Forest Labs',
  capabilities: generationCapabilities({ seed: true }),
  params: z.object({
    prompt: promptParam(TripoPromptMaxLength),
    width: flux1Dimension(1024).describe('Width in pixels (256-1440, multiple of 32).'),
    height: flux1Dimension(768).describe('Height in pixels (256-1440, multiple of 32).'),
    steps: z.int().min(1).max(50).default(28).describe('Inference steps.'),
    guidance: z.number().min(1.5).max(5).default(3).describe('How strictly the image follows the prompt.'),
    promptUpsampling: promptUpsampling(false),
    safetyTolerance: safetyTolerance(6),
    ...tripoPresetParams,
  }),
  price: () => TripoCredits.standard,
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-dev' },
    { provider: 'fal', upstreamModel: 'fal-ai/flux/dev', input: {
      count: 'num_images',
      seed: 'seed',
      constants: falSafetyChecker,
      outputFormat: falJpegPng,
      params: {
        width: falImageSizeFromDimensions(),
        height: handledElsewhere,
        steps: 'num_inference_steps',
        guidance: 'guidance_scale',
        promptUpsampling: unsupported,
        safetyTolerance: unsupported,
      },
    } },
    { provider: 'replicate', upstreamModel: 'black-forest-labs/flux-dev', input: {
      count: 'num_outputs',
      maxCount: 4,
      seed: 'seed',
      outputFormat: replicateWebpJpgPng,
      params: {
        width: nearestRatioFromDimensions(['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21']),
        height: handledElsewhere,
        steps: 'num_inference_steps',
        promptUpsampling: unsupported,
        safetyTolerance: unsupported,
      },
    } },
    { provider: 'runware', upstreamModel: 'runware:101@1' },
  ],
  normalization: dimensionsNormalization,
  promptRules: { rejectSpecialCharacters: true },
  upgradeWithReferences: 'flux-kontext-pro',
  sources: ['Tripo generate_image', 'https://docs.bfl.ai/api-reference/models/generate-an-image-with-flux1-[dev]'],
});

export const bflModels = [flux2Max, flux2Pro, flux2Flex, flux2Dev, flux11ProUltra, flux11Pro, fluxKontextPro, flux1Dev] as const;

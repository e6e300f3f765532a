import { z } from 'zod';
import { Minutes, TripoCredits, TripoPromptMaxLength, creditsForUsd, generationCapabilities, promptParam, tripoPresetParams } from './common.js';
import { defineModel } from '../spec.js';
import { handledElsewhere, unsupported } from '../routes/input-spec.js';
import { clamped, customDimensions, falImageSizeFromDimensions, nearestRatioFromDimensions, toleranceString } from '../routes/converters.js';
import { falImageUrl, falJpegPng, falSafetyChecker } from '../routes/fal.js';
import { replicateJpgPng, replicateWebpJpgPng } from '../routes/replicate.js';
import { compact, ApiframeJpgPngWebp, type ApiframeBuilder } from '../routes/apiframe.js';
import { apiframeFluxSize, dimensionsNormalization, promptUpsampling, safetyTolerance } from './bfl-common.js';
import { flux2Models } from './bfl-flux2.js';

/**
 * Black Forest Labs' FLUX models. FLUX 1.1 and FLUX.2 are Apiframe's; FLUX.1 Kontext [pro] (the
 * default model of Tripo's task) and FLUX.1 [dev] are Tripo's, with its 1024-character prompt
 * limit and character rule. Params follow the BFL API (https://docs.bfl.ai) as mirrored by
 * fal (https://fal.ai/models/fal-ai/flux-pro/v1.1-ultra/llms.txt) and Comfy's BFL router schemas
 * (https://docs.comfy.org/development/comfy-router/models/black-forest-labs/flux-2-max/code).
 * BFL returns one image per request.
 */

const apiframeFlux11: ApiframeBuilder = (reader) => {
  reader.unsupported('safetyTolerance', 'Apiframe applies its own moderation level');
  return {
    paramsKey: 'fluxParams',
    params: compact({ ...apiframeFluxSize(reader, false), prompt_upsampling: reader.value('promptUpsampling'), output_format: reader.outputFormat(ApiframeJpgPngWebp) }),
    references: { field: 'image_prompt', list: false, max: 1 },
    seed: true,
  };
};

const apiframeFluxUltra: ApiframeBuilder = (reader) => {
  reader.unsupported('safetyTolerance', 'Apiframe applies its own moderation level');
  const withImage = reader.request.references.length > 0;
  if (!withImage) reader.unsupported('imagePromptStrength', 'it needs a reference image');
  return {
    paramsKey: 'fluxParams',
    params: compact({
      aspect_ratio: reader.string('aspectRatio'),
      raw: reader.value('raw'),
      prompt_upsampling: reader.value('promptUpsampling'),
      image_prompt_strength: withImage ? reader.value('imagePromptStrength') : undefined,
      output_format: reader.outputFormat(ApiframeJpgPngWebp),
    }),
    references: { field: 'image_prompt', list: false, max: 1 },
    seed: true,
  };
};

/** FLUX 1.x width/height: 256-1440 pixels in steps of 32. */
const flux1Dimension = (fallback: number) => z.int().min(256).max(1440).multipleOf(32).default(fallback);

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
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux-pro/v1.1',
      input: {
        count: 'num_images',
        seed: 'seed',
        outputFormat: falJpegPng,
        params: {
          width: falImageSizeFromDimensions(),
          height: handledElsewhere,
          promptUpsampling: 'enhance_prompt',
          safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
        },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-1.1-pro',
      input: {
        seed: 'seed',
        outputFormat: replicateWebpJpgPng,
        references: { field: 'image_prompt', single: true },
        params: {
          width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }),
          height: handledElsewhere,
          safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 5) },
        },
      },
    },
    { provider: 'apiframe', upstreamModel: 'flux-1.1-pro', plan: apiframeFlux11 },
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
    imagePromptStrength: z.number().min(0).max(1).default(0.1).describe('Blend between the prompt (0) and the reference image (1) when one is given.'),
    promptUpsampling: promptUpsampling(false),
    safetyTolerance: safetyTolerance(6),
  }),
  price: () => creditsForUsd(0.06),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'bfl', upstreamModel: 'flux-pro-1.1-ultra' },
    // One endpoint: the reference is an image prompt blended by `image_prompt_strength`.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux-pro/v1.1-ultra',
      input: {
        count: 'num_images',
        seed: 'seed',
        outputFormat: falJpegPng,
        references: falImageUrl,
        params: {
          promptUpsampling: 'enhance_prompt',
          safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
          imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
        },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-1.1-pro-ultra',
      input: {
        seed: 'seed',
        outputFormat: replicateJpgPng,
        references: { field: 'image_prompt', single: true },
        params: {
          imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
          promptUpsampling: unsupported,
          safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 6) },
        },
      },
    },
    { provider: 'apiframe', upstreamModel: 'flux-1.1-pro-ultra', plan: apiframeFluxUltra },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://fal.ai/models/fal-ai/flux-pro/v1.1-ultra/llms.txt', 'https://vercel.com/ai-gateway/models/flux-pro-1.1-ultra'],
});

export const FluxKontextAspectRatios = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] as const;

export const fluxKontextPro = defineModel({
  id: 'flux-kontext-pro',
  aliases: ['flux.1_kontext_pro', 'flux-1-kontext-pro', 'flux.1-kontext-pro'],
  name: 'FLUX.1 Kontext [pro]',
  description: "Context-aware generation and editing; Tripo's default model version. Does not accept WebP reference images (Tripo).",
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
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux-pro/kontext/text-to-image',
      upstreamEditModel: 'fal-ai/flux-pro/kontext',
      input: {
        count: 'num_images',
        seed: 'seed',
        outputFormat: falJpegPng,
        params: { promptUpsampling: 'enhance_prompt', safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) } },
        edit: { references: falImageUrl },
      },
    },
    // "2 is currently the maximum allowed when input images are used."
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-kontext-pro',
      input: {
        seed: 'seed',
        outputFormat: replicateJpgPng,
        references: { field: 'input_image', single: true },
        params: { safetyTolerance: { field: 'safety_tolerance', convert: (value, context) => clamped('safetyTolerance', 0, context.mode === 'edit' ? 2 : 6)(value, context) } },
      },
    },
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
  description: 'Open-weight text-to-image. Cannot take reference images: with them the job runs on FLUX.1 Kontext [pro] instead (Tripo).',
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
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux/dev',
      input: {
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
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-dev',
      input: {
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
      },
    },
    { provider: 'runware', upstreamModel: 'runware:101@1' },
  ],
  normalization: dimensionsNormalization,
  promptRules: { rejectSpecialCharacters: true },
  upgradeWithReferences: 'flux-kontext-pro',
  sources: ['Tripo generate_image', 'https://docs.bfl.ai/api-reference/models/generate-an-image-with-flux1-[dev]'],
});

export const bflModels = [...flux2Models, flux11ProUltra, flux11Pro, fluxKontextPro, flux1Dev] as const;

import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, promptParam } from './common.js';
import { defineModel } from '../spec.js';
import { handledElsewhere, unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { clamped, customDimensions, falImageSizeFromDimensions, toleranceString } from '../routes/converters.js';
import { falImageUrls, falJpegPng, falPngJpegWebp, falSafetyChecker } from '../routes/fal.js';
import { replicateWebpJpgPng } from '../routes/replicate.js';
import { compact, ApiframeJpgPngWebp, type ApiframeBuilder } from '../routes/apiframe.js';
import { apiframeFluxSize, dimensionsNormalization, megapixels, promptUpsampling, safetyTolerance } from './bfl-common.js';

/** Black Forest Labs' FLUX.2 models (Apiframe's); see bfl.ts for the sources the family follows. */

function apiframeFlux2(maxReferences: number): ApiframeBuilder {
  return (reader) => {
    reader.unsupported('safetyTolerance', 'Apiframe applies its own moderation level');
    let guidance = reader.value('guidance');
    if (typeof guidance === 'number' && (guidance < 1.5 || guidance > 10)) {
      const clamped = Math.min(10, Math.max(1.5, guidance));
      reader.warn(`guidance ${guidance} was sent as ${clamped}: Apiframe takes 1.5-10`);
      guidance = clamped;
    }
    return {
      paramsKey: 'fluxParams',
      params: compact({
        ...apiframeFluxSize(reader, true),
        prompt_upsampling: reader.value('promptUpsampling'),
        steps: reader.value('steps'),
        guidance,
        output_format: reader.outputFormat(ApiframeJpgPngWebp),
      }),
      references: { field: 'input_images', list: true, max: maxReferences },
      seed: true,
    };
  };
}

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

/** FLUX.2 width/height: 256-2048 pixels in steps of 32 (BFL router schema). */
const flux2Dimension = (fallback: number) => z.int().min(256).max(2048).multipleOf(32).default(fallback);

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
    { provider: 'apiframe', upstreamModel: 'flux-2-pro', plan: apiframeFlux2(8) },
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
    { provider: 'apiframe', upstreamModel: 'flux-2-max', plan: apiframeFlux2(8) },
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
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux-2-flex',
      upstreamEditModel: 'fal-ai/flux-2-flex/edit',
      input: { ...falFlux2, params: { ...falFlux2.params, steps: 'num_inference_steps', guidance: 'guidance_scale' } },
    },
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-2-flex',
      input: {
        ...replicateFlux2,
        references: { field: 'input_images', max: 10 },
        params: { ...replicateFlux2.params, promptUpsampling: 'prompt_upsampling' },
      },
    },
    { provider: 'apiframe', upstreamModel: 'flux-2-flex', plan: apiframeFlux2(10) },
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
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/flux-2',
      upstreamEditModel: 'fal-ai/flux-2/edit',
      input: {
        count: 'num_images',
        seed: 'seed',
        constants: falSafetyChecker,
        outputFormat: falPngJpegWebp,
        params: { width: falImageSizeFromDimensions(), height: handledElsewhere, steps: 'num_inference_steps', guidance: 'guidance_scale' },
        edit: { references: { field: 'image_urls', max: 4 } },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'black-forest-labs/flux-2-dev',
      input: {
        seed: 'seed',
        outputFormat: replicateWebpJpgPng,
        references: { field: 'input_images', max: 4 },
        params: { width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }), height: handledElsewhere, steps: unsupported, guidance: unsupported },
      },
    },
    { provider: 'apiframe', upstreamModel: 'flux-2-dev', plan: apiframeFlux2(10) },
  ],
  normalization: dimensionsNormalization,
  sources: ['https://fal.ai/models/fal-ai/flux-2'],
});

/** Kontext accepts ratios from 21:9 to 9:21; the common ones are offered. */

/** FLUX.2 in display order. */
export const flux2Models = [flux2Max, flux2Pro, flux2Flex, flux2Dev] as const;

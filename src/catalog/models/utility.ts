import { z } from 'zod';
import { Minutes, creditsForUsd } from './common.js';
import { defineModel, type ModelCapabilities } from '../spec.js';
import { unsupported } from '../routes/input-spec.js';
import { falImageUrl } from '../routes/fal.js';

/**
 * Image utilities: background removal and vectorization. Wonda's two (encoded exactly) run on
 * an upstream when one is configured and fall back to Pictor's local engines (listed last);
 * `local-background-removal` and `local-vectorize` expose the local engines' own knobs.
 * They take no prompt and exactly one input image, and their output is a function of that
 * image, so `n` is never split into repeated calls.
 */

const utilityCapabilities = (outputFormats: ModelCapabilities['outputFormats'], transparentBackground: boolean): ModelCapabilities => ({
  textToImage: false,
  editing: true,
  maxReferenceImages: 1,
  requiresInputImage: true,
  maxN: 1,
  outputFormats,
  transparentBackground,
  seed: false,
  streamingPreviews: false,
});

/** Wonda's birefnet-bg-removal table. */
export const BgRemovalModels = ['portrait', 'general-fast', 'general-premium'] as const;
export const BgRemovalQualities = ['low', 'high'] as const;

/**
 * How Wonda's options map onto fal's BiRefNet v2 (https://fal.ai/models/fal-ai/birefnet/v2/llms.txt):
 * the model variant and the operating resolution. Exported for the fal adapter.
 */
export const BiRefNetFalOptions = {
  model: { portrait: 'Portrait', 'general-fast': 'General Use (Light)', 'general-premium': 'General Use (Heavy)' },
  operatingResolution: { low: '1024x1024', high: '2048x2048' },
} as const;

export const birefnetBgRemoval = defineModel({
  id: 'birefnet-bg-removal',
  aliases: ['birefnet', 'background-removal'],
  name: 'BiRefNet background removal',
  description: 'Removes the background of one input image, keeping its size; output has an alpha channel.',
  vendor: 'BiRefNet (ZhengPeng7)',
  capabilities: utilityCapabilities(['png', 'webp'], true),
  params: z.object({
    bgRemovalModel: z.enum(BgRemovalModels).default('general-fast').describe('portrait (people), general-fast (light, quick) or general-premium (heavier, more accurate).'),
    quality: z.enum(BgRemovalQualities).default('low').describe('low works at 1024x1024, high at 2048x2048 (finer edges on large images).'),
  }),
  // fal bills BiRefNet by compute time at a negligible rate: the minimum credit.
  price: () => 1,
  timeoutMs: 5 * Minutes,
  routes: [
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/birefnet/v2',
      input: {
        references: falImageUrl,
        outputFormat: { field: 'output_format', values: { png: 'png', webp: 'webp' } },
        params: {
          bgRemovalModel: { field: 'model', values: BiRefNetFalOptions.model },
          quality: { field: 'operating_resolution', values: BiRefNetFalOptions.operatingResolution },
        },
      },
    },
    // Runware's removeBackground task; the adapter picks the BiRefNet variant from bgRemovalModel/quality.
    { provider: 'runware', upstreamModel: 'runware:112@5' },
    { provider: 'local-background-removal', upstreamModel: 'isnet' },
  ],
  normalization: {},
  splitN: false,
  sources: ['Wonda image API', 'https://fal.ai/models/fal-ai/birefnet/v2/llms.txt'],
});

/** Wonda's runware-vectorize table: Runware's vectorize models. */
export const VectorizeModels = ['recraft:1@1', 'picsart:1@1'] as const;

export const runwareVectorize = defineModel({
  id: 'runware-vectorize',
  aliases: ['vectorize'],
  name: 'Vectorize',
  description: 'Converts one raster image (logo, icon, flat illustration) into an SVG.',
  vendor: 'Runware',
  capabilities: utilityCapabilities(['svg'], true),
  params: z.object({
    vectorizeModel: z.enum(VectorizeModels).default('recraft:1@1').describe('Runware vectorize model: recraft:1@1 (Recraft Vectorize) or picsart:1@1 (Picsart Image Vectorizer).'),
  }),
  // Recraft: US$0.01 per request.
  price: () => creditsForUsd(0.01),
  timeoutMs: 3 * Minutes,
  routes: [
    // Runware's model is the `vectorizeModel` param; the route names the default.
    { provider: 'runware', upstreamModel: 'recraft:1@1' },
    // Recraft's vectorizer is the only one fal hosts; Runware's Picsart choice cannot be honoured here.
    { provider: 'fal', upstreamModel: 'fal-ai/recraft/vectorize', input: { references: falImageUrl, params: { vectorizeModel: unsupported } } },
    { provider: 'local-vectorize', upstreamModel: 'vtracer' },
  ],
  splitN: false,
  sources: ['Wonda image API', 'https://runware.ai/docs/models/recraft-vectorize', 'https://runware.ai/docs/models/picsart-image-vectorizer'],
});

/**
 * The local ISNet engine of `@imgly/background-removal-node` (1.4.x config: `model` small /
 * medium / large, output png / jpeg / webp: https://app.unpkg.com/@imgly/background-removal-node@1.4.5/files/dist/inference.d.ts).
 */
export const localBackgroundRemoval = defineModel({
  id: 'local-background-removal',
  aliases: ['isnet-bg-removal'],
  name: 'Background removal (local ISNet)',
  description: 'Removes the background on the Pictor server itself with ISNet (AGPL-3.0 engine); no upstream account needed.',
  vendor: 'Pictor',
  capabilities: utilityCapabilities(['png', 'webp'], true),
  params: z.object({
    // The package ships ISNet small (quantized) and medium (fp16) weights only.
    engineModel: z.enum(['small', 'medium']).default('medium').describe('ISNet size: medium (default) gives cleaner masks; small is lighter but leaves specks on smooth backgrounds.'),
    outputFormat: z.enum(['png', 'webp']).default('png').describe('Encoding of the cut-out (both keep the alpha channel).'),
  }),
  price: () => 1,
  timeoutMs: 5 * Minutes,
  routes: [{ provider: 'local-background-removal', upstreamModel: 'isnet' }],
  normalization: { outputFormat: 'outputFormat' },
  splitN: false,
  sources: ['https://www.npmjs.com/package/@imgly/background-removal-node'],
});

/**
 * The local vtracer engine (`@neplex/vectorizer`); knobs and defaults as vtracer documents them
 * (https://github.com/visioncortex/vtracer#usage).
 */
export const localVectorize = defineModel({
  id: 'local-vectorize',
  aliases: ['vtracer'],
  name: 'Vectorize (local vtracer)',
  description: 'Traces one raster image into an SVG on the Pictor server itself; no upstream account needed.',
  vendor: 'Pictor',
  capabilities: utilityCapabilities(['svg'], true),
  params: z.object({
    colorMode: z.enum(['color', 'binary']).default('color').describe('Trace colours, or black and white only.'),
    hierarchical: z.enum(['stacked', 'cutout']).default('stacked').describe('Stack shapes on top of each other, or cut them out of each other.'),
    mode: z.enum(['spline', 'polygon', 'none']).default('spline').describe('Curve fitting: smooth splines, straight polygons, or pixel edges.'),
    filterSpeckle: z.int().min(0).max(128).default(4).describe('Discard patches smaller than this many pixels.'),
    colorPrecision: z.int().min(1).max(8).default(6).describe('Significant bits per colour channel (fewer means fewer colours).'),
    layerDifference: z.int().min(0).max(255).default(16).describe('Colour difference between gradient layers.'),
    cornerThreshold: z.int().min(0).max(180).default(60).describe('Minimum angle in degrees to count as a corner.'),
    lengthThreshold: z.number().min(3.5).max(10).default(4).describe('Segment length for curve subdivision.'),
    spliceThreshold: z.int().min(0).max(180).default(45).describe('Minimum angle displacement in degrees to splice a spline.'),
    pathPrecision: z.int().min(0).max(10).default(8).describe('Decimal places in SVG path coordinates.'),
  }),
  price: () => 1,
  timeoutMs: 5 * Minutes,
  routes: [{ provider: 'local-vectorize', upstreamModel: 'vtracer' }],
  splitN: false,
  sources: ['https://github.com/visioncortex/vtracer'],
});

export const utilityModels = [birefnetBgRemoval, runwareVectorize, localBackgroundRemoval, localVectorize] as const;

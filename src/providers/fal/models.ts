import { BiRefNetFalOptions } from '../../catalog/models/utility.js';
import { IdeogramRenderingSpeeds } from '../../catalog/models/ideogram.js';
import { falImageSizeFromDimensions, falImageSizeFromRatio, omitAuto, sizeFromRatioAndTier, toleranceString } from '../shared/input-converters.js';
import { handledElsewhere, unsupported, type ModelInputSpec, type OutputFormatSpec, type ReferenceSpec } from '../shared/input-mapping.js';

/**
 * How each catalog model routed to fal takes its input, keyed by catalog model id (the three
 * Ideogram V3 models share one endpoint). Field names, value spellings and defaults are those of
 * the endpoint schemas fal publishes (https://fal.ai/models/<endpoint>/api, mirrored by the typed
 * endpoint map in @fal-ai/client 1.10.1 `src/types/endpoints.d.ts`); params a model does not list
 * go to their snake_case name unchanged. Where an endpoint has `enable_safety_checker`, Pictor turns
 * it on so fal reports `has_nsfw_concepts` and refusals surface as content-policy errors.
 */

const imageUrls: ReferenceSpec = { field: 'image_urls' };
const imageUrl: ReferenceSpec = { field: 'image_url', single: true };
const pngJpegWebp: OutputFormatSpec = { field: 'output_format', values: { png: 'png', jpeg: 'jpeg', webp: 'webp' } };
const jpegPng: OutputFormatSpec = { field: 'output_format', values: { png: 'png', jpeg: 'jpeg' } };
const safetyChecker = { enable_safety_checker: true } as const;

/** Gemini image models: `aspect_ratio` and `resolution` as Pictor spells them; edit endpoint takes `image_urls`. */
const gemini: ModelInputSpec = {
  count: 'num_images',
  seed: 'seed',
  outputFormat: pngJpegWebp,
  params: { styleId: unsupported },
  edit: { references: imageUrls },
};

/** GPT Image sizes are pixel sizes on fal. */
const gptImage15Sizes = { '1:1': '1024x1024', '16:9': '1536x1024', '9:16': '1024x1536' } as const;
/**
 * fal's GPT Image generation endpoints have no `auto` quality and default to `high`; Pictor
 * prices `auto` as medium (OpenAI bills it so), so that is what it asks for.
 */
const gptQuality = { field: 'quality', values: { auto: 'medium' } } as const;

/** FLUX.2 [pro]/[max]: pixel size as an `image_size` object, tolerance as the string enum "1".."5". */
const flux2: ModelInputSpec = {
  seed: 'seed',
  constants: safetyChecker,
  outputFormat: jpegPng,
  params: {
    width: falImageSizeFromDimensions(),
    height: handledElsewhere,
    safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 5) },
    promptUpsampling: unsupported,
  },
  edit: { references: imageUrls },
};

/** Ideogram V3 family on fal: shape as `image_size` (preset or object), styles spelled as Pictor spells them. */
function ideogramV3(modelId: string): ModelInputSpec {
  return {
    count: 'num_images',
    seed: 'seed',
    constants: { rendering_speed: IdeogramRenderingSpeeds[modelId] },
    references: { field: 'image_urls', max: 3 },
    params: { aspectRatio: falImageSizeFromRatio() },
  };
}

const ideogramV2: ModelInputSpec = { seed: 'seed' };
/** V2a has no negative prompt. */
const ideogramV2a: ModelInputSpec = { seed: 'seed', params: { negativePrompt: unsupported } };

/** Imagen 4 on fal: Pictor's `personGeneration` has no fal equivalent. */
const imagen4: ModelInputSpec = { count: 'num_images', seed: 'seed', outputFormat: pngJpegWebp, params: { personGeneration: unsupported } };

/** Qwen Image 2: any size between 512x512 and 2048x2048 total pixels. */
const qwenImage2: ModelInputSpec = {
  count: 'num_images',
  seed: 'seed',
  constants: safetyChecker,
  outputFormat: pngJpegWebp,
  params: { aspectRatio: sizeFromRatioAndTier({ min: 512, max: 2048, multipleOf: 16 }, { field: 'image_size' }), resolution: handledElsewhere },
  edit: { references: { field: 'image_urls', max: 3 } },
};

/**
 * Wan 2.7: text-to-image counts with `max_images`, the edit endpoint (1-4 images) with
 * `num_images`. fal serves editing at `wan/v2.7[/pro]/edit`; the catalog's `image-to-image` ids
 * answer 404 ("Path /v2.7/image-to-image not found"), so the edit endpoint is named here.
 */
function wan27(maxSide: number, editEndpoint: string): ModelInputSpec {
  return {
    count: 'max_images',
    seed: 'seed',
    constants: safetyChecker,
    params: {
      aspectRatio: sizeFromRatioAndTier({ min: 512, max: maxSide, multipleOf: 16 }, { field: 'image_size' }),
      resolution: handledElsewhere,
      thinkingMode: unsupported,
    },
    edit: { endpoint: editEndpoint, count: 'num_images', maxCount: 4, references: { field: 'image_urls', max: 4 } },
  };
}

export const falModels: Readonly<Record<string, ModelInputSpec>> = {
  'nano-banana-2': gemini,
  'nano-banana-pro': gemini,
  'nano-banana': gemini,
  'gpt-image-1.5': {
    count: 'num_images',
    maxCount: 4,
    outputFormat: pngJpegWebp,
    params: { aspectRatio: { field: 'image_size', values: gptImage15Sizes }, quality: gptQuality },
    edit: { references: imageUrls },
  },
  'gpt-image-1': {
    count: 'num_images',
    maxCount: 4,
    outputFormat: pngJpegWebp,
    params: {
      size: { field: 'image_size', convert: omitAuto },
      quality: gptQuality,
      moderation: unsupported,
      inputFidelity: { field: 'input_fidelity', only: 'edit' },
    },
    // The edit endpoint takes `auto` for both size and quality.
    edit: { references: imageUrls, params: { size: 'image_size', quality: 'quality' } },
  },
  'flux-2-max': flux2,
  'flux-2-pro': flux2,
  'flux-2-flex': { ...flux2, params: { ...flux2.params, steps: 'num_inference_steps', guidance: 'guidance_scale' } },
  'flux-2-dev': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    outputFormat: pngJpegWebp,
    params: { width: falImageSizeFromDimensions(), height: handledElsewhere, steps: 'num_inference_steps', guidance: 'guidance_scale' },
    edit: { references: { field: 'image_urls', max: 4 } },
  },
  'flux-1.1-pro-ultra': {
    count: 'num_images',
    seed: 'seed',
    outputFormat: jpegPng,
    // One endpoint: the reference is an image prompt blended by `image_prompt_strength`.
    references: imageUrl,
    params: {
      promptUpsampling: 'enhance_prompt',
      safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
      imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
    },
  },
  // fal's FLUX 1.1 [pro] takes no image prompt: a reference becomes a warning.
  'flux-1.1-pro': {
    count: 'num_images',
    seed: 'seed',
    outputFormat: jpegPng,
    params: {
      width: falImageSizeFromDimensions(),
      height: handledElsewhere,
      promptUpsampling: 'enhance_prompt',
      safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) },
    },
  },
  'flux-kontext-pro': {
    count: 'num_images',
    seed: 'seed',
    outputFormat: jpegPng,
    params: { promptUpsampling: 'enhance_prompt', safetyTolerance: { field: 'safety_tolerance', convert: toleranceString(1, 6) } },
    edit: { references: imageUrl },
  },
  'flux-1-dev': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    outputFormat: jpegPng,
    params: {
      width: falImageSizeFromDimensions(),
      height: handledElsewhere,
      steps: 'num_inference_steps',
      guidance: 'guidance_scale',
      promptUpsampling: unsupported,
      safetyTolerance: unsupported,
    },
  },
  // Seedream 5 Lite takes no seed.
  'seedream-5-lite': { count: 'num_images', constants: safetyChecker, edit: { references: { field: 'image_urls', max: 10 } } },
  'seedream-4.5': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    params: { aspectRatio: sizeFromRatioAndTier({ min: 1024, max: 4096, multipleOf: 16 }, { field: 'image_size' }), resolution: handledElsewhere },
    edit: { references: { field: 'image_urls', max: 14 } },
  },
  'seedream-4': { count: 'num_images', seed: 'seed', constants: safetyChecker, edit: { references: { field: 'image_urls', max: 10 } } },
  'seedream-3.1': { count: 'num_images', seed: 'seed' },
  // fal's v3 endpoint takes a size, not a ratio: the ratio at 2K within its 512-2048 bounds.
  'seedream-3': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    params: { aspectRatio: sizeFromRatioAndTier({ min: 512, max: 2048, multipleOf: 16 }, { field: 'image_size', fixedTier: '2K' }) },
  },
  'ideogram-v3-quality': ideogramV3('ideogram-v3-quality'),
  'ideogram-v3-balanced': ideogramV3('ideogram-v3-balanced'),
  'ideogram-v3-turbo': ideogramV3('ideogram-v3-turbo'),
  'ideogram-character': {
    count: 'num_images',
    seed: 'seed',
    // The character reference is required and fal takes one.
    references: { field: 'reference_image_urls', max: 1 },
    params: { aspectRatio: falImageSizeFromRatio() },
  },
  'ideogram-v2': ideogramV2,
  'ideogram-v2-turbo': ideogramV2,
  'ideogram-v2a': ideogramV2a,
  'ideogram-v2a-turbo': ideogramV2a,
  'imagen-4': imagen4,
  'imagen-4-ultra': imagen4,
  'imagen-4-fast': imagen4,
  'kling-image': {
    count: 'num_images',
    outputFormat: pngJpegWebp,
    // Kling O1 (the edit endpoint) has no negative prompt.
    edit: { references: { field: 'image_urls', max: 10 }, params: { negativePrompt: unsupported } },
  },
  'qwen-image-2-pro': qwenImage2,
  'qwen-image-2': qwenImage2,
  'qwen-image': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    outputFormat: jpegPng,
    edit: { references: imageUrl },
  },
  'wan-image-2.7-pro': wan27(4096, 'wan/v2.7/pro/edit'),
  'wan-image-2.7': wan27(2048, 'wan/v2.7/edit'),
  'wan-image-2.6': {
    count: 'max_images',
    seed: 'seed',
    constants: safetyChecker,
    edit: { count: 'num_images', references: { field: 'image_urls', max: 3 } },
  },
  'z-image': {
    count: 'num_images',
    seed: 'seed',
    constants: safetyChecker,
    outputFormat: pngJpegWebp,
    params: { aspectRatio: falImageSizeFromRatio() },
  },
  'reve-create': { count: 'num_images', outputFormat: pngJpegWebp },
  'birefnet-bg-removal': {
    references: imageUrl,
    outputFormat: { field: 'output_format', values: { png: 'png', webp: 'webp' } },
    params: {
      bgRemovalModel: { field: 'model', values: BiRefNetFalOptions.model },
      quality: { field: 'operating_resolution', values: BiRefNetFalOptions.operatingResolution },
    },
  },
  // Recraft's vectorizer is the only one fal hosts; Runware's Picsart choice cannot be honoured here.
  'runware-vectorize': { references: imageUrl, params: { vectorizeModel: unsupported } },
};

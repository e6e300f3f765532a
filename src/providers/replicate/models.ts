import { clamped, customDimensions, dimensionsFromRatio, expand, nearestRatioFromDimensions, ratioOfShape } from '../shared/input-converters.js';
import { handledElsewhere, unsupported, type ModelInputSpec, type OutputFormatSpec } from '../shared/input-mapping.js';

/**
 * How each catalog model routed to Replicate takes its `input`, keyed by catalog model id. Field
 * names and value spellings follow each official model's input schema on Replicate
 * (https://replicate.com/<owner>/<name>/api, the "Input schema" table); params a model does not
 * list go to their snake_case name unchanged. Replicate's official models return one image per
 * prediction unless a count field is listed, so `n` above one runs as parallel predictions.
 */

const webpJpgPng: OutputFormatSpec = { field: 'output_format', values: { webp: 'webp', jpeg: 'jpg', png: 'png' } };
const jpgPng: OutputFormatSpec = { field: 'output_format', values: { jpeg: 'jpg', png: 'png' } };
/** OpenAI's models on Replicate spell it `jpeg`. */
const openAiFormats: OutputFormatSpec = { field: 'output_format', values: { webp: 'webp', jpeg: 'jpeg', png: 'png' } };

/** Ideogram's MagicPrompt is a three-way option on Replicate; Pictor's switch forces it on or off. */
const magicPrompt = { field: 'magic_prompt_option', values: { true: 'On', false: 'Off' } } as const;

/** FLUX.2 [pro]/[max]: custom pixel sizes up to 2048, tolerance 1-5, up to 8 reference images. */
const flux2: ModelInputSpec = {
  seed: 'seed',
  outputFormat: webpJpgPng,
  references: { field: 'input_images', max: 8 },
  params: {
    width: customDimensions({ min: 256, max: 2048, multipleOf: 16 }),
    height: handledElsewhere,
    safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 5) },
    promptUpsampling: unsupported,
  },
};

function ideogramV3(): ModelInputSpec {
  return {
    seed: 'seed',
    references: { field: 'style_reference_images', max: 3 },
    params: {
      style: { field: 'style_type', values: { AUTO: 'Auto', GENERAL: 'General', REALISTIC: 'Realistic', DESIGN: 'Design' } },
      expandPrompt: magicPrompt,
      negativePrompt: unsupported,
    },
  };
}

const ideogramV2Styles = { auto: 'Auto', general: 'General', realistic: 'Realistic', design: 'Design', render_3D: 'Render 3D', anime: 'Anime' } as const;
const ideogramV2: ModelInputSpec = { seed: 'seed', params: { style: { field: 'style_type', values: ideogramV2Styles }, expandPrompt: magicPrompt } };
/** V2a has no negative prompt. */
const ideogramV2a: ModelInputSpec = { seed: 'seed', params: { ...ideogramV2.params, negativePrompt: unsupported } };

/** Imagen on Replicate has neither a size tier nor a person-generation setting. */
const imagen4: ModelInputSpec = { outputFormat: jpgPng, params: { resolution: unsupported, personGeneration: unsupported } };
const imagen3: ModelInputSpec = { params: { personGeneration: unsupported } };

/** Qwen Image 2 on Replicate: one optional image, no size tier (it picks ~1-2 MP itself). */
const qwenImage2: ModelInputSpec = { seed: 'seed', references: { field: 'image', single: true }, params: { resolution: unsupported } };

/** Seedream 4 has tiers (`size`) and ratios where Pictor, like fal, has size presets. */
const seedream4ImageSize = expand((value, context) => {
  const tier = ({ auto: '1K', auto_2K: '2K', auto_4K: '4K' } as Record<string, string>)[String(value)];
  if (tier) return { size: tier, aspect_ratio: 'match_input_image' };
  if (value === 'square') context.warn(`seedream-4 on ${context.provider} makes nothing below 1K; square (512x512) ran as 1024x1024`);
  return { size: '1K', aspect_ratio: ratioOfShape(value, context) };
});

export const replicateModels: Readonly<Record<string, ModelInputSpec>> = {
  'nano-banana-pro': {
    outputFormat: jpgPng,
    references: { field: 'image_input', max: 14 },
    params: { aspectRatio: { field: 'aspect_ratio', values: { auto: 'match_input_image' } }, styleId: unsupported },
  },
  'nano-banana': { outputFormat: jpgPng, references: { field: 'image_input' } },
  'gpt-image-1.5': {
    count: 'number_of_images',
    maxCount: 10,
    outputFormat: openAiFormats,
    compression: 'output_compression',
    references: { field: 'input_images' },
    // Replicate names OpenAI's 1536x1024 and 1024x1536 by their ratios.
    params: { aspectRatio: { field: 'aspect_ratio', values: { '16:9': '3:2', '9:16': '2:3' } } },
  },
  'gpt-image-1': {
    unavailable: "openai/gpt-image-1 on Replicate is bring-your-own-key: it requires the caller's OpenAI API key (openai_api_key), which a Replicate token does not provide",
    count: 'number_of_images',
    maxCount: 10,
    outputFormat: openAiFormats,
    compression: 'output_compression',
    references: { field: 'input_images' },
    params: {
      size: { field: 'aspect_ratio', values: { auto: undefined, '1024x1024': '1:1', '1536x1024': '3:2', '1024x1536': '2:3' } },
      inputFidelity: { field: 'input_fidelity', only: 'edit' },
    },
  },
  'flux-2-max': flux2,
  'flux-2-pro': flux2,
  'flux-2-flex': {
    ...flux2,
    references: { field: 'input_images', max: 10 },
    params: { ...flux2.params, promptUpsampling: 'prompt_upsampling' },
  },
  'flux-2-dev': {
    seed: 'seed',
    outputFormat: webpJpgPng,
    references: { field: 'input_images', max: 4 },
    params: { width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }), height: handledElsewhere, steps: unsupported, guidance: unsupported },
  },
  'flux-1.1-pro-ultra': {
    seed: 'seed',
    outputFormat: jpgPng,
    references: { field: 'image_prompt', single: true },
    params: {
      imagePromptStrength: { field: 'image_prompt_strength', only: 'edit' },
      promptUpsampling: unsupported,
      safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 6) },
    },
  },
  'flux-1.1-pro': {
    seed: 'seed',
    outputFormat: webpJpgPng,
    references: { field: 'image_prompt', single: true },
    params: {
      width: customDimensions({ min: 256, max: 1440, multipleOf: 32 }),
      height: handledElsewhere,
      safetyTolerance: { field: 'safety_tolerance', convert: clamped('safetyTolerance', 1, 5) },
    },
  },
  'flux-kontext-pro': {
    seed: 'seed',
    outputFormat: jpgPng,
    references: { field: 'input_image', single: true },
    // "2 is currently the maximum allowed when input images are used."
    params: { safetyTolerance: { field: 'safety_tolerance', convert: (value, context) => clamped('safetyTolerance', 0, context.mode === 'edit' ? 2 : 6)(value, context) } },
  },
  'flux-1-dev': {
    count: 'num_outputs',
    maxCount: 4,
    seed: 'seed',
    outputFormat: webpJpgPng,
    params: {
      width: nearestRatioFromDimensions(['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21']),
      height: handledElsewhere,
      steps: 'num_inference_steps',
      promptUpsampling: unsupported,
      safetyTolerance: unsupported,
    },
  },
  // ByteDance's Seedream models on Replicate take no seed.
  'seedream-4.5': { references: { field: 'image_input', max: 14 }, params: { resolution: 'size' } },
  'seedream-4': { references: { field: 'image_input', max: 10 }, params: { imageSize: seedream4ImageSize, enhancePromptMode: unsupported } },
  'seedream-3': { seed: 'seed' },
  'ideogram-v3-quality': ideogramV3(),
  'ideogram-v3-balanced': ideogramV3(),
  'ideogram-v3-turbo': ideogramV3(),
  'ideogram-character': {
    seed: 'seed',
    references: { field: 'character_reference_image', single: true },
    params: {
      renderingSpeed: { field: 'rendering_speed', values: { TURBO: 'Turbo', BALANCED: 'Default', QUALITY: 'Quality' } },
      style: { field: 'style_type', values: { AUTO: 'Auto', REALISTIC: 'Realistic', FICTION: 'Fiction' } },
      expandPrompt: magicPrompt,
      negativePrompt: unsupported,
    },
  },
  'ideogram-v2': ideogramV2,
  'ideogram-v2-turbo': ideogramV2,
  'ideogram-v2a': ideogramV2a,
  'ideogram-v2a-turbo': ideogramV2a,
  'imagen-4': imagen4,
  'imagen-4-ultra': imagen4,
  'imagen-4-fast': imagen4,
  'imagen-3': imagen3,
  'imagen-3-fast': imagen3,
  'qwen-image-2-pro': qwenImage2,
  'qwen-image-2': qwenImage2,
  'qwen-image': {
    seed: 'seed',
    outputFormat: webpJpgPng,
    references: { field: 'image', single: true },
    params: {
      imageSize: { field: 'aspect_ratio', convert: ratioOfShape },
      guidanceScale: 'guidance',
      acceleration: { field: 'go_fast', values: { none: false, regular: true, high: true } },
    },
  },
  'z-image': { seed: 'seed', outputFormat: webpJpgPng, params: { aspectRatio: dimensionsFromRatio({ min: 64, max: 2048, multipleOf: 16 }) } },
  'reve-create': {},
};

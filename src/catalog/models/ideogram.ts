import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, negativePromptParam, promptParam } from './common.js';
import { defineModel, type ModelDefinition } from '../spec.js';
import { unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { falImageSizeFromRatio } from '../routes/converters.js';
import { compact, type ApiframeBuilder, type ParamReader } from '../routes/apiframe.js';

/**
 * Ideogram (Apiframe's eight). V2 / V2a params per fal
 * (https://fal.ai/docs/model-api-reference/image-generation-api/ideogram-v2): aspect ratios,
 * lower-case styles, MagicPrompt. V3 per fal (https://fal.ai/docs/model-api-reference/image-generation-api/ideogram-v3)
 * and Ideogram's v3 aspect ratios; the three V3 ids are V3's rendering speeds (TURBO, BALANCED,
 * QUALITY), which the adapter sends as `rendering_speed` (see `IdeogramRenderingSpeeds`).
 * Character per https://fal.ai/models/fal-ai/ideogram/character/llms.txt: one character
 * reference image, required.
 */

/** MagicPrompt: Pictor's `expandPrompt` switch as Ideogram's option. */
function apiframeMagicPrompt(reader: ParamReader): string | undefined {
  const expand = reader.value('expandPrompt');
  return typeof expand === 'boolean' ? (expand ? 'On' : 'Off') : undefined;
}

/** Ideogram V2 styles (fal's lower-case names) as Ideogram's own style types. */
const ApiframeIdeogramV2Styles: Readonly<Record<string, string>> = {
  auto: 'Auto',
  general: 'General',
  realistic: 'Realistic',
  design: 'Design',
  render_3D: 'Render 3D',
  anime: 'Anime',
};

const apiframeIdeogramV2: ApiframeBuilder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.string('aspectRatio'),
    style_type: ApiframeIdeogramV2Styles[reader.string('style') ?? ''],
    magic_prompt_option: apiframeMagicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  seed: true,
});

/** "Values: 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3, 16:10, 10:16, 3:1, 1:3" (Ideogram V3 pages). */
const ApiframeIdeogramV3Ratios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '16:10', '10:16', '3:1', '1:3'];

/** AUTO -> Auto, REALISTIC -> Realistic, ... */
function apiframeTitleCase(value: string | undefined): string | undefined {
  return value ? value.charAt(0) + value.slice(1).toLowerCase() : undefined;
}

const apiframeIdeogramV3: ApiframeBuilder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.ratio('aspectRatio', ApiframeIdeogramV3Ratios),
    style_type: apiframeTitleCase(reader.string('style')),
    magic_prompt_option: apiframeMagicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  references: { field: 'style_reference_images', list: true, max: 3 },
  seed: true,
});

/** Pictor's (fal's) rendering speeds as Apiframe's Ideogram Character tiers. */
const ApiframeCharacterSpeeds: Readonly<Record<string, string>> = { TURBO: 'turbo', BALANCED: 'default', QUALITY: 'quality' };

const apiframeIdeogramCharacter: ApiframeBuilder = (reader) => ({
  paramsKey: 'ideogramParams',
  params: compact({
    aspect_ratio: reader.ratio('aspectRatio', ApiframeIdeogramV3Ratios),
    rendering_speed: ApiframeCharacterSpeeds[reader.string('renderingSpeed') ?? ''],
    style_type: apiframeTitleCase(reader.string('style')),
    magic_prompt_option: apiframeMagicPrompt(reader),
    negative_prompt: reader.string('negativePrompt'),
  }),
  references: { field: 'character_reference_image', list: false, max: 1, required: true },
  seed: true,
});

/** Ideogram V3 family on fal: shape as `image_size` (preset or object), styles spelled as Pictor spells them. */
function falIdeogramV3(modelId: string): ModelInputSpec {
  return {
    count: 'num_images',
    seed: 'seed',
    constants: { rendering_speed: IdeogramRenderingSpeeds[modelId] },
    references: { field: 'image_urls', max: 3 },
    params: { aspectRatio: falImageSizeFromRatio() },
  };
}

const falIdeogramV2: ModelInputSpec = { seed: 'seed' };

/** V2a has no negative prompt. */
const falIdeogramV2a: ModelInputSpec = { seed: 'seed', params: { negativePrompt: unsupported } };

/** Ideogram's MagicPrompt is a three-way option on Replicate; Pictor's switch forces it on or off. */
const replicateMagicPrompt = { field: 'magic_prompt_option', values: { true: 'On', false: 'Off' } } as const;

function replicateIdeogramV3(): ModelInputSpec {
  return {
    seed: 'seed',
    references: { field: 'style_reference_images', max: 3 },
    params: {
      style: { field: 'style_type', values: { AUTO: 'Auto', GENERAL: 'General', REALISTIC: 'Realistic', DESIGN: 'Design' } },
      expandPrompt: replicateMagicPrompt,
      negativePrompt: unsupported,
    },
  };
}

const replicateIdeogramV2Styles = { auto: 'Auto', general: 'General', realistic: 'Realistic', design: 'Design', render_3D: 'Render 3D', anime: 'Anime' } as const;

const replicateIdeogramV2: ModelInputSpec = { seed: 'seed', params: { style: { field: 'style_type', values: replicateIdeogramV2Styles }, expandPrompt: replicateMagicPrompt } };

/** V2a has no negative prompt. */
const replicateIdeogramV2a: ModelInputSpec = { seed: 'seed', params: { ...replicateIdeogramV2.params, negativePrompt: unsupported } };

export const IdeogramV2AspectRatios = ['10:16', '16:10', '9:16', '16:9', '4:3', '3:4', '1:1', '1:3', '3:1', '3:2', '2:3'] as const;
export const IdeogramV2Styles = ['auto', 'general', 'realistic', 'design', 'render_3D', 'anime'] as const;
export const IdeogramV3AspectRatios = ['1:3', '3:1', '1:2', '2:1', '9:16', '16:9', '10:16', '16:10', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '1:1'] as const;
export const IdeogramV3Styles = ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'] as const;
export const IdeogramRenderingSpeedValues = ['TURBO', 'BALANCED', 'QUALITY'] as const;

const expandPrompt = z.boolean().default(true).describe('Let MagicPrompt expand the prompt.');

const v2Params = z.object({
  prompt: promptParam(),
  aspectRatio: z.enum(IdeogramV2AspectRatios).default('1:1').describe('Shape of the image.'),
  style: z.enum(IdeogramV2Styles).default('auto').describe('Style of the image.'),
  expandPrompt,
  negativePrompt: negativePromptParam(),
});

const v3Params = z.object({
  prompt: promptParam(),
  aspectRatio: z.enum(IdeogramV3AspectRatios).default('1:1').describe('Shape of the image.'),
  style: z.enum(IdeogramV3Styles).default('AUTO').describe('Style type of the image.'),
  expandPrompt,
  negativePrompt: negativePromptParam(),
});

/** The `rendering_speed` each V3 model id stands for, for adapters that take it as a param. */
export const IdeogramRenderingSpeeds: Readonly<Record<string, (typeof IdeogramRenderingSpeedValues)[number]>> = {
  'ideogram-v3-turbo': 'TURBO',
  'ideogram-v3-balanced': 'BALANCED',
  'ideogram-v3-quality': 'QUALITY',
};

interface IdeogramVariant {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** fal list price per image in US dollars. */
  readonly usd: number;
  readonly fal: string;
  readonly replicate: string;
  /** The upstreams take no negative prompt (V2a): a value other than the default becomes a warning. */
  readonly noNegativePrompt?: boolean;
}

const sources = ['https://fal.ai/docs/model-api-reference/image-generation-api/ideogram-v2', 'https://fal.ai/docs/model-api-reference/image-generation-api/ideogram-v3'];

function v2Model(variant: IdeogramVariant): ModelDefinition<typeof v2Params> {
  return defineModel({
    id: variant.id,
    aliases: [],
    name: variant.name,
    description: variant.description,
    vendor: 'Ideogram',
    capabilities: generationCapabilities({ seed: true }),
    params: v2Params,
    price: () => creditsForUsd(variant.usd),
    timeoutMs: 3 * Minutes,
    routes: [
      { provider: 'fal', upstreamModel: variant.fal, input: variant.noNegativePrompt ? falIdeogramV2a : falIdeogramV2 },
      { provider: 'replicate', upstreamModel: variant.replicate, input: variant.noNegativePrompt ? replicateIdeogramV2a : replicateIdeogramV2 },
      { provider: 'apiframe', upstreamModel: variant.id, plan: apiframeIdeogramV2 },
    ],
    normalization: { aspectRatio: 'aspectRatio' },
    sources,
  });
}

function v3Model(variant: IdeogramVariant): ModelDefinition<typeof v3Params> {
  return defineModel({
    id: variant.id,
    aliases: [],
    name: variant.name,
    description: variant.description,
    vendor: 'Ideogram',
    // Style reference images (fal image_urls, 10MB in total).
    capabilities: generationCapabilities({ editing: true, maxReferenceImages: 3, maxN: 8, seed: true }),
    params: v3Params,
    price: () => creditsForUsd(variant.usd),
    timeoutMs: 3 * Minutes,
    routes: [
      { provider: 'fal', upstreamModel: variant.fal, input: falIdeogramV3(variant.id) },
      { provider: 'replicate', upstreamModel: variant.replicate, input: replicateIdeogramV3() },
      { provider: 'apiframe', upstreamModel: variant.id, plan: apiframeIdeogramV3 },
    ],
    normalization: { aspectRatio: 'aspectRatio' },
    sources,
  });
}

export const ideogramV2 = v2Model({
  id: 'ideogram-v2',
  name: 'Ideogram V2',
  description: 'High-quality generation with superior text rendering.',
  usd: 0.08,
  fal: 'fal-ai/ideogram/v2',
  replicate: 'ideogram-ai/ideogram-v2',
});
export const ideogramV2Turbo = v2Model({
  id: 'ideogram-v2-turbo',
  name: 'Ideogram V2 Turbo',
  description: 'Faster V2 variant optimized for speed.',
  usd: 0.05,
  fal: 'fal-ai/ideogram/v2/turbo',
  replicate: 'ideogram-ai/ideogram-v2-turbo',
});
export const ideogramV2a = v2Model({
  id: 'ideogram-v2a',
  name: 'Ideogram V2a',
  description: 'Cost-efficient generation with strong text rendering.',
  usd: 0.04,
  fal: 'fal-ai/ideogram/v2a',
  replicate: 'ideogram-ai/ideogram-v2a',
  noNegativePrompt: true,
});
export const ideogramV2aTurbo = v2Model({
  id: 'ideogram-v2a-turbo',
  name: 'Ideogram V2a Turbo',
  description: 'Fastest and most affordable Ideogram model.',
  usd: 0.025,
  fal: 'fal-ai/ideogram/v2a/turbo',
  replicate: 'ideogram-ai/ideogram-v2a-turbo',
  noNegativePrompt: true,
});
export const ideogramV3Turbo = v3Model({
  id: 'ideogram-v3-turbo',
  name: 'Ideogram V3 Turbo',
  description: 'Fast V3 with style presets and references.',
  usd: 0.03,
  fal: 'fal-ai/ideogram/v3',
  replicate: 'ideogram-ai/ideogram-v3-turbo',
});
export const ideogramV3Balanced = v3Model({
  id: 'ideogram-v3-balanced',
  name: 'Ideogram V3 Balanced',
  description: 'Balanced quality/speed with style presets and references.',
  usd: 0.06,
  fal: 'fal-ai/ideogram/v3',
  replicate: 'ideogram-ai/ideogram-v3-balanced',
});
export const ideogramV3Quality = v3Model({
  id: 'ideogram-v3-quality',
  name: 'Ideogram V3 Quality',
  description: 'Highest-quality V3 for production-ready images.',
  usd: 0.09,
  fal: 'fal-ai/ideogram/v3',
  replicate: 'ideogram-ai/ideogram-v3-quality',
});

/** fal: US$0.10 with TURBO, 0.15 with BALANCED, 0.20 with QUALITY. */
const CharacterUsd = { TURBO: 0.1, BALANCED: 0.15, QUALITY: 0.2 } as const;

export const ideogramCharacter = defineModel({
  id: 'ideogram-character',
  aliases: ['ideogram-v3-character'],
  name: 'Ideogram Character',
  description: 'Character-consistent generation from one character reference image.',
  vendor: 'Ideogram',
  // fal: "Currently only 1 image is supported" as character reference; it is required.
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 1, requiresInputImage: true, maxN: 8, seed: true }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(IdeogramV3AspectRatios).default('1:1').describe('Shape of the image.'),
    renderingSpeed: z.enum(IdeogramRenderingSpeedValues).default('BALANCED').describe('TURBO is fastest and cheapest, QUALITY the most detailed.'),
    style: z.enum(['AUTO', 'REALISTIC', 'FICTION']).default('AUTO').describe('AUTO, REALISTIC (photographic) or FICTION (illustrative).'),
    expandPrompt,
    negativePrompt: negativePromptParam(),
  }),
  price: (params) => creditsForUsd(CharacterUsd[params.renderingSpeed]),
  timeoutMs: 3 * Minutes,
  routes: [
    // The character reference is required and fal takes one.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/ideogram/character',
      input: {
        count: 'num_images',
        seed: 'seed',
        references: { field: 'reference_image_urls', max: 1 },
        params: { aspectRatio: falImageSizeFromRatio() },
      },
    },
    {
      provider: 'replicate',
      upstreamModel: 'ideogram-ai/ideogram-character',
      input: {
        seed: 'seed',
        references: { field: 'character_reference_image', single: true },
        params: {
          renderingSpeed: { field: 'rendering_speed', values: { TURBO: 'Turbo', BALANCED: 'Default', QUALITY: 'Quality' } },
          style: { field: 'style_type', values: { AUTO: 'Auto', REALISTIC: 'Realistic', FICTION: 'Fiction' } },
          expandPrompt: replicateMagicPrompt,
          negativePrompt: unsupported,
        },
      },
    },
    { provider: 'apiframe', upstreamModel: 'ideogram-character', plan: apiframeIdeogramCharacter },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://fal.ai/models/fal-ai/ideogram/character/llms.txt'],
});

export const ideogramModels = [ideogramV3Quality, ideogramV3Balanced, ideogramV3Turbo, ideogramCharacter, ideogramV2, ideogramV2Turbo, ideogramV2a, ideogramV2aTurbo] as const;

import { UpstreamError } from '../errors.js';
import type { GenerationRequest } from '../spec.js';
import { OtherBuilders } from './model-plans-others.js';
import { compact, ParamReader, presetRatio, reducedRatio, type ApiframePlan, type Builder } from './plan.js';

/**
 * Per-model mappings from Pictor's params to Apiframe's `<model>Params` blocks: Midjourney,
 * Gemini (nano-banana), OpenAI, FLUX and Seedream here, the other families in
 * model-plans-others.ts. Field names and allowed values follow Apiframe's per-model pages
 * (https://apiframe.ai/docs/images/<family>/<model>) and the request schema of its OpenAPI
 * document (GenerateImageRequest, published with the official SDK:
 * https://github.com/apiframe-ai/apiframe-nodejs-sdk/blob/main/openapi.json). Keyed by the
 * route's upstream model, i.e. Apiframe's model identifier.
 */

const JpgPng = { png: 'png', jpeg: 'jpg' } as const;
const JpgPngWebp = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;

const midjourney: Builder = (reader) => ({
  paramsKey: 'midjourneyParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio') }),
  seed: false,
  // "Midjourney always generates 4 images per request."
  imagesPerJob: 4,
});

const nanoBanana: Builder = (reader) => {
  reader.unsupported('styleId', 'Apiframe has no Wonda style ids');
  return {
    paramsKey: 'nanoBananaParams',
    params: compact({
      aspect_ratio: reader.string('aspectRatio') === 'auto' ? undefined : reader.string('aspectRatio'),
      resolution: reader.string('resolution'),
      output_format: reader.outputFormat(JpgPngWebp),
    }),
    references: { field: 'image_input', list: true, max: 14 },
    seed: false,
  };
};

/** Wonda's gpt-image-1.5 ratios name OpenAI's sizes: 16:9 is 1536x1024, which Apiframe calls 3:2. */
const GptImageRatios: Readonly<Record<string, string>> = { '1:1': '1:1', '16:9': '3:2', '9:16': '2:3' };

const gptImage: Builder = (reader) => {
  const background = reader.string('background');
  return {
    paramsKey: 'gptImageParams',
    params: compact({
      aspect_ratio: GptImageRatios[reader.string('aspectRatio') ?? ''] ?? reader.ratio('aspectRatio', ['1:1', '3:2', '2:3']),
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
const DallE3Ratios: Readonly<Record<string, string>> = { '1024x1024': '1:1', '1792x1024': '3:2', '1024x1792': '2:3' };

const dallE3: Builder = (reader) => {
  reader.unsupported('quality', "Apiframe's dall-e-3 renders standard quality");
  return { paramsKey: 'dalleParams', params: compact({ aspect_ratio: DallE3Ratios[reader.string('size') ?? ''], style: reader.string('style') }), seed: false };
};

const dallE2: Builder = (reader) => {
  reader.unsupported('size', "Apiframe's dall-e-2 takes no size and renders 1024x1024");
  return { params: {}, seed: false };
};

/** Apiframe sizes FLUX.2 by megapixels; the tier closest to the requested pixel count. */
function megapixelTier(width: number, height: number): string {
  const tiers = [0.5, 1, 2, 4];
  const megapixels = (width * height) / (1024 * 1024);
  const nearest = tiers.reduce((best, tier) => (Math.abs(Math.log(tier / megapixels)) < Math.abs(Math.log(best / megapixels)) ? tier : best));
  return `${nearest}MP`;
}

/**
 * FLUX width/height. Apiframe documents width/height "used when aspect_ratio is custom" while its
 * schema only takes `W:H` ratios, so both are sent: the exact ratio and the pixel size.
 */
function fluxSize(reader: ParamReader, withTier: boolean): Record<string, unknown> {
  const width = Number(reader.value('width'));
  const height = Number(reader.value('height'));
  if (!width || !height) return {};
  return { aspect_ratio: reducedRatio(width, height), width, height, resolution: withTier ? megapixelTier(width, height) : undefined };
}

const flux11: Builder = (reader) => {
  reader.unsupported('safetyTolerance', 'Apiframe applies its own moderation level');
  return {
    paramsKey: 'fluxParams',
    params: compact({ ...fluxSize(reader, false), prompt_upsampling: reader.value('promptUpsampling'), output_format: reader.outputFormat(JpgPngWebp) }),
    references: { field: 'image_prompt', list: false, max: 1 },
    seed: true,
  };
};

const fluxUltra: Builder = (reader) => {
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
      output_format: reader.outputFormat(JpgPngWebp),
    }),
    references: { field: 'image_prompt', list: false, max: 1 },
    seed: true,
  };
};

function flux2(maxReferences: number): Builder {
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
        ...fluxSize(reader, true),
        prompt_upsampling: reader.value('promptUpsampling'),
        steps: reader.value('steps'),
        guidance,
        output_format: reader.outputFormat(JpgPngWebp),
      }),
      references: { field: 'input_images', list: true, max: maxReferences },
      seed: true,
    };
  };
}

const seedream3: Builder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio'), guidance_scale: reader.value('guidanceScale'), output_format: reader.outputFormat(JpgPng) }),
  seed: true,
});

const seedream31: Builder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: presetRatio(reader, 'imageSize', 'its default size'), enhance_prompt: reader.value('enhancePrompt'), output_format: reader.outputFormat(JpgPng) }),
  seed: true,
});

/** Seedream 4 / 5 Lite size: a fal preset (aspect ratio at the base tier) or `auto_<tier>` (follow the input image). */
function seedreamSize(reader: ParamReader, baseTier: string): { aspect_ratio?: string; size: string } {
  const value = reader.string('imageSize') ?? '';
  const auto = /^auto(?:_(\dK))?$/.exec(value);
  if (auto) {
    const follows = reader.request.references.length > 0 ? 'match_input_image' : undefined;
    return { aspect_ratio: follows, size: auto[1] ?? baseTier };
  }
  return { aspect_ratio: presetRatio(reader, 'imageSize', baseTier), size: baseTier };
}

const seedream4: Builder = (reader) => {
  reader.unsupported('enhancePromptMode', "Apiframe's seedream-4 only switches prompt enhancement on (standard mode)");
  return {
    paramsKey: 'seedreamParams',
    params: compact({ ...seedreamSize(reader, '1K'), enhance_prompt: true, output_format: reader.outputFormat(JpgPng) }),
    references: { field: 'image_input', list: true, max: 10 },
    seed: true,
  };
};

const seedream45: Builder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio'), size: reader.string('resolution'), output_format: reader.outputFormat(JpgPng) }),
  references: { field: 'image_input', list: true, max: 14 },
  seed: true,
});

const seedream5Lite: Builder = (reader) => ({
  paramsKey: 'seedreamParams',
  params: compact({ ...seedreamSize(reader, '2K'), output_format: reader.outputFormat(JpgPng) }),
  references: { field: 'image_input', list: true, max: 10 },
  seed: true,
});

const Builders: Readonly<Record<string, Builder>> = {
  midjourney,
  'nano-banana': nanoBanana,
  'nano-banana-pro': nanoBanana,
  'nano-banana-2': nanoBanana,
  'gpt-image-1.5': gptImage,
  'dall-e-3': dallE3,
  'dall-e-2': dallE2,
  'flux-1.1-pro': flux11,
  'flux-1.1-pro-ultra': fluxUltra,
  'flux-2-pro': flux2(8),
  'flux-2-max': flux2(8),
  'flux-2-flex': flux2(10),
  'flux-2-dev': flux2(10),
  'seedream-3': seedream3,
  'seedream-3.1': seedream31,
  'seedream-4': seedream4,
  'seedream-4.5': seedream45,
  'seedream-5-lite': seedream5Lite,
};

/** Whether Pictor knows how Apiframe's model takes its params (checked for every route at start-up). */
export function hasPlan(upstreamModel: string): boolean {
  return upstreamModel in Builders || upstreamModel in OtherBuilders;
}

/** The plan for one call: how the request's model travels in Apiframe's body. */
export function planFor(request: GenerationRequest): ApiframePlan {
  const builder = Builders[request.upstreamModel] ?? OtherBuilders[request.upstreamModel];
  // Unreachable for catalog routes (the registry checks them); refused rather than guessed.
  if (!builder) throw new UpstreamError('invalid_request', `apiframe has no parameter mapping for ${request.upstreamModel}`, { provider: 'apiframe' });
  const reader = new ParamReader(request);
  return { ...builder(reader), warnings: reader.warnings };
}

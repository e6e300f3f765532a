import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, promptParam } from './common.js';
import { defineModel, type ModelDefinition, type ModelRoute } from '../spec.js';
import { unsupported, type ModelInputSpec } from '../routes/input-spec.js';
import { falPngJpegWebp } from '../routes/fal.js';
import { replicateJpgPng } from '../routes/replicate.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Google Imagen 3 and 4 (named by Apiframe). Parameters per the Gemini API Imagen reference
 * (https://ai.google.dev/gemini-api/docs/imagen): `aspectRatio` 1:1, 3:4, 4:3, 9:16, 16:9;
 * `numberOfImages` 1-4 (a common input here); `personGeneration` dont_allow / allow_adult /
 * allow_all; `imageSize` 1K or 2K for Imagen 4 Standard and Ultra only. Imagen takes no reference
 * images through these endpoints.
 */

const apiframeImagen: ApiframeBuilder = (reader) => {
  reader.unsupported('personGeneration', "Apiframe's Imagen models apply Google's default person policy");
  return {
    paramsKey: 'imagenParams',
    params: compact({
      aspect_ratio: reader.string('aspectRatio'),
      image_size: reader.string('resolution'),
      output_format: reader.outputFormat({ png: 'png', jpeg: 'jpg' }),
    }),
    seed: false,
  };
};

/** Imagen 4 on fal: Pictor's `personGeneration` has no fal equivalent. */
const falImagen4: ModelInputSpec = { count: 'num_images', seed: 'seed', outputFormat: falPngJpegWebp, params: { personGeneration: unsupported } };

/** Imagen on Replicate has neither a size tier nor a person-generation setting. */
const replicateImagen4: ModelInputSpec = { outputFormat: replicateJpgPng, params: { resolution: unsupported, personGeneration: unsupported } };

const replicateImagen3: ModelInputSpec = { params: { personGeneration: unsupported } };

export const ImagenAspectRatios = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
export const ImagenPersonGeneration = ['dont_allow', 'allow_adult', 'allow_all'] as const;
export const Imagen4Resolutions = ['1K', '2K'] as const;

const aspectRatio = z.enum(ImagenAspectRatios).default('1:1').describe('Shape of the image.');
const personGeneration = z.enum(ImagenPersonGeneration).default('allow_adult').describe('Whether people may be generated: dont_allow, allow_adult (adults only) or allow_all.');

const imagen3Params = z.object({ prompt: promptParam(), aspectRatio, personGeneration });
const imagen4Params = z.object({
  prompt: promptParam(),
  aspectRatio,
  resolution: z.enum(Imagen4Resolutions).default('1K').describe('Output resolution tier (Gemini API imageSize).'),
  personGeneration,
});

interface ImagenVariant {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Google's list price per image in US dollars (https://ai.google.dev/gemini-api/docs/pricing). */
  readonly usd: number;
  readonly gemini?: string;
  readonly fal?: string;
  readonly replicate: string;
  /** How the Replicate model takes the params (Imagen 4's has an output format, Imagen 3's not). */
  readonly replicateInput: ModelInputSpec;
  /** Images per request; Imagen 4 Ultra returns one. */
  readonly maxN: number;
}

function imagenModel<Params extends typeof imagen3Params | typeof imagen4Params>(variant: ImagenVariant, params: Params): ModelDefinition<Params> {
  return defineModel({
    id: variant.id,
    aliases: [],
    name: variant.name,
    description: variant.description,
    vendor: 'Google',
    capabilities: generationCapabilities({ maxN: variant.maxN }),
    params,
    price: () => creditsForUsd(variant.usd),
    timeoutMs: 3 * Minutes,
    routes: [
      ...(variant.gemini ? [{ provider: 'gemini', upstreamModel: variant.gemini } satisfies ModelRoute] : []),
      // Only Imagen 4 is on fal.
      ...(variant.fal ? [{ provider: 'fal', upstreamModel: variant.fal, input: falImagen4 } satisfies ModelRoute] : []),
      { provider: 'replicate', upstreamModel: variant.replicate, input: variant.replicateInput },
      { provider: 'apiframe', upstreamModel: variant.id, plan: apiframeImagen },
    ],
    normalization: 'resolution' in params.shape ? { aspectRatio: 'aspectRatio', resolution: 'resolution' } : { aspectRatio: 'aspectRatio' },
    sources: ['https://ai.google.dev/gemini-api/docs/imagen'],
  });
}

export const imagen3 = imagenModel(
  {
    id: 'imagen-3',
    name: 'Imagen 3',
    description: "Google's highest quality text-to-image with rich lighting and detail.",
    usd: 0.04,
    gemini: 'imagen-3.0-generate-002',
    replicate: 'google/imagen-3',
    replicateInput: replicateImagen3,
    maxN: 4,
  },
  imagen3Params,
);

export const imagen3Fast = imagenModel(
  {
    id: 'imagen-3-fast',
    name: 'Imagen 3 Fast',
    description: 'Faster, cheaper Imagen 3 for speed-sensitive use cases.',
    usd: 0.02,
    replicate: 'google/imagen-3-fast',
    replicateInput: replicateImagen3,
    maxN: 4,
  },
  imagen3Params,
);

export const imagen4 = imagenModel(
  {
    id: 'imagen-4',
    name: 'Imagen 4',
    description: "Google's flagship Imagen 4 with superior typography and detail.",
    usd: 0.04,
    gemini: 'imagen-4.0-generate-001',
    fal: 'fal-ai/imagen4/preview',
    replicate: 'google/imagen-4',
    replicateInput: replicateImagen4,
    maxN: 4,
  },
  imagen4Params,
);

export const imagen4Ultra = imagenModel(
  {
    id: 'imagen-4-ultra',
    name: 'Imagen 4 Ultra',
    description: 'Ultra quality Imagen 4 for maximum fidelity.',
    usd: 0.06,
    gemini: 'imagen-4.0-ultra-generate-001',
    fal: 'fal-ai/imagen4/preview/ultra',
    replicate: 'google/imagen-4-ultra',
    replicateInput: replicateImagen4,
    maxN: 1,
  },
  imagen4Params,
);

/** Imagen 4 Fast has no imageSize knob (Gemini API: only Standard and Ultra take 2K). */
export const imagen4Fast = imagenModel(
  {
    id: 'imagen-4-fast',
    name: 'Imagen 4 Fast',
    description: 'Fast Imagen 4 optimized for speed and cost.',
    usd: 0.02,
    gemini: 'imagen-4.0-fast-generate-001',
    fal: 'fal-ai/imagen4/preview/fast',
    replicate: 'google/imagen-4-fast',
    replicateInput: replicateImagen4,
    maxN: 4,
  },
  imagen3Params,
);

export const imagenModels = [imagen4, imagen4Ultra, imagen4Fast, imagen3, imagen3Fast] as const;

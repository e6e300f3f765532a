import { z } from 'zod';
import { Minutes, TripoCredits, generationCapabilities, promptParam, tripoPresetParams } from './common.js';
import { defineModel } from '../spec.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Midjourney has no official API; Apiframe runs it (`midjourneyParams.aspect_ratio`, a 4-image
 * grid per job: https://huggingface.co/AI-APIs/Midjourney-API). Tripo lists it as a model version
 * that cannot take image files; with reference images Pictor runs Tripo's documented default,
 * FLUX.1 Kontext [pro], and says so.
 */

const apiframeMidjourney: ApiframeBuilder = (reader) => ({
  paramsKey: 'midjourneyParams',
  params: compact({ aspect_ratio: reader.string('aspectRatio') }),
  seed: false,
  // "Midjourney always generates 4 images per request."
  imagesPerJob: 4,
});

export const MidjourneyAspectRatios = ['1:1', '3:4', '4:3', '9:16', '16:9', '21:9'] as const;

export const midjourney = defineModel({
  id: 'midjourney',
  aliases: ['midjourney-v8', 'mj'],
  name: 'Midjourney',
  description: 'High-quality image generation from text prompts (four images per job).',
  vendor: 'Midjourney',
  capabilities: generationCapabilities({ maxN: 4 }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(MidjourneyAspectRatios).default('1:1').describe('Shape of the images.'),
    ...tripoPresetParams,
  }),
  price: () => TripoCredits.premium,
  timeoutMs: 10 * Minutes,
  routes: [{ provider: 'apiframe', upstreamModel: 'midjourney', plan: apiframeMidjourney }],
  normalization: { aspectRatio: 'aspectRatio' },
  upgradeWithReferences: 'flux-kontext-pro',
  sources: ['Apiframe unified endpoint', 'Tripo generate_image'],
});

export const midjourneyModels = [midjourney] as const;

import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, negativePromptParam, promptParam } from './common.js';
import { defineModel } from '../spec.js';
import { unsupported } from '../routes/input-spec.js';
import { falPngJpegWebp } from '../routes/fal.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Kuaishou's Kling image model (Apiframe's `kling-image`: "reference images and multi-image
 * output"). Params per fal's Kling Image V3 schema
 * (https://fal.ai/models/fal-ai/kling-image/v3/text-to-image/llms.txt): resolution 1K / 2K,
 * 1-9 images, eight aspect ratios (default 16:9), negative prompt. fal allows 2500 prompt
 * characters; Apiframe's common 2000 is the stricter limit and applies.
 */

const apiframeKling: ApiframeBuilder = (reader) => {
  reader.unsupported('resolution', "Apiframe's kling-image renders at Kling's standard resolution");
  return {
    paramsKey: 'klingImageParams',
    params: compact({
      // The newest of the three Kling image models Apiframe offers (its default is kling-v1).
      model_name: 'kling-v2',
      aspect_ratio: reader.ratio('aspectRatio', ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3']),
      negative_prompt: reader.string('negativePrompt'),
    }),
    references: { field: 'image', list: false, max: 1 },
    seed: false,
    count: { field: 'n', max: 4 },
  };
};

export const KlingAspectRatios = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'] as const;

export const klingImage = defineModel({
  id: 'kling-image',
  aliases: ['kling-image-v3'],
  name: 'Kling Image',
  description: "Kling's image generation with reference images and multi-image output.",
  vendor: 'Kuaishou',
  // Kling's image-to-image (O1) takes up to 10 reference images.
  capabilities: generationCapabilities({ editing: true, maxReferenceImages: 10, maxN: 9 }),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(KlingAspectRatios).default('16:9').describe('Shape of the image.'),
    resolution: z.enum(['1K', '2K']).default('1K').describe('1K standard or 2K high resolution.'),
    negativePrompt: negativePromptParam(),
  }),
  // fal: US$0.028 per image.
  price: () => creditsForUsd(0.028),
  timeoutMs: 5 * Minutes,
  routes: [
    // Kling O1 (the edit endpoint) has no negative prompt.
    {
      provider: 'fal',
      upstreamModel: 'fal-ai/kling-image/v3/text-to-image',
      upstreamEditModel: 'fal-ai/kling-image/o1',
      input: {
        count: 'num_images',
        outputFormat: falPngJpegWebp,
        edit: { references: { field: 'image_urls', max: 10 }, params: { negativePrompt: unsupported } },
      },
    },
    { provider: 'apiframe', upstreamModel: 'kling-image', plan: apiframeKling },
  ],
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution' },
  sources: ['https://fal.ai/models/fal-ai/kling-image/v3/text-to-image/llms.txt', 'https://fal.ai/models/fal-ai/kling-image/o1/api'],
});

export const klingModels = [klingImage] as const;

import { z } from 'zod';
import { Minutes, creditsForUsd, generationCapabilities, promptParam } from './common.js';
import { defineModel } from '../spec.js';
import { falPngJpegWebp } from '../routes/fal.js';
import { compact, type ApiframeBuilder } from '../routes/apiframe.js';

/**
 * Reve's create endpoint (Apiframe's `reve-create`). Reve's API takes a prompt (up to 2560
 * characters; Apiframe's 2000 applies), `aspect_ratio` 16:9, 9:16, 3:2, 2:3, 4:3, 3:4 or 1:1
 * (default 3:2) and a `version` (https://rubydoc.info/gems/reve_ai, https://pypi.org/project/reve/).
 * Editing and remixing are separate Reve endpoints, not this model.
 */

const apiframeReve: ApiframeBuilder = (reader) => ({ paramsKey: 'reveParams', params: compact({ aspect_ratio: reader.string('aspectRatio') }), seed: true });

export const ReveAspectRatios = ['16:9', '9:16', '3:2', '2:3', '4:3', '3:4', '1:1'] as const;

export const reveCreate = defineModel({
  id: 'reve-create',
  aliases: ['reve'],
  name: 'Reve Create',
  description: 'High-quality generation with strong aesthetics and text rendering.',
  vendor: 'Reve',
  capabilities: generationCapabilities({}),
  params: z.object({
    prompt: promptParam(),
    aspectRatio: z.enum(ReveAspectRatios).default('3:2').describe('Shape of the image.'),
  }),
  // Reve's hosted API is about US$0.04 per image (MuAPI resells it at US$0.032).
  price: () => creditsForUsd(0.04),
  timeoutMs: 3 * Minutes,
  routes: [
    { provider: 'fal', upstreamModel: 'fal-ai/reve/text-to-image', input: { count: 'num_images', outputFormat: falPngJpegWebp } },
    { provider: 'replicate', upstreamModel: 'reve/create', input: {} },
    { provider: 'apiframe', upstreamModel: 'reve-create', plan: apiframeReve },
  ],
  normalization: { aspectRatio: 'aspectRatio' },
  sources: ['https://rubydoc.info/gems/reve_ai', 'https://docs.comfy.org/ja/built-in-nodes/ReveImageCreateNode'],
});

export const reveModels = [reveCreate] as const;

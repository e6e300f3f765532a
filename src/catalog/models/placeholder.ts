import { z } from 'zod';
import { OutputFormats } from '../request.js';
import { defineModel } from '../spec.js';

export const PlaceholderAspectRatios = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
export const PlaceholderResolutions = ['512', '1K', '2K'] as const;

/**
 * The development model: no AI behind it. It renders the prompt's words over a composition
 * driven by the seed, deterministically (same prompt, seed and params give identical bytes), with
 * a progress step and a preview frame every `stepMs`. For building UIs and tests offline.
 */
export const placeholder = defineModel({
  id: 'placeholder',
  aliases: ['dev-placeholder'],
  name: 'Placeholder (development)',
  description:
    'Offline development model with no AI behind it: renders the prompt over a seed-driven composition, deterministically, with progress steps and preview frames. Reference images appear as tiles; with a mask, the first reference is kept where the mask is opaque.',
  vendor: 'Pictor',
  capabilities: {
    textToImage: true,
    editing: true,
    maxReferenceImages: 16,
    requiresInputImage: false,
    maxN: 4,
    outputFormats: OutputFormats,
    transparentBackground: false,
    seed: true,
    streamingPreviews: true,
  },
  params: z.object({
    prompt: z.string().trim().min(1).max(2000).describe('Text laid out over the picture.'),
    aspectRatio: z.enum(PlaceholderAspectRatios).default('1:1').describe('Shape of the picture.'),
    resolution: z.enum(PlaceholderResolutions).default('1K').describe('Pixel budget: 512 (512x512 at 1:1), 1K (1024x1024), 2K (2048x2048); other ratios keep the area.'),
    steps: z.int().min(1).max(100).default(8).describe('Number of progress steps (and preview frames).'),
    stepMs: z.int().min(0).max(60_000).default(250).describe('Duration of each step in milliseconds.'),
    outputFormat: z.enum(OutputFormats).default('png').describe('Encoding of the stored image.'),
  }),
  price: () => 1,
  timeoutMs: 10 * 60_000,
  routes: [{ provider: 'placeholder', upstreamModel: 'placeholder' }],
  // Composes references and the mask into its picture, so every edit flow runs offline.
  acceptsMask: true,
  normalization: { aspectRatio: 'aspectRatio', resolution: 'resolution', outputFormat: 'outputFormat' },
});

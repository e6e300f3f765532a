import { z } from 'zod';
import { OutputFormats } from '../request.js';
import type { ModelCapabilities } from '../spec.js';

/**
 * Building blocks shared by the model family files: prompt schemas with each
 * source's limits, Tripo's presets and the credit scale. Keeping them here means a limit or a
 * price rule is written once.
 */

/** Apiframe's common request body: "The image description (1-2,000 characters)". */
export const DefaultPromptMaxLength = 2000;
/** Tripo generate_image: "The maximum prompt length is 1024 characters". */
export const TripoPromptMaxLength = 1024;

/** A required prompt of 1..maxLength characters (after trimming). */
export function promptParam(maxLength: number = DefaultPromptMaxLength) {
  return z.string().trim().min(1).max(maxLength).describe(`Text description of the desired image (1-${maxLength} characters). Refer to reference images as [image 1], [image 2], ...`);
}

/** An optional negative prompt. */
export function negativePromptParam(maxLength: number = DefaultPromptMaxLength) {
  return z.string().max(maxLength).optional().describe('What the image should not contain.');
}

/**
 * Tripo's two task-level switches, documented for every `model_version` of its generate_image
 * task. Pictor carries them out as prompt directives (rules/templates.ts), so they work on
 * whichever route runs the model.
 */
export const tripoPresetParams = {
  tPose: z.boolean().default(false).describe('Transform the character into a T-pose while keeping its main characteristics (Tripo t_pose).'),
  sketchToRender: z.boolean().default(false).describe('Turn the sketch given as the first reference image into a rendered image (Tripo sketch_to_render).'),
};

/** Wonda's `styleId`: "Optional style UUID to apply" (nano-banana-2, nano-banana-pro). */
export const styleIdParam = z
  .uuid()
  .optional()
  .describe("Optional style UUID to apply (Wonda styleId): one of this deployment's styles (the `styles` query), applied as a prompt prefix; an unknown id is refused.");

/**
 * fal's `image_size` presets (square_hd is 1024x1024, square 512x512, the others about one
 * megapixel in the named shape); rules/shapes.ts knows their shapes.
 */
export const FalImageSizePresets = ['square_hd', 'square', 'portrait_4_3', 'portrait_16_9', 'landscape_4_3', 'landscape_16_9'] as const;

/** Every raster model's output is re-encoded by Pictor (sharp), so all three formats are offered. */
export const RasterFormats = OutputFormats;

/** Capabilities most generation models share; each file overrides what differs. */
export function generationCapabilities(overrides: Partial<ModelCapabilities>): ModelCapabilities {
  return {
    textToImage: true,
    editing: false,
    maxReferenceImages: 0,
    requiresInputImage: false,
    maxN: 1,
    outputFormats: RasterFormats,
    transparentBackground: false,
    seed: false,
    streamingPreviews: false,
    ...overrides,
  };
}

/**
 * The credit scale. Where Tripo's seed gives a price (5 or 10 credits per task for its nine
 * model versions) that tier is the price at the model's default settings. Every other model
 * costs 1 credit per US$0.01 of the vendor's published list price per image, rounded up, at
 * least 1 credit.
 */
export const TripoCredits = { standard: 5, premium: 10 } as const;

/** Credits for a vendor list price in US dollars. */
export function creditsForUsd(usd: number): number {
  return Math.max(1, Math.ceil(usd * 100 - 1e-9));
}

/**
 * A Tripo tier scaled by the vendor's own price ratio for non-default settings (a 4K image that
 * the vendor bills at 1.8x the 1K price costs 1.8x the tier), rounded up.
 */
export function scaledTier(tier: number, usd: number, baseUsd: number): number {
  return Math.max(1, Math.ceil((tier * usd) / baseUsd - 1e-9));
}

export const Minutes = 60_000;

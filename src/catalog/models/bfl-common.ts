import { z } from 'zod';
import { reducedRatio, type ParamReader } from '../routes/apiframe.js';

/** Param schemas, price arithmetic and Apiframe sizing shared by the FLUX 1 (bfl.ts) and FLUX.2 (bfl-flux2.ts) models. */

export const safetyTolerance = (max: number) => z.int().min(0).max(max).default(2).describe(`Moderation tolerance from 0 (strictest) to ${max} (most permissive).`);
export const promptUpsampling = (fallback: boolean) => z.boolean().default(fallback).describe('Let the model rewrite the prompt for more creative results (less reproducible).');

export const dimensionsNormalization = { dimensions: { width: 'width', height: 'height' } } as const;

/** Output megapixels (1024x1024 counts as one), rounded up to whole megapixels as BFL bills them. */
export function megapixels(params: { width: number; height: number }): number {
  return Math.max(1, Math.ceil((params.width * params.height) / (1024 * 1024) - 1e-9));
}

/** Apiframe sizes FLUX.2 by megapixels; the tier closest to the requested pixel count. */
export function apiframeMegapixelTier(width: number, height: number): string {
  const tiers = [0.5, 1, 2, 4];
  const megapixels = (width * height) / (1024 * 1024);
  const nearest = tiers.reduce((best, tier) => (Math.abs(Math.log(tier / megapixels)) < Math.abs(Math.log(best / megapixels)) ? tier : best));
  return `${nearest}MP`;
}

/**
 * FLUX width/height. Apiframe documents width/height "used when aspect_ratio is custom" while its
 * schema only takes `W:H` ratios, so both are sent: the exact ratio and the pixel size.
 */
export function apiframeFluxSize(reader: ParamReader, withTier: boolean): Record<string, unknown> {
  const width = Number(reader.value('width'));
  const height = Number(reader.value('height'));
  if (!width || !height) return {};
  return { aspect_ratio: reducedRatio(width, height), width, height, resolution: withTier ? apiframeMegapixelTier(width, height) : undefined };
}

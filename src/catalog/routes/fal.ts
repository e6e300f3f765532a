import type { OutputFormatSpec, ReferenceSpec } from './input-spec.js';

/**
 * Building blocks of the fal routes' input specs that several model families share. Field names
 * and value spellings are those of the endpoint schemas fal publishes
 * (https://fal.ai/models/<endpoint>/api, mirrored by the typed endpoint map in @fal-ai/client
 * 1.10.1 `src/types/endpoints.d.ts`). Where an endpoint has `enable_safety_checker`, Pictor turns
 * it on so fal reports `has_nsfw_concepts` and refusals surface as content-policy errors.
 */

export const falImageUrls: ReferenceSpec = { field: 'image_urls' };
export const falImageUrl: ReferenceSpec = { field: 'image_url', single: true };
export const falPngJpegWebp: OutputFormatSpec = { field: 'output_format', values: { png: 'png', jpeg: 'jpeg', webp: 'webp' } };
export const falJpegPng: OutputFormatSpec = { field: 'output_format', values: { png: 'png', jpeg: 'jpeg' } };
export const falSafetyChecker = { enable_safety_checker: true } as const;

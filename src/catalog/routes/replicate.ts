import type { OutputFormatSpec } from './input-spec.js';

/**
 * Building blocks of the Replicate routes' input specs that several model families share. Field
 * names and value spellings follow each official model's input schema on Replicate
 * (https://replicate.com/<owner>/<name>/api, the "Input schema" table). Replicate's official
 * models return one image per prediction unless a count field is listed, so `n` above one runs
 * as parallel predictions.
 */

export const replicateWebpJpgPng: OutputFormatSpec = { field: 'output_format', values: { webp: 'webp', jpeg: 'jpg', png: 'png' } };
export const replicateJpgPng: OutputFormatSpec = { field: 'output_format', values: { jpeg: 'jpg', png: 'png' } };

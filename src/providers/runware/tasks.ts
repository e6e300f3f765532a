import { randomUUID } from 'node:crypto';
import { isCatalogDefault } from '../shared/catalog-lookups.js';
import { UpstreamError } from '../errors.js';
import { toDataUrl } from '../http.js';
import type { GenerationRequest } from '../../catalog/request.js';

/**
 * Pictor requests -> Runware task objects. Runware's REST API takes an array of tasks; Pictor
 * sends one per call. Task shapes:
 * - `imageInference` (https://runware.ai/docs/image-inference/api-reference): positivePrompt,
 *   model (AIR id), width / height (multiples of 64), steps, CFGScale, seed, numberResults,
 *   referenceImages, outputType, outputFormat, includeCost.
 * - `removeBackground` (https://runware.ai/docs/en/tools/remove-background; the task was called
 *   `imageBackgroundRemoval` before): inputImage (data URI), model (`runware:109@1` RemBG,
 *   `runware:110@1` Bria, `runware:112@N` BiRefNet variants), outputFormat PNG keeps the alpha.
 * - `vectorize` (https://runware.ai/docs/models/recraft-vectorize,
 *   https://runware.ai/docs/models/picsart-image-vectorizer): model, `inputs: { image }`,
 *   outputFormat SVG.
 */

export type RunwareTaskType = 'imageInference' | 'removeBackground' | 'vectorize';

/** One task to send, and what the call could not honour. */
export interface RunwareTask {
  readonly taskType: RunwareTaskType;
  readonly body: Record<string, unknown> & { taskUUID: string };
  readonly warnings: string[];
}

/**
 * Wonda's birefnet-bg-removal options on Runware's BiRefNet variants. `quality` picks the
 * operating resolution on fal; Runware has no such knob, so it picks a variant instead: the
 * 512x512 FP16 General model is the fast, low-resolution one, HRSOD (high-resolution salient
 * object detection) the high-resolution one.
 */
export const RunwareBiRefNetModels = {
  portrait: { low: 'runware:112@10', high: 'runware:112@10' },
  'general-fast': { low: 'runware:112@6', high: 'runware:112@5' },
  'general-premium': { low: 'runware:112@8', high: 'runware:112@7' },
} as const satisfies Record<string, { low: string; high: string }>;

/** Pictor param -> imageInference field, for params named alike across models. */
const InferenceFields: Readonly<Record<string, string>> = {
  width: 'width',
  height: 'height',
  steps: 'steps',
  guidance: 'CFGScale',
  guidanceScale: 'CFGScale',
  negativePrompt: 'negativePrompt',
};
const PromptParams = new Set(['prompt', 'tPose', 'sketchToRender']);

const OutputFormats = { png: 'PNG', jpeg: 'JPG', webp: 'WEBP' } as const;

/** Which task a Pictor model runs on Runware. */
export function taskTypeFor(modelId: string): RunwareTaskType {
  if (modelId === 'runware-vectorize') return 'vectorize';
  if (modelId === 'birefnet-bg-removal') return 'removeBackground';
  return 'imageInference';
}

/** The task for one call; throws `invalid_request` when a required input image is missing. */
export function buildRunwareTask(request: GenerationRequest): RunwareTask {
  switch (taskTypeFor(request.modelId)) {
    case 'vectorize':
      return vectorizeTask(request);
    case 'removeBackground':
      return backgroundRemovalTask(request);
    case 'imageInference':
      return inferenceTask(request);
  }
}

function onlyInput(request: GenerationRequest, warnings: string[]): string {
  const [input, ...extra] = request.references;
  if (!input) {
    throw new UpstreamError('invalid_request', `runware: ${request.modelId} needs one input image`, { provider: 'runware' });
  }
  if (extra.length > 0) warnings.push(`${request.modelId} uses one input image; the other ${extra.length} were ignored`);
  return toDataUrl(input.bytes, input.format);
}

function vectorizeTask(request: GenerationRequest): RunwareTask {
  const warnings: string[] = [];
  const model = typeof request.params.vectorizeModel === 'string' ? request.params.vectorizeModel : request.upstreamModel;
  const body = {
    taskType: 'vectorize',
    taskUUID: randomUUID(),
    model,
    // base64 rather than a URL: the SVG is small and comes back in this same answer.
    outputType: 'base64Data',
    outputFormat: 'SVG',
    includeCost: true,
    inputs: { image: onlyInput(request, warnings) },
  };
  return { taskType: 'vectorize', body, warnings };
}

function backgroundRemovalTask(request: GenerationRequest): RunwareTask {
  const warnings: string[] = [];
  const variant = String(request.params.bgRemovalModel ?? 'general-fast') as keyof typeof RunwareBiRefNetModels;
  const quality = request.params.quality === 'high' ? 'high' : 'low';
  const models = RunwareBiRefNetModels[variant] ?? RunwareBiRefNetModels['general-fast'];
  if (variant === 'portrait' && quality === 'high') warnings.push("quality high was not applied: Runware's BiRefNet Portrait has one resolution");
  if (request.output.format === 'jpeg') warnings.push('jpeg has no alpha channel: the cut-out is delivered on white');
  const body = {
    taskType: 'removeBackground',
    taskUUID: randomUUID(),
    model: models[quality],
    inputImage: onlyInput(request, warnings),
    outputType: 'URL',
    // PNG is the only format Runware keeps transparency in; Pictor converts afterwards if asked.
    outputFormat: 'PNG',
    includeCost: true,
  };
  return { taskType: 'removeBackground', body, warnings };
}

function inferenceTask(request: GenerationRequest): RunwareTask {
  const warnings: string[] = [];
  const body: Record<string, unknown> & { taskUUID: string } = {
    taskType: 'imageInference',
    taskUUID: randomUUID(),
    model: request.upstreamModel,
    positivePrompt: String(request.params.prompt ?? ''),
    seed: request.seed,
    numberResults: Math.max(1, request.n),
    outputType: 'URL',
    outputFormat: OutputFormats[request.output.format as keyof typeof OutputFormats] ?? 'PNG',
    includeCost: true,
  };
  for (const [key, value] of Object.entries(request.params)) {
    if (PromptParams.has(key) || value === undefined) continue;
    const field = InferenceFields[key];
    if (field) body[field] = value;
    else if (!isCatalogDefault(request.modelId, key, value)) warnings.push(`${key} is not supported by Runware's ${request.upstreamModel} and was ignored`);
  }
  for (const side of ['width', 'height'] as const) {
    const value = body[side];
    if (typeof value !== 'number') continue;
    // Runware wants multiples of 64 (128-2048).
    const rounded = Math.min(2048, Math.max(128, Math.round(value / 64) * 64));
    if (rounded !== value) {
      warnings.push(`${side} ${value} was rounded to ${rounded}: Runware takes multiples of 64`);
      body[side] = rounded;
    }
  }
  if (request.references.length > 0) body.referenceImages = request.references.map((reference) => toDataUrl(reference.bytes, reference.format));
  if (request.output.background === 'transparent') warnings.push('a transparent background was not applied: this model renders opaque images');
  return { taskType: 'imageInference', body, warnings };
}

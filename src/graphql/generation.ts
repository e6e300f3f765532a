import type { IdempotencyConflictResult, ModelUnavailableResult, SubmissionResult, SubmissionSuccess } from '../submission/results.js';
import { submitGeneration as submitWithService, type SubmissionRequest } from '../submission/service.js';
import type { Context } from '../services.js';
import { builder } from './builder.js';
import { viewerOf } from './auth-scopes.js';
import { ErrorInterface, InsufficientCreditsFailure, ResultError, ValidationFailure, type ValidationErrorResult } from './errors.js';
import { JobType } from './job.js';

/**
 * What both generate mutations share: reference and output inputs, the result union, and the
 * one submit path (catalog validation -> availability -> one transaction -> wake-ups).
 */

export const MediaRefInput = builder.inputType('MediaRef', {
  description: 'One reference image, by uploaded media id, by http(s) URL, or inline as a base64 data URL. Order matters: `[image 1]` in a prompt is the first.',
  isOneOf: true,
  fields: (t) => ({
    mediaId: t.id({ description: 'Id of an uploaded Media.' }),
    url: t.string({ description: 'An http(s) URL Pictor fetches (after an SSRF check).' }),
    dataUrl: t.string({ description: '`data:image/png;base64,...` (png, jpeg or webp).' }),
  }),
});

const OutputFormatEnum = builder.enumType('OutputFormat', {
  description: 'The file format to store outputs in.',
  values: {
    PNG: { value: 'png', description: 'PNG (lossless, transparency).' },
    WEBP: { value: 'webp', description: 'WebP (small, transparency).' },
    JPEG: { value: 'jpeg', description: 'JPEG (small, no transparency).' },
    SVG: { value: 'svg', description: 'SVG vector graphics (vectorizing models).' },
  } as const,
});
const BackgroundEnum = builder.enumType('Background', {
  description: 'The background of the outputs, where the model can choose.',
  values: {
    AUTO: { value: 'auto', description: 'The model decides.' },
    TRANSPARENT: { value: 'transparent', description: 'Needs png or webp output.' },
    OPAQUE: { value: 'opaque', description: 'Always a filled background.' },
  } as const,
});

export const OutputInput = builder.inputType('OutputInput', {
  description: 'How outputs are encoded and stored.',
  fields: (t) => ({
    format: t.field({ type: OutputFormatEnum, description: "File format; omitted: the model's default." }),
    compression: t.int({ description: "0-100 for webp and jpeg, as OpenAI's output_compression (100 keeps the most detail)." }),
    background: t.field({ type: BackgroundEnum, description: 'Transparent or opaque, where the model can choose.' }),
  }),
});

class ModelUnavailableFailure extends ResultError<ModelUnavailableResult> {}
class IdempotencyConflictFailure extends ResultError<IdempotencyConflictResult> {}

builder.objectType(ModelUnavailableFailure, {
  name: 'ModelUnavailableError',
  description: 'No provider for this model is configured in this deployment; nothing was created or charged.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ modelId: t.string({ description: 'The model asked for.', resolve: (error) => error.result.modelId }) }),
});

builder.objectType(IdempotencyConflictFailure, {
  name: 'IdempotencyConflictError',
  description: 'The idempotency key was used with a different request; nothing was created or charged.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ jobId: t.id({ description: 'The job created by the first request with this key.', resolve: (error) => error.result.jobId }) }),
});

const GenerateImageSuccessType = builder.objectRef<SubmissionSuccess>('GenerateImageSuccess').implement({
  description: 'The job was created (or, for a repeated idempotency key, found).',
  fields: (t) => ({ job: t.field({ type: JobType, description: 'The job, QUEUED when just created.', resolve: (result) => result.job }) }),
});

export const GenerateImageResultType = builder.errorUnion('GenerateImageResult', {
  description: 'The job, or why none was created.',
  types: [GenerateImageSuccessType, ValidationFailure, InsufficientCreditsFailure, ModelUnavailableFailure, IdempotencyConflictFailure],
  // Failures are resolved by their class; anything else is the success.
  resolveType: () => 'GenerateImageSuccess',
});

export type GenerateResult = SubmissionSuccess | ValidationFailure | InsufficientCreditsFailure | ModelUnavailableFailure | IdempotencyConflictFailure;

/** The typed value of a submission outcome: the success itself, or its failure as an error instance. */
export function typedResult(result: SubmissionResult | ValidationErrorResult): GenerateResult {
  switch (result.kind) {
    case 'GenerateImageSuccess':
      return result;
    case 'ValidationError':
      return new ValidationFailure(result);
    case 'InsufficientCreditsError':
      return new InsufficientCreditsFailure(result);
    case 'ModelUnavailableError':
      return new ModelUnavailableFailure(result);
    case 'IdempotencyConflictError':
      return new IdempotencyConflictFailure(result);
    default: {
      const exhaustive: never = result;
      throw new Error(`unexpected submission result ${JSON.stringify(exhaustive)}`);
    }
  }
}

export type GenerationRequest = Omit<SubmissionRequest, 'idempotencyKey'> & { idempotencyKey: string | null | undefined };

/** Submits for the viewer through the one submission service; the input field's key wins over the header's. */
export async function submitGeneration(context: Context, request: GenerationRequest): Promise<GenerateResult> {
  const viewer = viewerOf(context);
  return typedResult(await submitWithService(context.services, viewer, { ...request, idempotencyKey: request.idempotencyKey ?? context.idempotencyKey ?? null }));
}

/** GraphQL input objects carry null for omitted fields; params and options want them absent. */
export function withoutNulls<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  // A loop over the own keys: it runs on every submission's params (Object.entries and fromEntries allocated three arrays).
  const present: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const value = (input as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) present[key] = value;
  }
  return present as never;
}

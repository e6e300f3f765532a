import { randomInt, randomUUID } from 'node:crypto';
import { modelAvailability } from '../catalog/discovery.js';
import type { NormalizedOptions } from '../catalog/normalize-options.js';
import type { ModelDefinition } from '../catalog/spec.js';
import { prepareGeneration, type ValidationIssue as CatalogIssue } from '../catalog/validate.js';
import type { JobRecord, OutputRequest, ReferenceImage } from '../jobs/records.js';
import { claimIdempotencyKey, IDEMPOTENCY_TTL_HOURS, requestHash } from '../jobs/idempotency.js';
import { submitJob } from '../jobs/submit.js';
import type { Context } from '../services.js';
import { parseJobWebhook, webhookUrlPolicy, type JobWebhookInput } from '../webhooks/validate.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import {
  ErrorInterface,
  InsufficientCreditsErrorType,
  validationError,
  ValidationErrorType,
  type ErrorResult,
  type InsufficientCreditsResult,
  type ValidationErrorResult,
  type ValidationIssue,
} from './errors.js';
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
  values: { PNG: { value: 'png' }, WEBP: { value: 'webp' }, JPEG: { value: 'jpeg' }, SVG: { value: 'svg' } } as const,
});
const BackgroundEnum = builder.enumType('Background', {
  values: { AUTO: { value: 'auto' }, TRANSPARENT: { value: 'transparent', description: 'Needs png or webp output.' }, OPAQUE: { value: 'opaque' } } as const,
});

export const OutputInput = builder.inputType('OutputInput', {
  description: 'How outputs are encoded and stored.',
  fields: (t) => ({
    format: t.field({ type: OutputFormatEnum }),
    compression: t.int({ description: '0-100 for webp and jpeg, as OpenAI\'s output_compression (100 keeps the most detail).' }),
    background: t.field({ type: BackgroundEnum }),
  }),
});

interface ModelUnavailableResult extends ErrorResult {
  readonly kind: 'ModelUnavailableError';
  readonly modelId: string;
}

const ModelUnavailableErrorType = builder.objectRef<ModelUnavailableResult>('ModelUnavailableError').implement({
  description: 'No provider for this model is configured in this deployment; nothing was created or charged.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => (value as { kind?: string }).kind === 'ModelUnavailableError',
  fields: (t) => ({ modelId: t.exposeString('modelId') }),
});

interface IdempotencyConflictResult extends ErrorResult {
  readonly kind: 'IdempotencyConflictError';
  /** The job the key already belongs to. */
  readonly jobId: string;
}

const IdempotencyConflictErrorType = builder.objectRef<IdempotencyConflictResult>('IdempotencyConflictError').implement({
  description: 'The idempotency key was used with a different request; nothing was created or charged.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => (value as { kind?: string }).kind === 'IdempotencyConflictError',
  fields: (t) => ({ jobId: t.exposeID('jobId', { description: 'The job created by the first request with this key.' }) }),
});

interface GenerateSuccess {
  readonly kind: 'GenerateImageSuccess';
  readonly job: JobRecord;
}
export type GenerateResult = GenerateSuccess | ValidationErrorResult | InsufficientCreditsResult | ModelUnavailableResult | IdempotencyConflictResult;

const GenerateImageSuccessType = builder.objectRef<GenerateSuccess>('GenerateImageSuccess').implement({
  isTypeOf: (value) => (value as { kind?: string }).kind === 'GenerateImageSuccess',
  fields: (t) => ({ job: t.field({ type: JobType, resolve: (result) => result.job }) }),
});

export const GenerateImageResultType = builder.unionType('GenerateImageResult', {
  types: [GenerateImageSuccessType, ValidationErrorType, InsufficientCreditsErrorType, ModelUnavailableErrorType, IdempotencyConflictErrorType],
  resolveType: (value) => value.kind,
});

const MAX_SEED = 2 ** 31 - 1;
const DATA_URL = /^data:image\/(png|jpeg|jpg|webp);base64,[A-Za-z0-9+/=\s]+$/;

type MediaRefValue = { mediaId?: string | number | null; url?: string | null; dataUrl?: string | null };

/** Shape checks on references; fetching and decoding happen when the job runs. */
function parseReferences(references: readonly MediaRefValue[]): { images: ReferenceImage[]; formats: string[]; issues: ValidationIssue[] } {
  const images: ReferenceImage[] = [];
  const formats: string[] = [];
  const issues: ValidationIssue[] = [];
  references.forEach((reference, index) => {
    const path = ['references', String(index)];
    if (reference.mediaId != null) {
      const id = String(reference.mediaId);
      if (!/^[0-9a-f-]{36}$/i.test(id)) issues.push({ path: [...path, 'mediaId'], message: 'not a media id' });
      images.push({ mediaId: id });
    } else if (reference.url != null) {
      let valid = false;
      try {
        valid = ['http:', 'https:'].includes(new URL(reference.url).protocol);
      } catch {
        valid = false;
      }
      if (!valid) issues.push({ path: [...path, 'url'], message: 'must be an http(s) URL' });
      images.push({ url: reference.url });
    } else if (reference.dataUrl != null) {
      const match = DATA_URL.exec(reference.dataUrl);
      if (!match) issues.push({ path: [...path, 'dataUrl'], message: 'must be a base64 data URL of a png, jpeg or webp image' });
      else formats[index] = match[1] === 'jpg' ? 'jpeg' : match[1]!;
      images.push({ dataUrl: reference.dataUrl });
    }
  });
  return { images, formats, issues };
}

export interface GenerationRequest {
  model: ModelDefinition;
  /** Raw params (may include prompt). */
  params: Record<string, unknown>;
  references: readonly MediaRefValue[];
  n: number;
  seed: number | null | undefined;
  template: string | null | undefined;
  options: NormalizedOptions;
  idempotencyKey: string | null | undefined;
  /** Where params issues point in this mutation's input (`['model', 'nanoBanana2']` or `['params']`). */
  paramsPath: string[];
  /** Where each normalized option lives in this mutation's input. */
  optionPaths: Readonly<Record<string, string[]>>;
  /** Where the prompt lives, when it is a field of its own. */
  promptPath?: string[];
  /** The job's own webhook (`webhook: { url, events }`). */
  webhook?: JobWebhookInput | null;
}

const CommonInputs = new Set(['references', 'n', 'seed', 'template']);

/** Maps a catalog issue path (relative to params, or a common input) onto the mutation's input. */
function inputPath(issue: CatalogIssue, request: GenerationRequest): string[] {
  const [head, ...rest] = issue.path;
  if (head === 'options' && rest[0]) return request.optionPaths[rest[0]] ?? ['options', ...rest];
  if (head && CommonInputs.has(head) && !(head in request.model.params.shape)) return issue.path;
  if (head === 'model') return issue.path;
  if (head === 'prompt' && request.promptPath) return [...request.promptPath, ...rest];
  return [...request.paramsPath, ...issue.path];
}

/** Validates and submits a generation for the viewer; the one path of every generate mutation. */
export async function submitGeneration(context: Context, request: GenerationRequest): Promise<GenerateResult> {
  const viewer = viewerOf(context);
  const references = parseReferences(request.references);
  const issues: ValidationIssue[] = [...references.issues];
  if (request.seed != null && (request.seed < 0 || request.seed > MAX_SEED)) issues.push({ path: ['seed'], message: `must be between 0 and ${MAX_SEED}` });
  const idempotencyKey = request.idempotencyKey ?? context.idempotencyKey ?? null;
  if (idempotencyKey != null && (idempotencyKey.length < 1 || idempotencyKey.length > 255)) {
    issues.push({ path: ['idempotencyKey'], message: 'must be 1 to 255 characters' });
  }
  const webhook = parseJobWebhook(request.webhook, webhookUrlPolicy(context.services.config));
  issues.push(...webhook.issues);
  const prepared = prepareGeneration(request.model, {
    params: request.params,
    referenceCount: references.images.length,
    referenceFormats: references.formats.filter(Boolean),
    n: request.n,
    ...(request.seed != null ? { seed: request.seed } : {}),
    ...(request.template != null ? { template: request.template } : {}),
    options: request.options,
  });
  if (!prepared.ok) for (const issue of prepared.issues) issues.push({ path: inputPath(issue, request), message: issue.message });
  if (issues.length > 0 || !prepared.ok) return validationError(issues);

  const availability = modelAvailability(prepared.model, new Set(context.services.providers.keys()));
  if (!availability.available) {
    return { kind: 'ModelUnavailableError', code: 'MODEL_UNAVAILABLE', message: availability.reason ?? `${prepared.model.id} cannot run here`, modelId: prepared.model.id };
  }

  const { database, config } = context.services;
  const output: OutputRequest = {
    ...(prepared.output.format ? { format: prepared.output.format } : {}),
    ...(prepared.output.compression !== undefined ? { compression: prepared.output.compression } : {}),
    ...(prepared.output.background ? { background: prepared.output.background } : {}),
  };
  const seed = request.seed ?? randomInt(0, MAX_SEED);
  const referenceImages = [...references.images, ...prepared.extraReferenceUrls.map((url) => ({ url }))];
  const hash = requestHash({ model: request.model.id, params: request.params, references: references.images, n: request.n, seed: request.seed ?? null, template: request.template ?? null, options: request.options, webhook: request.webhook ?? null });
  const jobId = randomUUID();
  const submission = {
    jobId,
    accountId: viewer.accountId,
    modelId: prepared.model.id,
    requestedModelId: prepared.upgradedFrom ?? null,
    params: prepared.params,
    n: request.n,
    calls: prepared.calls,
    referenceImages,
    output,
    template: prepared.template?.slug ?? null,
    seed,
    price: prepared.price,
    maxAttempts: config.worker.maxAttempts,
    timeoutMs: prepared.model.timeoutMs,
    warnings: prepared.warnings,
    idempotencyKey,
    webhook: webhook.webhook,
  };
  // Without a key the submit is one atomic statement; with one, the key is claimed in the same
  // transaction, and a refused job must leave no key behind (the throw rolls it back).
  const result = !idempotencyKey
    ? await submitJob(database.sql, submission)
    : await database.sql
        .begin(async (tx) => {
          const claim = await claimIdempotencyKey(tx, viewer.accountId, idempotencyKey, hash, jobId);
          if (claim.kind !== 'claimed') return claim;
          const submitted = await submitJob(tx, submission);
          if (submitted.kind === 'insufficient-credits') throw new Refused(submitted);
          return submitted;
        })
        .catch((error: unknown) => {
          if (error instanceof Refused) return error.result;
          throw error;
        });
  if (result.kind === 'conflict') {
    return {
      kind: 'IdempotencyConflictError',
      code: 'IDEMPOTENCY_CONFLICT',
      message: `Idempotency key ${JSON.stringify(idempotencyKey)} was already used with a different request in the last ${IDEMPOTENCY_TTL_HOURS} hours`,
      jobId: result.jobId,
    };
  }
  if (result.kind === 'insufficient-credits') {
    return {
      kind: 'InsufficientCreditsError',
      code: 'INSUFFICIENT_CREDITS',
      message: `This job costs ${result.required} credits; the balance is ${result.available}`,
      required: result.required,
      available: result.available,
    };
  }
  if (result.kind === 'queued') context.services.afterJobWrite();
  return { kind: 'GenerateImageSuccess', job: result.job };
}

/** Carries a refusal out of the transaction so it rolls back. */
class Refused extends Error {
  constructor(readonly result: { kind: 'insufficient-credits'; required: number; available: number }) {
    super('refused');
  }
}

/** GraphQL input objects carry null for omitted fields; params and options want them absent. */
export function withoutNulls<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as never;
}

import { randomInt, randomUUID } from 'node:crypto';
import { modelAvailability } from '../catalog/listing/discovery.js';
import type { NormalizedOptions } from '../catalog/rules/normalize.js';
import { UnstorableText } from '../text.js';
import type { ModelDefinition } from '../catalog/spec.js';
import { prepareGeneration } from '../catalog/rules/validate.js';
import type { Services, Viewer } from '../services.js';
import { parseJobWebhook, webhookUrlPolicy, type JobWebhookInput } from '../webhooks/validate.js';
import { claimIdempotencyKey, IDEMPOTENCY_TTL_HOURS, requestHash } from '../jobs/idempotency.js';
import type { OutputRequest } from '../catalog/request.js';
import type { ReferenceImage } from '../jobs/records.js';
import { validationError, type SubmissionResult } from './results.js';
import type { ValidationIssue } from '../catalog/rules/issues.js';
import { submitJob } from '../jobs/submit.js';

/**
 * The one submission path of every front end (the GraphQL mutations and each REST wire format):
 * shape checks, catalog validation, availability, then one transaction (idempotency key, credit
 * hold, job row, QUEUED event) and the wake-ups. Front ends only translate their input into a
 * `SubmissionRequest` and render the `SubmissionResult`.
 */

/** Seeds Pictor chooses when the caller gives none (any seed up to the catalog's MaxSeed is accepted). */
export const RandomSeedMax = 2 ** 31 - 1;
const DataUrl = /^data:image\/(png|jpeg|jpg|webp);base64,[A-Za-z0-9+/=\s]+$/;

/** One reference image as a client names it: exactly one field set. */
export type MediaRefValue = { mediaId?: string | number | null; url?: string | null; dataUrl?: string | null };

export interface SubmissionRequest {
  model: ModelDefinition;
  /** Raw params (may include prompt). */
  params: Record<string, unknown>;
  references: readonly MediaRefValue[];
  /** An edit mask (OpenAI's: transparent pixels mark where to edit); needs at least one reference. */
  mask?: MediaRefValue | null;
  n: number;
  seed: number | null | undefined;
  template: string | null | undefined;
  options: NormalizedOptions;
  idempotencyKey: string | null | undefined;
  /** Where params issues point in the caller's input (`['model', 'nanoBanana2']` or `['params']`). */
  paramsPath: string[];
  /** Where each normalized option lives in the caller's input. */
  optionPaths: Readonly<Record<string, string[]>>;
  /** Where the prompt lives, when it is a field of its own. */
  promptPath?: string[];
  /** Where references and the mask live in the caller's input (default `references`, `mask`). */
  referencesPath?: string[];
  maskPath?: string[];
  /** The job's own webhook (`webhook: { url, events }`). */
  webhook?: JobWebhookInput | null;
  /** Things the wire translation did not do as asked (ignored fields); shown on the job. */
  warnings?: readonly string[];
  /**
   * Upstream-specific settings to forward as they are (OpenRouter's `provider` object), kept on
   * the job when one of the model's routes runs on an upstream that takes them; otherwise
   * `unusedWarnings` go on the job instead.
   */
  providerPassthrough?: { value: Record<string, unknown>; unusedWarnings: readonly string[] };
}

/** Shape checks on references; fetching and decoding happen when the job runs. */
function parseReferences(references: readonly MediaRefValue[], basePath: string[]): { images: ReferenceImage[]; formats: string[]; issues: ValidationIssue[] } {
  const images: ReferenceImage[] = [];
  const formats: string[] = [];
  const issues: ValidationIssue[] = [];
  references.forEach((reference, index) => {
    const path = [...basePath, String(index)];
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
      const match = DataUrl.exec(reference.dataUrl);
      if (!match) issues.push({ path: [...path, 'dataUrl'], message: 'must be a base64 data URL of a png, jpeg or webp image' });
      else formats[index] = match[1] === 'jpg' ? 'jpeg' : match[1]!;
      images.push({ dataUrl: reference.dataUrl });
    }
  });
  return { images, formats, issues };
}

/** PostgreSQL's jsonb cannot hold NUL characters or unpaired surrogates: such text is refused up front. */
function storable(text: string): boolean {
  return !UnstorableText.test(text);
}

/** Every string inside `value` that could not be stored, by path. */
function unstorableTextIssues(value: unknown, path: string[], depth = 0): ValidationIssue[] {
  if (typeof value === 'string') return storable(value) ? [] : [{ path, message: 'must not contain NUL characters or unpaired surrogates' }];
  if (depth > 8 || value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    storable(key) ? unstorableTextIssues(item, [...path, key], depth + 1) : [{ path, message: 'keys must not contain NUL characters or unpaired surrogates' }],
  );
}

/** Passthrough settings are stored as sent: storable text, bounded size and depth. */
function passthroughIssues(value: Record<string, unknown>, path: string[]): ValidationIssue[] {
  const depthOf = (item: unknown): number => (item !== null && typeof item === 'object' ? 1 + Math.max(0, ...Object.values(item).map(depthOf)) : 0);
  if (JSON.stringify(value).length > MaxPassthroughBytes) return [{ path, message: `must be at most ${MaxPassthroughBytes} bytes as JSON` }];
  if (depthOf(value) > 8) return [{ path, message: 'must not be nested more than 8 levels deep' }];
  return unstorableTextIssues(value, path);
}
const MaxPassthroughBytes = 16_384;

/** Warnings may quote what the client sent; keep them storable. */
function storableWarning(text: string): string {
  return text.replace(new RegExp(UnstorableText.source, 'g'), '\uFFFD');
}

const CommonInputs = new Set(['references', 'n', 'seed', 'template']);

/** Maps a catalog issue path (relative to params, or a common input) onto the caller's input. */
function inputPath(issue: ValidationIssue, request: SubmissionRequest): string[] {
  const [head, ...rest] = issue.path;
  if (head === 'options' && rest[0]) return request.optionPaths[rest[0]] ?? ['options', ...rest];
  if (head === 'references' && request.referencesPath && !(head in request.model.params.shape)) return [...request.referencesPath, ...rest];
  if (head && CommonInputs.has(head) && !(head in request.model.params.shape)) return issue.path;
  if (head === 'model') return issue.path;
  if (head === 'prompt' && request.promptPath) return [...request.promptPath, ...rest];
  return [...request.paramsPath, ...issue.path];
}

/**
 * What a repeated request with the same idempotency key must match: the request as sent. The
 * name asked for is part of it: `gpt_4o` and `gpt-image-1` are priced differently. Only a request
 * with a key needs it.
 */
function requestFingerprint(request: SubmissionRequest, references: readonly ReferenceImage[]): string {
  const rules = request.model.serviceRules;
  return requestHash({
    model: rules ? `${rules.service}:${rules.name}` : request.model.id,
    params: request.params,
    references,
    n: request.n,
    seed: request.seed ?? null,
    template: request.template ?? null,
    options: request.options,
    webhook: request.webhook ?? null,
    // Only present when sent, so hashes of requests without a mask stay as they were.
    ...(request.mask ? { mask: request.mask } : {}),
    ...(request.providerPassthrough ? { providerPassthrough: request.providerPassthrough.value } : {}),
  });
}

/** Validates and submits a generation for the viewer (who must hold the `generate` scope). */
export async function submitGeneration(services: Services, viewer: Viewer, request: SubmissionRequest): Promise<SubmissionResult> {
  const referencesPath = request.referencesPath ?? ['references'];
  const maskPath = request.maskPath ?? ['mask'];
  const references = parseReferences(request.references, referencesPath);
  const issues: ValidationIssue[] = [...references.issues];
  for (const [key, value] of Object.entries(request.params)) {
    issues.push(...unstorableTextIssues(value, key === 'prompt' && request.promptPath ? request.promptPath : [...request.paramsPath, key]));
  }
  if (request.providerPassthrough) issues.push(...passthroughIssues(request.providerPassthrough.value, ['provider']));
  for (const [name, value] of [
    ['template', request.template],
    ['idempotencyKey', request.idempotencyKey],
  ] as const) {
    if (typeof value === 'string' && !storable(value)) issues.push({ path: [name], message: 'must not contain NUL characters or unpaired surrogates' });
  }
  if (issues.length > 0) return validationError(issues);
  const warnings: string[] = (request.warnings ?? []).map(storableWarning);
  let mask: ReferenceImage | undefined;
  if (request.mask) {
    const parsed = parseReferences([request.mask], maskPath);
    issues.push(...parsed.issues.map((issue) => ({ ...issue, path: [...maskPath, ...issue.path.slice(maskPath.length + 1)] })));
    if (references.images.length === 0) issues.push({ path: maskPath, message: 'a mask needs an image to edit' });
    else if (!request.model.acceptsMask) warnings.push(`${request.model.id} takes no mask; the mask was ignored`);
    else mask = { ...parsed.images[0]!, role: 'mask' };
  }
  // The seed's range is checked once, by the catalog (one message for one mistake).
  const idempotencyKey = request.idempotencyKey ?? null;
  if (idempotencyKey != null && (idempotencyKey.length < 1 || idempotencyKey.length > 255)) {
    issues.push({ path: ['idempotencyKey'], message: 'must be 1 to 255 characters' });
  }
  const webhook = parseJobWebhook(request.webhook, webhookUrlPolicy(services.config));
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

  const availability = modelAvailability(prepared.model, new Set(services.providers.keys()));
  if (!availability.available) {
    return { kind: 'ModelUnavailableError', code: 'MODEL_UNAVAILABLE', message: availability.reason ?? `${prepared.model.id} cannot run here`, modelId: prepared.model.id };
  }

  const { database, config } = services;
  const output: OutputRequest = {
    ...(prepared.output.format ? { format: prepared.output.format } : {}),
    ...(prepared.output.compression !== undefined ? { compression: prepared.output.compression } : {}),
    ...(prepared.output.background ? { background: prepared.output.background } : {}),
  };
  const seed = request.seed ?? randomInt(0, RandomSeedMax);
  const forwardsPassthrough = prepared.model.routes.some((route) => services.providers.get(route.provider)?.forwardsPassthrough === true);
  const providerPassthrough = request.providerPassthrough && forwardsPassthrough ? request.providerPassthrough.value : null;
  if (request.providerPassthrough && !forwardsPassthrough) warnings.push(...request.providerPassthrough.unusedWarnings);
  const referenceImages = [...references.images, ...prepared.templateReferences, ...(mask ? [mask] : [])];
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
    warnings: [...warnings, ...prepared.warnings],
    idempotencyKey,
    webhook: webhook.webhook,
    providerPassthrough,
  };
  // Without a key the submit is one atomic statement, shared with concurrent submissions (see
  // JobSubmitter); with one, the key is claimed in the same transaction, and a refused job must
  // leave no key behind (the throw rolls it back).
  const result = !idempotencyKey
    ? await services.submitter.submit(submission)
    : await database.sql
        .begin(async (tx) => {
          const claim = await claimIdempotencyKey(tx, viewer.accountId, idempotencyKey, requestFingerprint(request, references.images), jobId);
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
  return { kind: 'GenerateImageSuccess', job: result.job };
}

/** Carries a refusal out of the transaction so it rolls back. */
class Refused extends Error {
  constructor(readonly result: { kind: 'insufficient-credits'; required: number; available: number }) {
    super('refused');
  }
}

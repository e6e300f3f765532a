import { randomInt } from 'node:crypto';
import type { ModelDefinition } from '../catalog/spec.js';
import { submitJob } from '../jobs/submit.js';
import type { JobRecord } from '../jobs/records.js';
import type { Context } from '../services.js';
import { builder } from './builder.js';
import {
  InsufficientCreditsErrorType,
  requireViewer,
  validationError,
  ValidationErrorType,
  type InsufficientCreditsResult,
  type ValidationErrorResult,
  type ValidationIssue,
} from './errors.js';
import { JobType } from './job.js';
import { GenerateImageModelInput, modelsByField } from './model-inputs.js';

interface GenerateSuccess {
  readonly kind: 'GenerateImageSuccess';
  readonly job: JobRecord;
}
type GenerateResult = GenerateSuccess | ValidationErrorResult | InsufficientCreditsResult;

const GenerateImageSuccessType = builder.objectRef<GenerateSuccess>('GenerateImageSuccess').implement({
  isTypeOf: (value) => (value as { kind?: string }).kind === 'GenerateImageSuccess',
  fields: (t) => ({ job: t.field({ type: JobType, resolve: (result) => result.job }) }),
});

const GenerateImageResultType = builder.unionType('GenerateImageResult', {
  types: [GenerateImageSuccessType, ValidationErrorType, InsufficientCreditsErrorType],
  resolveType: (value) => value.kind,
});

const GenerateImageInputType = builder.inputType('GenerateImageInput', {
  fields: (t) => ({
    model: t.field({ type: GenerateImageModelInput, required: true, description: 'The model and its parameters.' }),
    n: t.int({ defaultValue: 1, description: 'Number of images (1 to the model\'s maxN).' }),
    seed: t.int({ description: 'For reproducible results; chosen at random (and reported on the job) when omitted.' }),
    idempotencyKey: t.string({ description: 'Repeating a request with the same key returns the original job instead of a new one.' }),
  }),
});

const MAX_SEED = 2 ** 31 - 1;

export interface GenerationRequest {
  model: ModelDefinition;
  params: Record<string, unknown>;
  n: number;
  seed: number | null | undefined;
  idempotencyKey: string | null | undefined;
  /** Prefix of issue paths pointing at the params (`['model', 'placeholder']`). */
  paramsPath: string[];
}

/** Validates and submits a generation for the viewer; shared by every generate mutation. */
export async function submitGeneration(context: Context, request: GenerationRequest): Promise<GenerateResult> {
  const viewer = requireViewer(context, 'generate');
  const { model } = request;
  const issues: ValidationIssue[] = [];
  const parsed = model.params.safeParse(request.params);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push({ path: [...request.paramsPath, ...issue.path.map(String)], message: issue.message });
  }
  if (!Number.isInteger(request.n) || request.n < 1 || request.n > model.capabilities.maxN) {
    issues.push({ path: ['n'], message: `must be between 1 and ${model.capabilities.maxN} for ${model.id}` });
  }
  if (request.seed != null && (request.seed < 0 || request.seed > MAX_SEED)) issues.push({ path: ['seed'], message: `must be between 0 and ${MAX_SEED}` });
  if (request.idempotencyKey != null && (request.idempotencyKey.length < 1 || request.idempotencyKey.length > 255)) {
    issues.push({ path: ['idempotencyKey'], message: 'must be 1 to 255 characters' });
  }
  if (issues.length > 0 || !parsed.success) return validationError(issues);

  const params = parsed.data as Record<string, unknown>;
  const { database, config } = context.services;
  const findExisting = async () => {
    if (!request.idempotencyKey) return undefined;
    const [existing] = await database.sql<JobRecord[]>`
      select * from jobs where account_id = ${viewer.accountId} and idempotency_key = ${request.idempotencyKey}`;
    return existing ? { kind: 'existing' as const, job: existing } : undefined;
  };
  const submit = () => database.sql.begin(async (tx) => {
    return submitJob(tx, {
      accountId: viewer.accountId,
      modelId: model.id,
      params,
      n: request.n,
      seed: request.seed ?? randomInt(0, MAX_SEED),
      price: model.price(params as never) * request.n,
      maxAttempts: config.worker.maxAttempts,
      timeoutMs: model.timeoutMs,
      warnings: [],
      idempotencyKey: request.idempotencyKey,
    });
  });
  // Two requests racing with one key: the unique index lets one insert; the other returns its job.
  const result =
    (await findExisting()) ??
    (await submit().catch(async (error: { code?: string; constraint_name?: string }) => {
      if (error.code === '23505' && error.constraint_name === 'jobs_idempotency_idx') {
        const existing = await findExisting();
        if (existing) return existing;
      }
      throw error;
    }));
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

/** GraphQL input objects carry undefined/null for omitted fields; params want them absent. */
function withoutNulls(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
}

builder.mutationFields((t) => ({
  generateImage: t.field({
    type: GenerateImageResultType,
    description: 'Starts a generation job. Invalid input or a short balance is returned as an error result and creates nothing.',
    args: { input: t.arg({ type: GenerateImageInputType, required: true }) },
    resolve: (_root, { input }, context) => {
      const [field, params] = Object.entries(input.model as Record<string, Record<string, unknown> | null>).find(([, value]) => value != null) ?? [];
      const model = field ? modelsByField.get(field) : undefined;
      if (!field || !model || !params) return validationError([{ path: ['model'], message: 'choose exactly one model' }]);
      return submitGeneration(context, {
        model,
        params: withoutNulls(params),
        n: input.n ?? 1,
        seed: input.seed,
        idempotencyKey: input.idempotencyKey,
        paramsPath: ['model', field],
      });
    },
  }),
}));

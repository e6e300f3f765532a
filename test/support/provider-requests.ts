import { expect } from 'vitest';
import { findModel } from '../../src/catalog/index.js';
import { UpstreamError } from '../../src/providers/errors.js';
import type { GenerationResult, ImageProvider, ProgressUpdate } from '../../src/providers/spec.js';
import type { GenerationRequest } from '../../src/catalog/request.js';

/** What an adapter test fills in when it does not care: one image, no references, default output. */
export interface RequestDefaults {
  /** Used when the model takes a prompt and the test gives none. */
  prompt: string;
  seed: number;
  /** The upstream model when the catalog has no route for the provider (engines addressed by their own id). */
  fallbackUpstreamModel?: string;
  /** Also hand the route's edit endpoint over (providers that split generation and editing). */
  withEditModel?: boolean;
}

/**
 * A request as the job runner builds it for `provider`: the catalog model's parameter defaults
 * applied, the route's upstream model id.
 */
export function catalogRequest(provider: string, defaults: RequestDefaults, modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  const model = findModel(modelId);
  if (!model) throw new Error(`no catalog model ${modelId}`);
  const route = model.routes.find((candidate) => candidate.provider === provider);
  const upstreamModel = route?.upstreamModel ?? defaults.fallbackUpstreamModel;
  if (!upstreamModel) throw new Error(`${modelId} has no ${provider} route`);
  const prompt = 'prompt' in model.params.shape ? { prompt: defaults.prompt } : {};
  return {
    modelId: model.id,
    upstreamModel,
    ...(defaults.withEditModel && route?.upstreamEditModel ? { upstreamEditModel: route.upstreamEditModel } : {}),
    params: model.params.parse({ ...prompt, ...params }),
    n: 1,
    seed: defaults.seed,
    references: [],
    output: {},
    ...extra,
  };
}

/** `catalogRequest` with the route's edit endpoint: the request as the runner hands it to `provider`. */
export function routedRequest(provider: string, defaults: RequestDefaults, modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return catalogRequest(provider, { ...defaults, withEditModel: true }, modelId, params, extra);
}

/** A request addressed to an upstream model by its own id, params as given (adapters that pass any model through). */
export function upstreamRequest(upstreamModel: string, params: Record<string, unknown>, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return { modelId: upstreamModel, upstreamModel, params, n: 1, seed: 42, references: [], output: {}, ...extra };
}

/** Runs an adapter to completion, collecting the progress it reported. */
export async function runAdapter(adapter: ImageProvider, request: GenerationRequest, signal = new AbortController().signal): Promise<{ result: GenerationResult; progress: ProgressUpdate[] }> {
  const progress: ProgressUpdate[] = [];
  const result = await adapter.run(request, { signal, onProgress: (update) => progress.push(update) });
  return { result, progress };
}

/** The error `promise` rejects with, asserted to be a `type` (fails the test when it resolves). */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The `UpstreamError` an adapter run ends with. */
export function adapterFailure(adapter: ImageProvider, request: GenerationRequest): Promise<UpstreamError> {
  return rejectionOf(adapter.run(request, { signal: new AbortController().signal, onProgress: () => undefined }), UpstreamError);
}

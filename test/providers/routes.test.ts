import { describe, expect, it } from 'vitest';
import { findModel, models } from '../../src/catalog/index.js';
import type { ModelDefinition, ModelRoute } from '../../src/catalog/spec.js';
import { loadConfig } from '../../src/config.js';
import { ApiframeImageProvider } from '../../src/providers/apiframe/provider.js';
import { UpstreamError } from '../../src/providers/errors.js';
import { FalImageProvider } from '../../src/providers/fal/provider.js';
import { createProviders, routeProblems } from '../../src/providers/registry.js';
import { ReplicateImageProvider } from '../../src/providers/replicate/provider.js';

/**
 * A model declares each route's parameter mapping beside its params; an adapter never guesses
 * one. The registry checks every catalog route before building adapters, and an adapter asked
 * for a model it has no mapping for refuses without calling the upstream.
 */

/** A catalog entry like an existing model, with other routes. */
function withRoutes(modelId: string, routes: readonly ModelRoute[]): ModelDefinition {
  return { ...findModel(modelId)!, routes };
}

/** Fails the test if an adapter reaches the network. */
const noNetwork: typeof fetch = async () => {
  throw new Error('the adapter called the upstream');
};

describe('model routes', () => {
  it('every catalog route is one its adapter can run as declared', () => {
    expect(routeProblems()).toEqual([]);
    expect(() => createProviders(loadConfig({ DATA_DIR: '/tmp/pictor-routes-test' }))).not.toThrow();
  });

  it('a route to fal, Replicate or Apiframe without a mapping is a start-up problem naming the model and route', () => {
    // The type check refuses these routes; the registry refuses them from any catalog it is given.
    const unmapped = [
      { provider: 'fal', upstreamModel: 'fal-ai/bytedance/seedream/v4/text-to-image' },
      { provider: 'replicate', upstreamModel: 'bytedance/seedream-4' },
      { provider: 'apiframe', upstreamModel: 'seedream-9' },
      // Providers that map params in code need nothing on the route.
      { provider: 'openai', upstreamModel: 'gpt-image-1' },
    ] as unknown as readonly ModelRoute[];
    const catalog = [withRoutes('seedream-4', unmapped)];
    expect(routeProblems(catalog)).toEqual([
      'seedream-4 -> fal fal-ai/bytedance/seedream/v4/text-to-image: the route declares no input mapping for fal',
      'seedream-4 -> replicate bytedance/seedream-4: the route declares no input mapping for Replicate',
      "seedream-4 -> apiframe seedream-9: the route declares no parameter mapping for Apiframe's seedream-9",
    ]);
  });

  it('fal, Replicate and Apiframe refuse a model the catalog does not route to them, without calling the upstream', async () => {
    const model = models.find((candidate) => candidate.id === 'gpt-image-2')!;
    expect(model.routes.some((route) => ['fal', 'replicate', 'apiframe'].includes(route.provider))).toBe(false);
    const request = { modelId: model.id, upstreamModel: 'gpt-image-2', params: model.params.parse({ prompt: 'a lighthouse' }), n: 1, seed: 1, references: [], output: {} };
    const options = { signal: new AbortController().signal, onProgress: () => {} };
    const settings = { apiKey: 'key', baseUrl: 'http://127.0.0.1:9', fetch: noNetwork, pollIntervalMs: 5 };
    for (const adapter of [new FalImageProvider(settings), new ReplicateImageProvider(settings), new ApiframeImageProvider(settings)]) {
      const failure = await adapter.run(request, options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(UpstreamError);
      expect((failure as UpstreamError).kind).toBe('invalid_request');
      expect((failure as UpstreamError).message).toContain('gpt-image-2');
    }
  });
});

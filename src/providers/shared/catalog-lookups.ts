import { findCatalogModel } from '../../catalog/index.js';
import type { ModelRoute } from '../../catalog/spec.js';
import type { ProviderId } from '../../provider-ids.js';
import type { GenerationRequest } from '../../catalog/request.js';

/**
 * What adapters read from the catalog about the request they run: the route that sent it to
 * them (with its declared parameter mapping) and the model's defaults, so a setting the upstream
 * lacks warns only when the client actually chose something.
 */

/** The catalog route of the request's model to `provider` for the request's upstream model. */
export function routeFor(provider: ProviderId, request: GenerationRequest): ModelRoute | undefined {
  return findCatalogModel(request.modelId)?.routes.find((route) => route.provider === provider && route.upstreamModel === request.upstreamModel);
}

/** Whether `value` is what the catalog would have filled in for `name` had the client said nothing. */
export function isCatalogDefault(modelId: string, name: string, value: unknown): boolean {
  const schema = findCatalogModel(modelId)?.params.shape[name] as { safeParse(input: unknown): { success: boolean; data?: unknown } } | undefined;
  if (!schema) return false;
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data === value;
}

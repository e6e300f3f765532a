import { findModel } from '../../src/catalog/index.js';
import type { ProviderId } from '../../src/config.js';
import type { GenerationRequest } from '../../src/providers/spec.js';

/** What an adapter test fills in when a test does not say: its prompt and its seed. */
export interface RequestDefaults {
  readonly prompt: string;
  readonly seed: number;
}

/**
 * A request as the runner builds it for `provider`: the model's catalog defaults applied (the
 * default prompt where the model takes one), its route's upstream model and edit endpoint.
 */
export function routedRequest(
  provider: ProviderId,
  defaults: RequestDefaults,
  modelId: string,
  params: Record<string, unknown> = {},
  extra: Partial<GenerationRequest> = {},
): GenerationRequest {
  const model = findModel(modelId)!;
  const route = model.routes.find((candidate) => candidate.provider === provider)!;
  return {
    modelId: model.id,
    upstreamModel: route.upstreamModel,
    ...(route.upstreamEditModel ? { upstreamEditModel: route.upstreamEditModel } : {}),
    params: model.params.parse({ ...('prompt' in model.params.shape ? { prompt: defaults.prompt } : {}), ...params }),
    n: 1,
    seed: defaults.seed,
    references: [],
    output: {},
    ...extra,
  };
}

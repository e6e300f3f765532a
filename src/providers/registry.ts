import { type Config } from '../config.js';
import { ProviderEnv, UpstreamProviderIds, type UpstreamProviderId } from '../provider-ids.js';
import { createLocalEngines } from './local/local-engines.js';
import { PlaceholderProvider } from './local/placeholder.js';
import { openaiProvider } from './openai/provider.js';
import { xaiProvider } from './xai/provider.js';
import { geminiProvider } from './gemini/provider.js';
import { openRouterProvider } from './openrouter/provider.js';
import { bflProvider } from './bfl/provider.js';
import { runwareProvider } from './runware/provider.js';
import { apiframeProvider } from './apiframe/provider.js';
import { falProvider } from './fal/provider.js';
import { replicateProvider } from './replicate/provider.js';
import { models } from '../catalog/index.js';
import type { ModelDefinition } from '../catalog/spec.js';
import type { ImageProvider, ProviderDescriptor } from './spec.js';

/** One adapter per upstream provider id: a provider listed in provider-ids.ts without one fails the type check. */
const adapters: { readonly [Id in UpstreamProviderId]: ProviderDescriptor & { readonly id: Id } } = {
  openai: openaiProvider,
  xai: xaiProvider,
  gemini: geminiProvider,
  openrouter: openRouterProvider,
  bfl: bflProvider,
  runware: runwareProvider,
  apiframe: apiframeProvider,
  fal: falProvider,
  replicate: replicateProvider,
};

/**
 * Every upstream adapter Pictor ships, in provider-ids.ts order. An adapter is enabled when its
 * `<PROVIDER>_API_KEY` is set (see `ProviderEnv` in provider-ids.ts).
 */
export const upstreamProviders: readonly ProviderDescriptor[] = UpstreamProviderIds.map((id) => adapters[id]);

/**
 * Every catalog route an adapter could not run as declared, one line each (`model -> provider
 * upstream: why`). Empty for a sound catalog; `createProviders` refuses to start otherwise.
 */
export function routeProblems(catalog: readonly ModelDefinition[] = models): string[] {
  const problems: string[] = [];
  for (const model of catalog) {
    for (const route of model.routes) {
      const descriptor = route.provider in adapters ? adapters[route.provider as UpstreamProviderId] : undefined;
      const problem = descriptor?.checkRoute?.({ modelId: model.id, upstreamModel: route.upstreamModel, input: route.input, plan: route.plan });
      if (problem) problems.push(`${model.id} -> ${route.provider} ${route.upstreamModel}: ${problem}`);
    }
  }
  return problems;
}

export interface ProviderOptions {
  /** Replaces the global fetch for every adapter (tests point it nowhere else: base URLs do that). */
  fetch?: typeof fetch;
}

/** The engines this deployment can use, by provider id: local engines plus configured upstreams. */
export function createProviders(config: Config, options: ProviderOptions = {}): Map<string, ImageProvider> {
  const problems = routeProblems();
  if (problems.length > 0) throw new Error(`The catalog routes models that their adapters cannot run:\n${problems.join('\n')}`);
  const providers: ImageProvider[] = [new PlaceholderProvider(), ...createLocalEngines(config.localEngines)];
  for (const descriptor of upstreamProviders) {
    const settings = config.providers[descriptor.id];
    if (!settings.apiKey) continue;
    providers.push(
      descriptor.create({
        apiKey: settings.apiKey,
        baseUrl: settings.baseUrl ?? descriptor.defaultBaseUrl,
        fetch: options.fetch ?? globalThis.fetch,
        pollIntervalMs: config.routing.pollMs,
      }),
    );
  }
  return new Map(providers.map((provider) => [provider.id, provider]));
}

/** Provider ids with the variable that enables each, for messages and the providers query. */
export function providerCredentialVariable(id: string): string | undefined {
  return (ProviderEnv as Record<string, { key: string }>)[id]?.key;
}

import { models as allModels } from '../index.js';
import type { ModelDefinition, ModelRoute } from '../spec.js';

/**
 * Finding models: the `models(filter: ...)` query's filter and each model's availability
 * ("can it run now, and if not, why"). Pure: the caller says which providers are configured.
 */

/** Capabilities a client can filter on, each a predicate over the model's capabilities. */
export const CapabilityFilters = {
  textToImage: (model: ModelDefinition) => model.capabilities.textToImage,
  editing: (model: ModelDefinition) => model.capabilities.editing,
  references: (model: ModelDefinition) => model.capabilities.maxReferenceImages > 0,
  requiresInputImage: (model: ModelDefinition) => model.capabilities.requiresInputImage,
  multipleImages: (model: ModelDefinition) => model.capabilities.maxN > 1 || model.splitN !== false,
  transparentBackground: (model: ModelDefinition) => model.capabilities.transparentBackground,
  seed: (model: ModelDefinition) => model.capabilities.seed,
  streamingPreviews: (model: ModelDefinition) => model.capabilities.streamingPreviews,
  vector: (model: ModelDefinition) => model.capabilities.outputFormats.includes('svg'),
} as const;
export type CapabilityFilter = keyof typeof CapabilityFilters;

export interface ModelFilter {
  /** Only models with this capability. */
  readonly capability?: CapabilityFilter;
  /** Vendor name, case-insensitive (`google`). */
  readonly vendor?: string;
  /** Case-insensitive words matched against id, aliases, name, description and vendor; all must match. */
  readonly search?: string;
}

function haystack(model: ModelDefinition): string {
  return [model.id, ...model.aliases, model.name, model.description, model.vendor].join(' ').toLowerCase();
}

/** Models matching every given criterion, in catalog order. */
export function filterModels(filter: ModelFilter = {}, from: readonly ModelDefinition[] = allModels): ModelDefinition[] {
  const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const vendor = filter.vendor?.trim().toLowerCase();
  return from.filter((model) => {
    if (filter.capability && !CapabilityFilters[filter.capability](model)) return false;
    if (vendor && model.vendor.toLowerCase() !== vendor && !model.vendor.toLowerCase().startsWith(`${vendor} `)) return false;
    if (words.length > 0) {
      const text = haystack(model);
      if (!words.every((word) => text.includes(word))) return false;
    }
    return true;
  });
}

/** Every vendor in the catalog, sorted. */
export function vendors(from: readonly ModelDefinition[] = allModels): string[] {
  return [...new Set(from.map((model) => model.vendor))].sort((a, b) => a.localeCompare(b));
}

export interface ModelAvailability {
  /** True when at least one route's provider is configured. */
  readonly available: boolean;
  /** The routes that can be used now, in order of preference. */
  readonly routes: readonly ModelRoute[];
  /** Why the model cannot run, when it cannot. */
  readonly reason?: string;
}

/**
 * Whether a model can run with the configured providers (`configured` holds provider ids whose
 * credentials are set, and local engines that loaded).
 */
export function modelAvailability(model: ModelDefinition, configured: ReadonlySet<string>): ModelAvailability {
  const routes = model.routes.filter((route) => configured.has(route.provider));
  if (routes.length > 0) return { available: true, routes };
  const providers = [...new Set(model.routes.map((route) => route.provider))];
  return { available: false, routes, reason: `No configured provider serves ${model.id}; configure one of: ${providers.join(', ')}` };
}

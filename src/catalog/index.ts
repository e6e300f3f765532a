import { alibabaModels } from './models/alibaba.js';
import { bflModels } from './models/bfl.js';
import { bytedanceModels } from './models/bytedance.js';
import { geminiImageModels } from './models/google-gemini.js';
import { imagenModels } from './models/google-imagen.js';
import { ideogramModels } from './models/ideogram.js';
import { klingModels } from './models/kling.js';
import { midjourneyModels } from './models/midjourney.js';
import { openaiModels } from './models/openai.js';
import { placeholder } from './models/placeholder.js';
import { reveModels } from './models/reve.js';
import {
  ApiframeModelIds,
  ReferenceServices,
  TripoModelVersions,
  WondaModelKeys,
  apiframeRules,
  applyServiceRules,
  tripoRules,
  wondaRules,
  type ReferenceService,
  type ServiceRules,
} from './rules/service-rules.js';
import type { ModelDefinition } from './spec.js';
import { utilityModels } from './models/utility.js';
import { xaiModels } from './models/xai.js';

/** Every model Pictor knows, in display order (newest and most capable first within a family). */
export const models: readonly ModelDefinition[] = [
  placeholder,
  ...geminiImageModels,
  ...openaiModels,
  ...bflModels,
  ...bytedanceModels,
  ...xaiModels,
  ...midjourneyModels,
  ...ideogramModels,
  ...imagenModels,
  ...klingModels,
  ...alibabaModels,
  ...reveModels,
  ...utilityModels,
];

const byKey = new Map<string, ModelDefinition>();
for (const model of models) {
  for (const key of [model.id, ...model.aliases]) {
    const normalized = normalizeModelKey(key);
    const existing = byKey.get(normalized);
    if (existing && existing !== model) throw new Error(`Model key ${key} is claimed by ${existing.id} and ${model.id}`);
    byKey.set(normalized, model);
  }
}
for (const model of models) {
  // An upgrade target that does not exist would only show up when a client sends references.
  if (model.upgradeWithReferences && !byKey.has(normalizeModelKey(model.upgradeWithReferences))) {
    throw new Error(`Model ${model.id} upgrades to unknown model ${model.upgradeWithReferences}`);
  }
}

function normalizeModelKey(key: string): string {
  return key.trim().toLowerCase();
}

/** A catalog entry by canonical id or alias, with Pictor's own rules. */
export function findCatalogModel(idOrAlias: string): ModelDefinition | undefined {
  return byKey.get(normalizeModelKey(idOrAlias));
}

const views = new Map<string, ModelDefinition>();

/** The catalog entry under a service's rules; one object per (service, name), so caches keyed by definition work. */
function view(service: ReferenceService, name: string, modelId: string, rules: (model: ModelDefinition) => ServiceRules): ModelDefinition | undefined {
  const key = `${service}:${name}`;
  const cached = views.get(key);
  if (cached) return cached;
  const model = byKey.get(modelId);
  if (!model) return undefined;
  const created = applyServiceRules(model, rules(model));
  views.set(key, created);
  return created;
}

const tripoByVersion = new Map(TripoModelVersions.map((entry) => [entry.version, entry]));
const apiframeIds = new Set<string>(ApiframeModelIds);

/**
 * A model as one reference service names it: Tripo's `model_version` values follow Tripo's rules
 * (flat price, 1,024-character prompt without emoji, file limits), Wonda's keys Wonda's table,
 * Apiframe's ids Apiframe's; any other catalog id or alias is accepted with Pictor's own rules.
 * The REST routes call this with their own service.
 */
export function findModelFor(service: ReferenceService, name: string): ModelDefinition | undefined {
  const key = normalizeModelKey(name);
  if (service === ReferenceServices.tripo) {
    const entry = tripoByVersion.get(key);
    if (entry) return view(service, entry.version, entry.modelId, (model) => tripoRules(entry, model));
  } else if (service === ReferenceServices.wonda) {
    const modelId = WondaModelKeys[key];
    if (modelId) return view(service, key, modelId, () => wondaRules(key));
  } else if (service === ReferenceServices.apiframe) {
    const model = apiframeIds.has(key) ? byKey.get(key) : undefined;
    if (model) return view(service, key, model.id, (catalog) => apiframeRules(key, catalog));
  }
  return findCatalogModel(key);
}

const serviceNames = new Set<string>(Object.values(ReferenceServices));

/**
 * Finds a model by canonical id or any alias. A name only one reference service uses gets that
 * service's rules (`gpt_4o`: Tripo's; `seedream-4-5`: Wonda's); a name several use (`midjourney`
 * is Apiframe's id and Tripo's model_version) is Pictor's catalog entry, and `service:name`
 * (`tripo:midjourney`) picks one service's rules explicitly.
 */
export function findModel(idOrAlias: string): ModelDefinition | undefined {
  const key = normalizeModelKey(idOrAlias);
  const separator = key.indexOf(':');
  if (separator > 0 && serviceNames.has(key.slice(0, separator))) {
    return findModelFor(key.slice(0, separator) as ReferenceService, key.slice(separator + 1));
  }
  const catalog = byKey.get(key);
  if (catalog && catalog.id === key) return catalog;
  if (tripoByVersion.has(key)) return findModelFor(ReferenceServices.tripo, key);
  if (key in WondaModelKeys) return findModelFor(ReferenceServices.wonda, key);
  return catalog;
}

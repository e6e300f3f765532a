import { alibabaModels } from './alibaba.js';
import { bflModels } from './bfl.js';
import { bytedanceModels } from './bytedance.js';
import { geminiImageModels } from './google-gemini.js';
import { imagenModels } from './google-imagen.js';
import { ideogramModels } from './ideogram.js';
import { klingModels } from './kling.js';
import { midjourneyModels } from './midjourney.js';
import { openaiModels } from './openai.js';
import { placeholder } from './placeholder.js';
import { reveModels } from './reve.js';
import type { ModelDefinition } from './spec.js';
import { utilityModels } from './utility.js';
import { xaiModels } from './xai.js';

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

/** Finds a model by canonical id or any alias. */
export function findModel(idOrAlias: string): ModelDefinition | undefined {
  return byKey.get(normalizeModelKey(idOrAlias));
}

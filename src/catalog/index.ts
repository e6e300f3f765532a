import { placeholder } from './placeholder.js';
import type { ModelDefinition } from './spec.js';

/** Every model Pictor knows, in display order. */
export const models: readonly ModelDefinition[] = [placeholder];

const byKey = new Map<string, ModelDefinition>();
for (const model of models) {
  for (const key of [model.id, ...model.aliases]) {
    const normalized = normalizeModelKey(key);
    const existing = byKey.get(normalized);
    if (existing && existing !== model) throw new Error(`Model key ${key} is claimed by ${existing.id} and ${model.id}`);
    byKey.set(normalized, model);
  }
}

function normalizeModelKey(key: string): string {
  return key.trim().toLowerCase();
}

/** Finds a model by canonical id or any alias. */
export function findModel(idOrAlias: string): ModelDefinition | undefined {
  return byKey.get(normalizeModelKey(idOrAlias));
}

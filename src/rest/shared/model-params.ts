import { describeParameter, describeParameters } from '../../catalog/listing/describe.js';
import type { ModelDefinition } from '../../catalog/spec.js';

/**
 * Translations the wire formats share: snake_case names onto the model's camelCase params, a
 * `quality` mapped onto the model's own knob, and a provider passthrough object whose keys the
 * model understands. What cannot be honoured becomes a warning on the job, never a rejection.
 */

/** `step_ms` -> `stepMs`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The model's param called `name` (as sent, or its camelCase form), if it has one. */
export function modelParamName(model: ModelDefinition, name: string): string | undefined {
  for (const candidate of [name, camelCase(name)]) if (describeParameter(model, candidate)) return candidate;
  return undefined;
}

/** Quality words of the different families, each with its nearest word elsewhere. */
const QualityEquivalents: Record<string, readonly string[]> = {
  low: ['low', 'standard', 'fast', 'draft'],
  medium: ['medium', 'standard', 'balanced'],
  high: ['high', 'hd', 'quality', 'ultra'],
  auto: ['auto', 'medium', 'standard'],
  standard: ['standard', 'medium'],
  hd: ['hd', 'high'],
};

/**
 * `quality` for this model: its own value when it has one that matches (or the nearest word),
 * otherwise nothing and a warning.
 */
export function mapQuality(model: ModelDefinition, quality: string): { value?: string; warning?: string } {
  const parameter = describeParameter(model, 'quality');
  if (!parameter) return { warning: `${model.id} has no quality setting; quality ${JSON.stringify(quality)} was ignored` };
  const allowed = parameter.allowedValues;
  if (!allowed) return { value: quality };
  const match = (QualityEquivalents[quality.toLowerCase()] ?? [quality]).find((word) => allowed.includes(word));
  if (!match) return { warning: `${model.id} takes quality ${allowed.join(', ')}; ${JSON.stringify(quality)} was ignored` };
  return match === quality ? { value: match } : { value: match, warning: `quality ${JSON.stringify(quality)} ran as ${JSON.stringify(match)} on ${model.id}` };
}

/**
 * Splits a passthrough object (`provider: { ... }`): keys that name model params, from its top
 * level and from `options.<anything>` (OpenRouter's per-provider options), become params; the rest
 * (`rest`, the same shape without those keys) is what an upstream that takes the object gets
 * forwarded. `warnings` says, by path, what the rest would be when nothing forwards it.
 */
export function passthroughParams(
  model: ModelDefinition,
  passthrough: Readonly<Record<string, unknown>>,
  label: string,
): { params: Record<string, unknown>; rest: Record<string, unknown> | null; warnings: string[] } {
  const params: Record<string, unknown> = {};
  const ignored: string[] = [];
  const visit = (object: Readonly<Record<string, unknown>>, path: string, depth: number): Record<string, unknown> => {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const name = modelParamName(model, key);
      if (name && name !== 'prompt') params[name] = value;
      else if (depth < 2 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const inner = visit(value as Record<string, unknown>, `${path}.${key}`, depth + 1);
        if (Object.keys(inner).length > 0) rest[key] = inner;
      } else {
        ignored.push(`${path}.${key.slice(0, 64)}`);
        rest[key] = value;
      }
    }
    return rest;
  };
  const rest = visit(passthrough, label, 0);
  const known = describeParameters(model)
    .map((parameter) => parameter.name)
    .filter((name) => name !== 'prompt');
  const warnings = ignored.length
    ? [
        `${ignored.slice(0, 20).join(', ')} ${ignored.length === 1 ? 'has' : 'have'} no meaning for ${model.id} and ${ignored.length === 1 ? 'was' : 'were'} ignored (it takes ${known.join(', ') || 'no parameters'})`,
      ]
    : [];
  return { params, rest: Object.keys(rest).length > 0 ? rest : null, warnings };
}

import { describeParameters, type ParameterDescription } from '../../src/catalog/listing/describe.js';
import type { ModelDefinition } from '../../src/catalog/spec.js';
import type { GenerationInput } from '../../src/catalog/rules/validate.js';

/**
 * Builds the smallest valid request for any model from its own parameter descriptions, so the
 * generated tests need no per-model knowledge.
 */

/** A valid value for a required parameter. */
export function sampleValue(parameter: ParameterDescription): unknown {
  switch (parameter.type) {
    case 'enum':
      return parameter.allowedValues![0];
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return parameter.min ?? 1;
    case 'string':
      return parameter.name === 'prompt' ? 'A ceramic mug on travertine' : 'x'.repeat(parameter.minLength ?? 1);
  }
}

/** Only the required params, each with a valid value. */
export function minimalParams(model: ModelDefinition): Record<string, unknown> {
  return Object.fromEntries(
    describeParameters(model)
      .filter((parameter) => parameter.required)
      .map((parameter) => [parameter.name, sampleValue(parameter)]),
  );
}

/** A minimal valid request: required params, and one reference image where one is needed. */
export function minimalRequest(model: ModelDefinition, overrides: Partial<GenerationInput> = {}): GenerationInput {
  return {
    params: minimalParams(model),
    referenceCount: model.capabilities.requiresInputImage ? 1 : 0,
    ...overrides,
  };
}

/** The same request with one param replaced. */
export function withParam(model: ModelDefinition, name: string, value: unknown): GenerationInput {
  const request = minimalRequest(model);
  return { ...request, params: { ...request.params, [name]: value } };
}

/** A value just outside a numeric bound that violates only that bound (not the step). */
export function beyond(parameter: ParameterDescription, side: 'min' | 'max'): number {
  const step = parameter.multipleOf ?? (parameter.type === 'integer' ? 1 : 0.01);
  return side === 'min' ? parameter.min! - step : parameter.max! + step;
}

import { z } from 'zod';
import type { ModelDefinition } from '../spec.js';

/**
 * Views derived from a model's zod `params`, so a UI can build a form for any model and no
 * parameter is written twice. Both views come from one JSON Schema (`z.toJSONSchema` with
 * `io: 'input'`, so defaulted fields are optional and carry their `default`).
 */

export const ParameterTypes = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  enum: 'enum',
} as const;
export type ParameterType = (typeof ParameterTypes)[keyof typeof ParameterTypes];

/** One parameter as `Model.parameters` shows it. */
export interface ParameterDescription {
  /** Key in the model's params (`aspectRatio`). */
  readonly name: string;
  readonly type: ParameterType;
  /** True when the client must send it (no default and not optional). */
  readonly required: boolean;
  /** Raw values an enum accepts (`"16:9"`, `"2K"`), in the vendor's order. */
  readonly allowedValues?: readonly string[];
  /** Value used when the client sends none. */
  readonly default?: unknown;
  /** Inclusive numeric bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Numbers must be a multiple of this (FLUX sizes in steps of 32). */
  readonly multipleOf?: number;
  /** String length bounds (characters). */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A string format (`uuid`). */
  readonly format?: string;
  readonly description?: string;
}

/** The subset of JSON Schema that zod emits for Pictor's flat param objects. */
export interface JsonSchemaProperty {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  readonly [key: string]: unknown;
}

export interface ParamsJsonSchema {
  readonly $schema?: string;
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JsonSchemaProperty>>;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

const schemaCache = new WeakMap<ModelDefinition, ParamsJsonSchema>();
const descriptionCache = new WeakMap<ModelDefinition, readonly ParameterDescription[]>();

/** JSON Schema of the model's params as a client sends them (with `enum` and `default`). */
export function parametersJsonSchema(model: ModelDefinition): ParamsJsonSchema {
  let schema = schemaCache.get(model);
  if (!schema) {
    schema = z.toJSONSchema(model.params, { io: 'input' }) as unknown as ParamsJsonSchema;
    schemaCache.set(model, schema);
  }
  return schema;
}

/** zod adds the safe-integer range to every `z.int()`; that is not a limit worth showing. */
function meaningfulBound(value: number | undefined): number | undefined {
  return value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;
}

function typeOf(property: JsonSchemaProperty): ParameterType {
  if (Array.isArray(property.enum)) return ParameterTypes.enum;
  switch (property.type) {
    case 'integer':
      return ParameterTypes.integer;
    case 'number':
      return ParameterTypes.number;
    case 'boolean':
      return ParameterTypes.boolean;
    case 'string':
      return ParameterTypes.string;
    default:
      // Pictor's params are flat scalars; anything else is a catalog mistake the tests catch.
      throw new Error(`Unsupported parameter schema: ${JSON.stringify(property)}`);
  }
}

function describeProperty(name: string, property: JsonSchemaProperty, required: boolean): ParameterDescription {
  const description: {
    -readonly [Key in keyof ParameterDescription]: ParameterDescription[Key];
  } = { name, type: typeOf(property), required };
  if (Array.isArray(property.enum)) description.allowedValues = property.enum.map(String);
  if ('default' in property) description.default = property.default;
  const min = meaningfulBound(property.minimum);
  const max = meaningfulBound(property.maximum);
  if (min !== undefined) description.min = min;
  if (max !== undefined) description.max = max;
  if (property.multipleOf !== undefined) description.multipleOf = property.multipleOf;
  if (property.minLength !== undefined) description.minLength = property.minLength;
  if (property.maxLength !== undefined) description.maxLength = property.maxLength;
  if (property.format !== undefined) description.format = property.format;
  if (property.description !== undefined) description.description = property.description;
  return description;
}

/** `Model.parameters`: every param with its type, allowed values, default and limits. */
export function describeParameters(model: ModelDefinition): readonly ParameterDescription[] {
  let descriptions = descriptionCache.get(model);
  if (!descriptions) {
    const schema = parametersJsonSchema(model);
    const required = new Set(schema.required ?? []);
    descriptions = Object.entries(schema.properties).map(([name, property]) => describeProperty(name, property, required.has(name)));
    descriptionCache.set(model, descriptions);
  }
  return descriptions;
}

/** One param's description, or undefined when the model has no such param. */
export function describeParameter(model: ModelDefinition, name: string): ParameterDescription | undefined {
  return describeParameters(model).find((parameter) => parameter.name === name);
}

/** Whether the model takes a prompt, and whether it must be given. */
export function promptRequirement(model: ModelDefinition): 'required' | 'optional' | 'none' {
  const prompt = describeParameter(model, 'prompt');
  if (!prompt) return 'none';
  return prompt.required ? 'required' : 'optional';
}

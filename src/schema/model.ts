import { z } from 'zod';
import { findModel, models } from '../catalog/index.js';
import type { ModelCapabilities, ModelDefinition } from '../catalog/spec.js';
import { builder } from './builder.js';

interface ModelParameter {
  name: string;
  type: string;
  required: boolean;
  allowedValues: string[] | null;
  defaultValue: unknown;
  min: number | null;
  max: number | null;
  description: string | null;
}

type JsonSchemaProperty = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
};

/** JSON Schema of a model's params (input side: fields with defaults are optional). */
export function parametersJsonSchema(model: ModelDefinition): Record<string, unknown> {
  return z.toJSONSchema(model.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** `Model.parameters`, derived from the same JSON Schema a form builder would use. */
export function describeParameters(model: ModelDefinition): ModelParameter[] {
  const schema = parametersJsonSchema(model) as { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: property.enum ? 'enum' : (property.type ?? 'string'),
    required: schema.required?.includes(name) ?? false,
    allowedValues: property.enum ? property.enum.map(String) : null,
    defaultValue: property.default ?? null,
    min: property.minimum ?? property.minLength ?? null,
    max: property.maximum ?? property.maxLength ?? null,
    description: property.description ?? null,
  }));
}

const CapabilitiesType = builder.objectRef<ModelCapabilities>('ModelCapabilities').implement({
  description: 'What a model can do.',
  fields: (t) => ({
    textToImage: t.exposeBoolean('textToImage'),
    editing: t.exposeBoolean('editing', { description: 'Takes reference images to edit or guide the result.' }),
    maxReferenceImages: t.exposeInt('maxReferenceImages'),
    requiresInputImage: t.exposeBoolean('requiresInputImage'),
    maxN: t.exposeInt('maxN', { description: 'Most images one upstream call returns.' }),
    outputFormats: t.stringList({ resolve: (capabilities) => [...capabilities.outputFormats] }),
    transparentBackground: t.exposeBoolean('transparentBackground'),
    seed: t.exposeBoolean('seed', { description: 'Honours `seed` for reproducible results.' }),
    streamingPreviews: t.exposeBoolean('streamingPreviews'),
  }),
});

const ModelParameterType = builder.objectRef<ModelParameter>('ModelParameter').implement({
  description: 'One parameter of a model, enough to build a form field.',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'string | integer | number | boolean | enum' }),
    required: t.exposeBoolean('required'),
    allowedValues: t.exposeStringList('allowedValues', { nullable: true, description: 'Raw values accepted (enums).' }),
    default: t.field({ type: 'JSON', nullable: true, resolve: (parameter) => parameter.defaultValue }),
    min: t.exposeFloat('min', { nullable: true, description: 'Minimum value, or minimum length for strings.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Maximum value, or maximum length for strings.' }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

export const ModelType = builder.objectRef<ModelDefinition>('Model').implement({
  description: 'An image model with its typed parameters.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Canonical kebab-case id.' }),
    aliases: t.stringList({ description: 'Other ids accepted for this model.', resolve: (model) => [...model.aliases] }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    vendor: t.exposeString('vendor'),
    capabilities: t.field({ type: CapabilitiesType, resolve: (model) => model.capabilities }),
    parameters: t.field({ type: [ModelParameterType], resolve: (model) => describeParameters(model) }),
    parametersJsonSchema: t.field({ type: 'JSON', description: 'JSON Schema of the parameters (with enum and default).', resolve: (model) => parametersJsonSchema(model) }),
    available: t.boolean({
      description: 'Whether a route to run this model is configured in this deployment.',
      resolve: (model, _args, context) => model.routes.some((route) => context.services.providers.has(route.provider)),
    }),
    unavailableReason: t.string({
      nullable: true,
      resolve: (model, _args, context) =>
        model.routes.some((route) => context.services.providers.has(route.provider))
          ? null
          : `No provider configured for this model (routes: ${model.routes.map((route) => route.provider).join(', ')})`,
    }),
  }),
});

builder.queryFields((t) => ({
  models: t.field({
    type: [ModelType],
    description: 'Every model in the catalog.',
    resolve: () => [...models],
  }),
  model: t.field({
    type: ModelType,
    nullable: true,
    description: 'A model by id or alias.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args) => findModel(String(args.id)) ?? null,
  }),
}));

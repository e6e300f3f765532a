import { parametersJsonSchema, type JsonSchemaProperty } from '../catalog/listing/describe.js';
import { models } from '../catalog/index.js';
import { enumValueName, modelFieldName, modelTypeName, pascalCase } from '../catalog/listing/names.js';
import type { ModelDefinition } from '../catalog/spec.js';
import { builder } from './builder.js';

type Property = JsonSchemaProperty;

/** Input object type of one model, derived from its zod schema (via its JSON Schema). */
function modelInputType(model: ModelDefinition) {
  const typeName = modelTypeName(model.id);
  const schema = parametersJsonSchema(model);
  const required = new Set(schema.required ?? []);
  return builder.inputType(`${typeName}Input`, {
    description: `Parameters of ${model.name} (\`${model.id}\`).`,
    fields: (t) =>
      Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => {
          const options = {
            required: required.has(name),
            description: describe(property),
            ...(property.default !== undefined ? { defaultValue: property.default as never } : {}),
          };
          if (property.enum) {
            const enumRef = builder.enumType(`${typeName}${pascalCase(name)}`, {
              description: `Values of \`${name}\` for ${model.name}.`,
              values: Object.fromEntries(property.enum.map((value) => [enumValueName(String(value)), { value: String(value), description: `\`${String(value)}\`` }])),
            });
            return [name, t.field({ type: enumRef, ...options })];
          }
          switch (property.type) {
            case 'integer':
              return [name, t.int(options)];
            case 'number':
              return [name, t.float(options)];
            case 'boolean':
              return [name, t.boolean(options)];
            case 'string':
              return [name, t.string(options)];
            default:
              return [name, t.field({ type: 'JSON', ...options })];
          }
        }),
      ),
  });
}

function describe(property: Property): string | undefined {
  const limits = [
    property.minimum !== undefined ? `min ${property.minimum}` : '',
    property.maximum !== undefined ? `max ${property.maximum}` : '',
    property.maxLength !== undefined ? `at most ${property.maxLength} characters` : '',
  ].filter(Boolean);
  const text = [property.description, limits.length ? `(${limits.join(', ')})` : ''].filter(Boolean).join(' ');
  return text || undefined;
}

/** GraphQL field name -> model, for the `@oneOf` input. */
export const modelsByField = new Map(models.map((model) => [modelFieldName(model.id), model]));

/** `GenerateImageInput.model`: exactly one field, named after the model, holding its typed params. */
export const GenerateImageModelInput = builder.inputType('GenerateImageModelInput', {
  description: 'Pick exactly one model and give its parameters.',
  isOneOf: true,
  fields: (t) => Object.fromEntries([...modelsByField].map(([field, model]) => [field, t.field({ type: modelInputType(model), description: `${model.name}: ${model.description}` })])),
});

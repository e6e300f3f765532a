import fc from 'fast-check';
import { getVariableValues, isInputObjectType, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { builder } from '../../src/graphql/builder.js';
import { getSchema } from '../../src/graphql/index.js';

/**
 * The schema's input field maps are fast-mode copies (see `withFastInputFieldMaps`): variables
 * must coerce exactly as with graphql-js's own maps (a second schema built from the same
 * definitions has those), defaults, unknown fields, missing fields and the one-of rule included.
 */
const schema = getSchema();
// Built again from the same definitions, with graphql-js's own maps.
const reference = builder.toSchema();
const operation = parse('mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename } }').definitions[0] as OperationDefinitionNode;
const coerce = (target: GraphQLSchema, input: unknown) => {
  const result = getVariableValues(target, operation.variableDefinitions!, { input });
  return 'errors' in result && result.errors ? { errors: result.errors.map((error) => error.message) } : result;
};

describe('input field maps', () => {
  it('are null-prototype maps holding every field of every input type, in definition order', () => {
    const inputTypes = Object.values(schema.getTypeMap()).filter(isInputObjectType);
    expect(inputTypes.length).toBeGreaterThan(50);
    for (const type of inputTypes) {
      const fields = type.getFields();
      expect(Object.getPrototypeOf(fields)).toBeNull();
      expect(Object.keys(fields)).toEqual(Object.values(fields).map((field) => field.name));
      const own = reference.getType(type.name);
      expect(isInputObjectType(own) && Object.keys(own.getFields())).toEqual(Object.keys(fields));
    }
  });

  it('coerce generateImage inputs exactly as graphql-js does with its own maps', () => {
    const models = Object.keys((schema.getType('GenerateImageModelInput') as unknown as { getFields(): Record<string, unknown> }).getFields());
    // Any UTF-16 string: NUL bytes and lone surrogates included; and one of 100,000 characters.
    const huge = `\0\ud800${'x'.repeat(100_000)}\udc00`;
    const anyString = fc.string({ unit: 'binary' });
    const key = fc.oneof(fc.constantFrom(...models), fc.constantFrom('placeholdr', 'prompt', 'n', '', '\0', '\ud800'), anyString);
    const value = fc.oneof(anyString, fc.constant(huge), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('1:1', '16:9', 'RES_512', 'png', 'webp'));
    const params = fc.dictionary(fc.oneof(fc.constantFrom('prompt', 'steps', 'stepMs', 'aspectRatio', 'resolution', 'outputFormat', 'seed', 'n'), anyString), value, { maxKeys: 5 });
    const input = fc.record({ model: fc.oneof(fc.dictionary(key, params, { maxKeys: 3 }), value), n: fc.option(value, { nil: undefined }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(input, (candidate) => {
        expect(coerce(schema, candidate)).toEqual(coerce(reference, candidate));
      }),
      { numRuns: 2000 },
    );
    expect(coerce(schema, { model: { placeholder: { prompt: 'p' } } })).toEqual({
      coerced: { input: { model: { placeholder: { prompt: 'p', aspectRatio: '1:1', outputFormat: 'png', resolution: '1K', stepMs: 250, steps: 8 } }, n: 1 } },
    });
    expect(coerce(schema, { model: { placeholdr: { prompt: 'p' } } })).toMatchObject({ errors: [expect.stringContaining('Did you mean "placeholder"?'), expect.stringContaining('Exactly one key')] });
  });
});

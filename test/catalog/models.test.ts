import { describe, expect, it } from 'vitest';
import { LocalProviderIds, UpstreamProviderIds } from '../../src/provider-ids.js';
import { describeParameters, parametersJsonSchema } from '../../src/catalog/listing/describe.js';
import { findCatalogModel, findModel, models } from '../../src/catalog/index.js';
import { enumValueName, modelFieldName, modelTypeName } from '../../src/catalog/listing/names.js';
import { prepareGeneration, type PreparedGeneration, type ValidationFailure } from '../../src/catalog/rules/validate.js';
import { beyond, minimalRequest, withParam } from './requests.js';

/**
 * Generated from the catalog: every model, every parameter, every enum value and every limit.
 * Adding a model to the catalog adds its tests; nothing here names a model.
 */

const KnownProviders = new Set<string>([...UpstreamProviderIds, ...LocalProviderIds]);
const GraphqlName = /^[_A-Za-z][_0-9A-Za-z]*$/;

function expectOk(result: PreparedGeneration | ValidationFailure): PreparedGeneration {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.issues)}`);
  return result;
}

function expectIssue(result: PreparedGeneration | ValidationFailure, path: string[]) {
  expect(result.ok).toBe(false);
  const issue = (result as ValidationFailure).issues.find((candidate) => candidate.path.join('.') === path.join('.'));
  expect(issue, `issue at ${path.join('.')} in ${JSON.stringify(result)}`).toBeDefined();
  return issue!;
}

describe('catalog as a whole', () => {
  it('has unique ids, aliases, GraphQL field and type names', () => {
    const keys = models.flatMap((model) => [model.id, ...model.aliases].map((key) => key.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
    const fields = models.map((model) => modelFieldName(model.id));
    expect(new Set(fields).size).toBe(fields.length);
    const types = models.map((model) => modelTypeName(model.id));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe.each(models.map((model) => [model.id, model] as const))('%s', (_id, model) => {
  const parameters = describeParameters(model);

  it('has kebab-case id, name, description, vendor and a sane timeout', () => {
    expect(model.id).toMatch(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/);
    expect(model.name.length).toBeGreaterThan(0);
    expect(model.description.length).toBeGreaterThan(0);
    expect(model.vendor.length).toBeGreaterThan(0);
    expect(model.timeoutMs).toBeGreaterThanOrEqual(60_000);
    expect(model.capabilities.maxN).toBeGreaterThanOrEqual(1);
    expect(model.capabilities.maxReferenceImages).toBeGreaterThanOrEqual(model.capabilities.requiresInputImage ? 1 : 0);
  });

  it('resolves by id and by every alias, in any case', () => {
    for (const key of [model.id, ...model.aliases]) {
      expect(findCatalogModel(key)).toBe(model);
      expect(findCatalogModel(key.toUpperCase())).toBe(model);
      // A reference service's own name may carry that service's rules, but it is the same model.
      expect(findModel(key)?.id).toBe(model.id);
    }
    expect(findModel(model.id)).toBe(model);
  });

  it('has routes with known providers, local engines last', () => {
    expect(model.routes.length).toBeGreaterThan(0);
    for (const route of model.routes) {
      expect(KnownProviders.has(route.provider), route.provider).toBe(true);
      expect(route.upstreamModel.length).toBeGreaterThan(0);
    }
    const local = model.routes.map((route) => route.provider.startsWith('local-'));
    const firstLocal = local.indexOf(true);
    if (firstLocal >= 0) expect(local.slice(firstLocal).every(Boolean)).toBe(true);
  });

  it('names only its own params for normalization', () => {
    const names = new Set(parameters.map((parameter) => parameter.name));
    const normalization = model.normalization ?? {};
    for (const name of [normalization.aspectRatio, normalization.resolution, normalization.background, normalization.outputFormat]) {
      if (name !== undefined) expect(names.has(name), name).toBe(true);
    }
    if (normalization.dimensions) {
      expect(names.has(normalization.dimensions.width)).toBe(true);
      expect(names.has(normalization.dimensions.height)).toBe(true);
    }
  });

  it('accepts its defaults and prices them in whole credits', () => {
    const prepared = expectOk(prepareGeneration(model, minimalRequest(model)));
    for (const parameter of parameters) {
      if (parameter.default !== undefined && parameter.name !== 'prompt') expect(prepared.params[parameter.name]).toEqual(parameter.default);
    }
    expect(Number.isInteger(prepared.price)).toBe(true);
    expect(prepared.price).toBeGreaterThan(0);
    expect(prepared.calls).toEqual([1]);
  });

  it('publishes a JSON Schema with enum and default for every enum and defaulted param', () => {
    const schema = parametersJsonSchema(model);
    expect(schema.type).toBe('object');
    for (const parameter of parameters) {
      const property = schema.properties[parameter.name]!;
      if (parameter.type === 'enum') expect(property.enum).toEqual(parameter.allowedValues);
      if (parameter.default !== undefined) expect(property.default).toEqual(parameter.default);
    }
  });

  const enums = parameters.filter((parameter) => parameter.type === 'enum');
  describe.each(enums.map((parameter) => [parameter.name, parameter] as const))('enum %s', (name, parameter) => {
    it('has a default among its values', () => {
      if (parameter.default !== undefined) expect(parameter.allowedValues).toContain(parameter.default);
    });

    it('maps every value to a distinct, valid GraphQL enum name', () => {
      const names = parameter.allowedValues!.map(enumValueName);
      expect(new Set(names).size).toBe(names.length);
      for (const enumName of names) {
        expect(enumName).toMatch(GraphqlName);
        expect(['TRUE', 'FALSE', 'NULL']).not.toContain(enumName);
      }
    });

    it.each(parameter.allowedValues!.map((value) => [value]))('accepts %s and prices it', (value) => {
      const prepared = expectOk(prepareGeneration(model, withParam(model, name, value)));
      expect(prepared.params[name]).toBe(value);
      expect(Number.isInteger(prepared.price)).toBe(true);
      expect(prepared.price).toBeGreaterThan(0);
    });

    it('rejects a value outside the enum, naming every allowed value', () => {
      const issue = expectIssue(prepareGeneration(model, withParam(model, name, 'not-a-value')), [name]);
      for (const value of parameter.allowedValues!) expect(issue.message).toContain(value);
      expect(issue.code).toBe('invalid_value');
    });
  });

  const numbers = parameters.filter((parameter) => parameter.type === 'integer' || parameter.type === 'number');
  describe.each(numbers.map((parameter) => [parameter.name, parameter] as const))('number %s', (name, parameter) => {
    it('has bounds and a default within them', () => {
      expect(parameter.min).toBeDefined();
      expect(parameter.max).toBeDefined();
      if (parameter.default !== undefined) {
        expect(parameter.default as number).toBeGreaterThanOrEqual(parameter.min!);
        expect(parameter.default as number).toBeLessThanOrEqual(parameter.max!);
      }
    });

    it('accepts its bounds and rejects values beyond them', () => {
      expectOk(prepareGeneration(model, withParam(model, name, parameter.min)));
      expectOk(prepareGeneration(model, withParam(model, name, parameter.max)));
      expect(expectIssue(prepareGeneration(model, withParam(model, name, beyond(parameter, 'min'))), [name]).message).toContain(String(parameter.min));
      expect(expectIssue(prepareGeneration(model, withParam(model, name, beyond(parameter, 'max'))), [name]).message).toContain(String(parameter.max));
    });

    if (parameter.type === 'integer') {
      it('rejects a fraction', () => {
        const value = (parameter.min! + parameter.max!) / 2 + 0.5;
        expectIssue(prepareGeneration(model, withParam(model, name, Number.isInteger(value) ? value + 0.5 : value)), [name]);
      });
    }
  });

  const strings = parameters.filter((parameter) => parameter.type === 'string' && parameter.maxLength !== undefined);
  describe.each(strings.map((parameter) => [parameter.name, parameter] as const))('string %s', (name, parameter) => {
    it('accepts its maximum length and rejects one character more', () => {
      expectOk(prepareGeneration(model, withParam(model, name, 'a'.repeat(parameter.maxLength!))));
      const issue = expectIssue(prepareGeneration(model, withParam(model, name, 'a'.repeat(parameter.maxLength! + 1))), [name]);
      expect(issue.message).toContain(`at most ${parameter.maxLength} characters`);
    });

    if (parameter.required) {
      it('rejects an empty value', () => {
        expect(expectIssue(prepareGeneration(model, withParam(model, name, '   ')), [name]).message).toContain('must not be empty');
      });
    }
  });

  const required = parameters.filter((parameter) => parameter.required);
  it.each(required.map((parameter) => [parameter.name]))('reports missing required %s', (name) => {
    const request = minimalRequest(model);
    const params = Object.fromEntries(Object.entries(request.params).filter(([key]) => key !== name));
    expect(expectIssue(prepareGeneration(model, { ...request, params }), [name]).message).toBe(`${name} is required`);
  });

  it('rejects an unknown parameter by name', () => {
    const issue = expectIssue(prepareGeneration(model, withParam(model, 'colour', 'red')), ['colour']);
    expect(issue.code).toBe('unknown_parameter');
  });

  it('enforces its reference image limits', () => {
    const { maxReferenceImages, requiresInputImage } = model.capabilities;
    if (!model.upgradeWithReferences) {
      expectIssue(prepareGeneration(model, minimalRequest(model, { referenceCount: maxReferenceImages + 1 })), ['references']);
    }
    if (maxReferenceImages > 0) expectOk(prepareGeneration(model, minimalRequest(model, { referenceCount: maxReferenceImages })));
    if (requiresInputImage) expectIssue(prepareGeneration(model, minimalRequest(model, { referenceCount: 0 })), ['references']);
  });
});

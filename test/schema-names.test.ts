import { getNamedType, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../src/graphql/index.js';

/** One name for one thing: what the schema says a value is, it is called the same everywhere. */
describe('schema names', () => {
  const schema = getSchema();
  const objectField = (type: string, field: string) => {
    const found = schema.getType(type);
    if (!isObjectType(found)) throw new Error(`${type} is not an object type`);
    return found.getFields()[field]!;
  };
  const inputField = (type: string, field: string) => {
    const found = schema.getType(type);
    if (!isInputObjectType(found)) throw new Error(`${type} is not an input type`);
    return found.getFields()[field]!;
  };
  const enumValues = (name: string, includeDeprecated = false) => {
    const found = schema.getType(name);
    if (!isEnumType(found)) throw new Error(`${name} is not an enum`);
    return found
      .getValues()
      .filter((value) => includeDeprecated || !value.deprecationReason)
      .map((value) => value.name);
  };

  it('types Job.seed as the seed the generate inputs take', () => {
    const seedType = getNamedType(objectField('Job', 'seed').type).name;
    expect(seedType).toBe('Seed');
    expect(getNamedType(inputField('GenerateImageInput', 'seed').type).name).toBe(seedType);
    expect(getNamedType(inputField('GenerateImageWithParamsInput', 'seed').type).name).toBe(seedType);
  });

  it('names webhook events as the job updates and statuses they are sent for, still taking COMPLETED on input', () => {
    const events = enumValues('WebhookEvent');
    expect(events.every((event) => enumValues('JobUpdateType').includes(event))).toBe(true);
    expect(events.filter((event) => enumValues('JobStatus').includes(event)).sort()).toEqual(['CANCELED', 'FAILED', 'QUEUED', 'SUCCEEDED']);
    expect(enumValues('WebhookEvent', true)).toContain('COMPLETED');
  });
});

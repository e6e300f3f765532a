import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import { getNamedType, graphql, isInputObjectType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../src/graphql/index.js';
import SkipEmptyValidationPlugin from '../../src/graphql/skip-empty-validation.js';

/** A schema with the same plugin order as Pictor's: validation at every depth, through a cycle, and none. */
function sampleSchema(): GraphQLSchema {
  const builder = new SchemaBuilder<{ DefaultInputFieldRequiredness: false; AuthScopes: { anyone: boolean } }>({
    plugins: [ScopeAuthPlugin, SkipEmptyValidationPlugin, ZodPlugin],
    scopeAuth: { authScopes: () => ({ anyone: true }) },
  });
  const Leaf = builder.inputType('Leaf', { fields: (t) => ({ name: t.string({ validate: { maxLength: 3 } }) }) });
  const Outer = builder.inputType('Outer', { fields: (t) => ({ leaves: t.field({ type: [Leaf] }) }) });
  const Checked = builder.inputType('Checked', {
    fields: (t) => ({ low: t.int(), high: t.int() }),
    validate: [(value) => (value.low ?? 0) <= (value.high ?? 0), { message: 'low must not exceed high' }],
  });
  // A -> B -> A: the validated field is on A, reached from B.
  const A = builder.inputRef<{ b?: { a?: unknown } | null; count?: number | null }>('A');
  const B = builder.inputRef<{ a?: unknown }>('B');
  A.implement({ fields: (t) => ({ b: t.field({ type: B }), count: t.int({ validate: { min: 1 } }) }) });
  B.implement({ fields: (t) => ({ a: t.field({ type: A }) }) });
  const Plain = builder.inputType('Plain', { fields: (t) => ({ text: t.string(), more: t.field({ type: [Outer2()] }) }) });
  function Outer2() {
    return builder.inputType('PlainNested', { fields: (t) => ({ flag: t.boolean() }) });
  }
  const echo = (_: unknown, args: unknown) => JSON.stringify(args);
  builder.queryType({
    fields: (t) => ({
      outer: t.string({ args: { input: t.arg({ type: Outer }) }, resolve: echo }),
      checked: t.string({ args: { input: t.arg({ type: Checked }) }, resolve: echo }),
      viaB: t.string({ args: { input: t.arg({ type: B }) }, resolve: echo }),
      plain: t.string({ args: { input: t.arg({ type: Plain }), size: t.arg.int({ validate: { max: 10 } }) }, resolve: echo }),
    }),
  });
  return builder.toSchema();
}

describe('argument validation is kept wherever an input declares it', () => {
  const schema = sampleSchema();
  const run = async (source: string) => graphql({ schema, source });

  it('rejects a field validated two levels down, through a list', async () => {
    const result = await run('{ outer(input: { leaves: [{ name: "ok" }, { name: "too long" }] }) }');
    expect(result.errors?.[0]?.message).toMatch(/too_big[\s\S]*"leaves",\s*1,\s*"name"/);
    expect((await run('{ outer(input: { leaves: [{ name: "ok" }] }) }')).data).toEqual({ outer: '{"input":{"leaves":[{"name":"ok"}]}}' });
  });

  it('runs an input type-level check', async () => {
    expect((await run('{ checked(input: { low: 5, high: 1 }) }')).errors?.[0]?.message).toMatch(/low must not exceed high/);
    expect((await run('{ checked(input: { low: 1, high: 5 }) }')).errors).toBeUndefined();
  });

  it('follows a cycle to a validated field', async () => {
    expect((await run('{ viaB(input: { a: { b: { a: { count: 0 } } } }) }')).errors?.[0]?.message).toMatch(/too_small[\s\S]*"count"/);
    expect((await run('{ viaB(input: { a: { count: 2 } }) }')).errors).toBeUndefined();
  });

  it('passes an input that declares nothing through as given, and still checks scalar arguments beside it', async () => {
    const result = await run('{ plain(input: { text: "x\\u0000y", more: [{ flag: true }] }, size: 3) }');
    expect(result.errors).toBeUndefined();
    expect(JSON.parse(result.data!.plain as string)).toEqual({ input: { text: 'x\u0000y', more: [{ flag: true }] }, size: 3 });
    expect((await run('{ plain(input: { text: "x" }, size: 11) }')).errors?.[0]?.message).toMatch(/too_big[\s\S]*"size"/);
  });
});

describe("Pictor's schema", () => {
  /** Whether `type` or any input type it reaches declares `validate`, read from the built schema's Pothos options. */
  function declaresValidation(type: GraphQLInputType, seen = new Set<string>()): boolean {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    const options = named.extensions.pothosOptions as { validate?: unknown } | undefined;
    if (options?.validate) return true;
    return Object.values(named.getFields()).some((field) => Boolean((field.extensions.pothosOptions as { validate?: unknown } | undefined)?.validate) || declaresValidation(field.type, seen));
  }

  it('keeps a validator on every argument that declares validation, and runs none on generateImage(input:)', () => {
    const schema = getSchema();
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!('getFields' in type) || isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of 'args' in field ? field.args : []) {
          const ownValidate = Boolean((arg.extensions.pothosOptions as { validate?: unknown } | undefined)?.validate);
          if (ownValidate || declaresValidation(arg.type)) {
            checked++;
            expect(arg.extensions.validator, `${type.name}.${field.name}(${arg.name})`).toBeDefined();
          } else if (isInputObjectType(getNamedType(arg.type))) {
            expect(arg.extensions.validator, `${type.name}.${field.name}(${arg.name})`).toBeUndefined();
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
    const generateImage = schema.getMutationType()!.getFields().generateImage!;
    expect(generateImage.args.find((arg) => arg.name === 'input')!.extensions.validator).toBeUndefined();
  });
});

import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLArgument, type GraphQLField, type GraphQLInputField, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../src/graphql/index.js';
import { encodeCursor } from '../src/realtime/cursor.js';
import { startTestApp, type TestApp } from './support/app.js';

// Every string or ID argument of every operation, found by walking the schema (new fields are
// covered without touching this test), gets hostile values. Each answer must be a typed client
// error or a typed result: never HTTP 500, never a stack trace, never the raw value echoed back.

const huge = 'x'.repeat(100_000);
const validCursor = encodeCursor({ xid: 5n, id: 7 });
const hostile: Record<string, string> = {
  'a NUL byte': 'abc\u0000def',
  'a lone high surrogate': 'abc\uD800def',
  'a lone low surrogate': '\uDC00',
  '100 KB': huge,
  'a valid cursor with a NUL byte': `${validCursor}\u0000`,
  'a cursor with junk around base64': `!!${validCursor}!!`,
};

let test: TestApp;
let key: string;
const rowCounts = async () => {
  const [row] = await test.app.services.database.sql<{ jobs: number; credits: number; keys: number; endpoints: number }[]>`
    select (select count(*)::int from jobs) as jobs, (select count(*)::int from credit_entries) as credits,
      (select count(*)::int from api_keys) as keys, (select count(*)::int from webhook_endpoints) as endpoints`;
  return row!;
};

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api', RATE_LIMIT_PER_MINUTE: '100000' });
  // An operator key reaches every field, operator-only ones included, so none is left unattacked.
  key = (await test.createKey(1000, { operator: true })).key;
});
afterAll(() => test?.stop());

interface Target {
  operation: 'query' | 'mutation' | 'subscription';
  field: GraphQLField<unknown, unknown>;
  /** Path inside the arguments to the string being attacked. */
  path: string[];
  /** Argument values with the attacked position marked. */
  build(value: string): Record<string, unknown>;
}

/** A plausible value for a type (required fields filled), so only the attacked string is wrong. */
function baseline(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return baseline(type.ofType, depth);
  if (isListType(type)) return [baseline(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isScalarType(type)) {
    return ({ ID: '00000000-0000-4000-8000-000000000000', String: 'x', Int: 1, Float: 1, Boolean: false } as Record<string, unknown>)[type.name] ?? 'x';
  }
  if (isInputObjectType(type) && depth < 4) {
    const fields = Object.values(type.getFields());
    if (type.isOneOf) return { [fields[0]!.name]: baseline(fields[0]!.type, depth + 1) };
    return Object.fromEntries(fields.filter((field) => isNonNullType(field.type)).map((field) => [field.name, baseline(field.type, depth + 1)]));
  }
  return null;
}

/** Every (argument path to a String/ID) of an input, including inside input objects. */
function stringPaths(type: GraphQLInputType, depth = 0): string[][] {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name === 'String' || named.name === 'ID' ? [[]] : [];
  if (!isInputObjectType(named) || depth >= 3) return [];
  return Object.values(named.getFields()).flatMap((field: GraphQLInputField) => stringPaths(field.type, depth + 1).map((path) => [field.name, ...path]));
}

function setAt(root: any, path: string[], type: GraphQLInputType, value: unknown): any {
  if (isNonNullType(type)) return setAt(root, path, type.ofType, value);
  if (isListType(type)) return [setAt(Array.isArray(root) ? root[0] : undefined, path, type.ofType, value)];
  if (path.length === 0 || !isInputObjectType(type)) return value;
  const field = type.getFields()[path[0]!]!;
  // In a oneOf input only the attacked member may be set.
  const base = type.isOneOf ? {} : { ...((root as object | undefined) ?? (baseline(type) as object)) };
  return { ...base, [path[0]!]: setAt((base as any)[path[0]!], path.slice(1), field.type, value) };
}

function targets(): Target[] {
  const schema = getSchema();
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() } as const;
  const found: Target[] = [];
  for (const [operation, root] of Object.entries(roots) as [Target['operation'], typeof roots.query][]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      for (const argument of field.args as GraphQLArgument[]) {
        for (const path of stringPaths(argument.type)) {
          found.push({
            operation,
            field,
            path: [argument.name, ...path],
            build: (value) => {
              const args = Object.fromEntries(field.args.filter((other) => isNonNullType(other.type)).map((other) => [other.name, baseline(other.type)]));
              args[argument.name] = setAt(args[argument.name], path, argument.type, value);
              return args;
            },
          });
        }
      }
    }
  }
  return found;
}

function document(target: Target): string {
  const variables = target.field.args.map((argument) => `$${argument.name}: ${argument.type.toString()}`);
  const passed = target.field.args.map((argument) => `${argument.name}: $${argument.name}`);
  const selection = isScalarType(getNamedType(target.field.type)) || isEnumType(getNamedType(target.field.type)) ? '' : ' { __typename }';
  return `${target.operation}${variables.length ? `(${variables.join(', ')})` : ''} { ${target.field.name}${passed.length ? `(${passed.join(', ')})` : ''}${selection} }`;
}

async function send(target: Target, value: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${test.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      accept: target.operation === 'subscription' ? 'text/event-stream' : 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query: document(target), variables: target.build(value) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (target.operation !== 'subscription') return { status: response.status, text: await response.text() };
  // A stream: its first event is the verdict (an error, or a first update on a valid request).
  const reader = response.body!.getReader();
  let text = '';
  while (!/\n\n/.test(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  await reader.cancel();
  return { status: response.status, text };
}

describe('hostile strings in every argument', () => {
  const all = targets();
  it('finds the arguments to attack by walking the schema', () => {
    const names = all.map((target) => `${target.field.name}.${target.path.join('.')}`);
    expect(names).toEqual(expect.arrayContaining(['job.id', 'jobs.after', 'jobUpdated.id', 'jobUpdated.after', 'jobsUpdated.after', 'cancelJob.id']));
  });

  it.each(Object.entries(hostile))('answers %s without a server error, an echo or an accepted cursor', async (_name, value) => {
    const before = await rowCounts();
    const failures: string[] = [];
    for (const target of all) {
      const where = `${target.operation} ${target.field.name}(${target.path.join('.')})`;
      const { status, text } = await send(target, value);
      const problems = [
        status >= 500 && `HTTP ${status}`,
        /\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(text) && 'a stack trace',
        text.length > 20_000 && `a ${text.length}-byte answer`,
        text.includes('xxxxxxxxxxxxxxxxxxxx') && 'the raw value echoed',
        (text.includes('\\u0000') || text.includes('\u0000')) && 'the NUL byte echoed',
        /Unexpected error|INTERNAL_SERVER_ERROR/.test(text) && 'an internal error',
        target.path.at(-1) === 'after' && !/BAD_USER_INPUT/.test(text) && 'a cursor accepted',
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${where}: ${problems.join(', ')} -> ${status} ${text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    // Junk around a cursor is a fine prompt or name elsewhere; the other values are valid nowhere.
    if (!value.startsWith('!!')) expect(await rowCounts()).toEqual(before);
  });
});

describe('hostile strings over WebSocket', () => {
  it('are refused as BAD_USER_INPUT without an echo, like over HTTP', async () => {
    for (const value of Object.values(hostile)) {
      for (const [query, variables] of [
        ['subscription($id: ID!, $after: String) { jobUpdated(id: $id, after: $after) { type } }', { id: '00000000-0000-4000-8000-000000000000', after: value }],
        ['subscription($after: String) { jobsUpdated(after: $after) { type } }', { after: value }],
      ] as const) {
        const failure = await test
          .wsClient(key)
          .iterate({ query, variables })
          .next()
          .then(
            (result) => result.value,
            (error) => error,
          );
        const text = JSON.stringify(failure ?? null);
        expect(text).toContain('BAD_USER_INPUT');
        expect(text.length).toBeLessThan(20_000);
        expect(text).not.toContain('\\u0000');
      }
    }
  });
});

import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  type GraphQLArgument,
  type GraphQLEnumValue,
  type GraphQLInputFieldMap,
  type GraphQLSchema,
} from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import './image.js';
import './model.js';
import './job.js';
import './generate.js';
import './job-update.js';
import './viewer.js';
import './media.js';
import './provider.js';
import './account.js';
import './operator.js';
import './node.js';
import './webhook.js';

let schema: GraphQLSchema | undefined;

/** The GraphQL schema, built once per process from the Pothos definitions. */
export function getSchema(): GraphQLSchema {
  schema ??= withFastInputFieldMaps(builder.toSchema());
  return schema;
}

/**
 * graphql-js keeps each input type's fields in an `Object.create(null)` map, which V8 stores in
 * dictionary mode, and coercing a variable walks `Object.values(type.getFields())` of every input
 * object in it: for `generateImage`, whose `model` input has a field per model, that walk was
 * half of the variables' coercion (10.7 µs per submission, 5.4 µs with these maps). The maps are
 * replaced, once, by copies with the same fields in the same order and a null prototype, which V8
 * keeps in fast mode. The field objects themselves are the same.
 */
function withFastInputFieldMaps(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isInputObjectType(type)) continue;
    const fast: GraphQLInputFieldMap = Object.setPrototypeOf(Object.fromEntries(Object.entries(type.getFields())), null);
    // `getFields()` returns `_fields` once its thunk has run (graphql-js 16).
    (type as unknown as { _fields: GraphQLInputFieldMap })._fields = fast;
  }
  return built;
}

/** Where a field sits in `schema.graphql`: `id` first, timestamps last, the rest by name between. */
function fieldGroup(name: string): number {
  return name === 'id' ? 0 : name === 'createdAt' ? 2 : name === 'updatedAt' ? 3 : 1;
}

const byName = (left: string, right: string) => left.localeCompare(right);
const byGroupThenName = (left: string, right: string) => fieldGroup(left) - fieldGroup(right) || byName(left, right);

/** Reorders an object's keys in place. */
function reorderKeys(record: Record<string, unknown>, compare: (left: string, right: string) => number): void {
  for (const [key, value] of Object.entries(record).sort(([left], [right]) => compare(left, right))) {
    Reflect.deleteProperty(record, key);
    record[key] = value;
  }
}

/**
 * The schema as `schema.graphql` prints it, in the order graphql-eslint's `alphabetize` expects:
 * definitions and enum values by name (locale order), fields and arguments by name with `id` first
 * and `createdAt`/`updatedAt` last. The copy is private to printing, so it is reordered in place.
 */
export function printableSchema(): GraphQLSchema {
  const sorted = lexicographicSortSchema(getSchema());
  const types = sorted.getTypeMap() as Record<string, unknown>;
  reorderKeys(types, byName);
  for (const type of Object.values(sorted.getTypeMap())) {
    if (isEnumType(type)) (type.getValues() as GraphQLEnumValue[]).sort((left, right) => byName(left.name, right.name));
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    const fields = type.getFields();
    reorderKeys(fields, byGroupThenName);
    for (const field of Object.values(fields)) if ('args' in field) (field.args as GraphQLArgument[]).sort((left, right) => byGroupThenName(left.name, right.name));
  }
  return sorted;
}

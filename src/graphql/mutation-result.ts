import type { ObjectRef } from '@pothos/core';
import { builder, QueryRoot, type PictorSchemaTypes } from './builder.js';

/**
 * Adds `query: Query!` to a type a mutation returns, so a client reads whatever the change
 * affects (a balance, a list) in the same round trip.
 */
export function addQueryField<T>(type: ObjectRef<PictorSchemaTypes, T>): void {
  builder.objectField(type, 'query', (t) => t.field({ type: QueryRoot, description: 'Every query, to read what this change affected in the same request.', resolve: () => ({}) }));
}

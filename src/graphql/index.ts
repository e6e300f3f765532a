import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
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
  schema ??= builder.toSchema();
  return schema;
}

export function printableSchema(): GraphQLSchema {
  return lexicographicSortSchema(getSchema());
}

import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { MaxSeed } from '../catalog/rules/validate.js';
import type { Context } from '../services.js';
import SkipEmptyValidationPlugin from './skip-empty-validation.js';
import { authScopesOf, unauthorizedError, type AuthScopes } from './auth-scopes.js';

/**
 * The one Pothos builder: plugins and scalars only. Types live one per file next to their
 * queries, mutations and subscriptions; `index.ts` imports them all.
 */
interface PictorTypes {
  Context: Context;
  AuthScopes: AuthScopes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    Seed: { Input: number; Output: number };
    File: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
}

export const builder = new SchemaBuilder<PictorTypes>({
  // Scope auth first: a field's scopes are checked before its arguments are validated. Argument
  // validation failures stay GraphQL errors (BAD_USER_INPUT); only the error classes a union
  // lists become typed results. Arguments whose input types declare no `validate` are not run
  // through zod at all (skip-empty-validation.ts; it must stay right before the zod plugin).
  plugins: [ScopeAuthPlugin, SkipEmptyValidationPlugin, ZodPlugin, ErrorsPlugin],
  errors: { defaultTypes: [] },
  defaultFieldNullability: false,
  // Who may call what is declared on each field (`authScopes`); see auth-scopes.ts.
  scopeAuth: { authorizeOnSubscribe: true, authScopes: authScopesOf, unauthorizedError },
  zod: {
    // Argument validation failures are the client's fault: say which argument and why.
    validationError: (error) =>
      new GraphQLError(error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '), {
        extensions: { code: 'BAD_USER_INPUT', issues: error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })) },
      }),
  },
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 timestamp');
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/** Seeds are unsigned 32-bit integers: beyond GraphQL's Int, so they get a scalar of their own. */
function parseSeed(value: unknown): number {
  // Range is the catalog's to check (a typed ValidationError naming `seed`); here only the kind of value.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new GraphQLError(`Seed must be an integer from 0 to ${MaxSeed}`);
}

builder.scalarType('Seed', {
  description: `A seed for reproducible results: an integer from 0 to ${MaxSeed} (unsigned 32-bit, beyond Int).`,
  serialize: (value) => value,
  parseValue: parseSeed,
  parseLiteral: (ast) => parseSeed(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

builder.scalarType('File', {
  description: 'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new GraphQLError('File is an input-only scalar');
  },
  parseValue: (value) => {
    // Duck-typed: yoga's multipart parser hands over its own File class, not Node's global one.
    if (typeof (value as Partial<File> | null)?.arrayBuffer === 'function') return value as File;
    throw new GraphQLError('File must be a file sent as a multipart request, not a JSON value');
  },
});

// Every root field needs a valid API key at least; fields add the scopes they need on top.
export const QueryRoot = builder.queryType({ description: 'Reads: models, jobs, media, the account and (for operators) the deployment.', authScopes: { authenticated: true } });
builder.mutationType({ description: 'Changes: jobs, media, keys, webhooks and (for operators) accounts.', authScopes: { authenticated: true } });
builder.subscriptionType({ description: 'Live job updates, resumable with `after: cursor`.', authScopes: { authenticated: true } });

/** The schema types of `builder`, for helpers that take its refs. */
export type PictorSchemaTypes = PothosSchemaTypes.ExtendDefaultTypes<PictorTypes>;

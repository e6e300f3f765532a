import { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { Context, Viewer } from '../services.js';

/**
 * The scopes fields declare with `authScopes`:
 * - `authenticated`: any valid API key;
 * - `read`, `generate`, `admin`: a key carrying that tenant scope (admin = the own account's keys
 *   and webhooks, nothing else);
 * - `operator`: an operator key, which runs the deployment and may touch every account.
 */
export interface AuthScopes {
  authenticated: boolean;
  read: boolean;
  generate: boolean;
  admin: boolean;
  operator: boolean;
}

export function authScopesOf(context: Context): AuthScopes {
  const viewer = context.viewer;
  return {
    authenticated: viewer !== null,
    read: viewer?.scopes.includes('read') ?? false,
    generate: viewer?.scopes.includes('generate') ?? false,
    admin: viewer?.scopes.includes('admin') ?? false,
    operator: viewer?.operator === true,
  };
}

/** Request-level failure: not logged in. HTTP 401. */
export function unauthenticated(message = 'A valid API key is required: send "Authorization: Bearer <key>"'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Request-level failure: the key in use may not do this. HTTP 403. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

function missingScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure.scope];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(missingScopes);
    default:
      return [];
  }
}

/** The error of a field whose `authScopes` the key does not satisfy: UNAUTHENTICATED or FORBIDDEN. */
export function unauthorizedError(_parent: unknown, context: Context, _info: unknown, result: { failure: AuthFailure }): GraphQLError {
  if (!context.viewer) return unauthenticated();
  const scopes = [...new Set(missingScopes(result.failure))];
  if (scopes.includes('operator')) return forbidden('This operation is for operators: it needs an operator API key');
  if (scopes.length > 0) return forbidden(`This API key lacks the "${scopes.join('", "')}" scope`);
  return forbidden('This API key may not do this');
}

/**
 * The viewer of a field that declared `authScopes` (the plugin ran before the resolver, so a
 * viewer is there); the guard keeps a field that forgot its scopes from running anonymously.
 */
export function viewerOf(context: Context): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

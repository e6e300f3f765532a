import { Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rateLimited } from '../accounts/rate-limit.js';
import type { Context } from '../services.js';
import { unauthenticated } from '../graphql/auth-scopes.js';
import { rootFieldCount, selectedOperation } from './operation-cost.js';

/** True when the operation only asks for `__schema` / `__type` / `__typename` (GraphiQL's docs). */
function isIntrospectionOnly(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = selectedOperation(document, operationName);
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
}

/** Refuses (throws UNAUTHENTICATED or RATE_LIMITED) an operation the plugin below refuses. */
export async function admit(context: Context, document: DocumentNode, operationName: string | null | undefined): Promise<void> {
  if (!context.viewer) {
    if (isIntrospectionOnly(document, operationName)) return;
    throw unauthenticated();
  }
  const operations = rootFieldCount(document, operationName);
  const decision = await context.services.rateLimiter.count(context.viewer, context.services.config.limits.requestsPerMinute, operations);
  if (!decision.allowed) throw rateLimited(decision);
}

/**
 * Every operation needs a valid API key, except introspection (so GraphiQL can show the docs
 * before a key is entered): UNAUTHENTICATED with HTTP 401. Every root field executed (per
 * operation of a batch, per WebSocket subscription) counts against the key's per-minute budget:
 * RATE_LIMITED with HTTP 429.
 */
export function useRequireApiKey(): Plugin<Context> {
  return {
    async onExecute({ args }) {
      await admit(args.contextValue as Context, args.document, args.operationName);
    },
    async onSubscribe({ args }) {
      await admit(args.contextValue as Context, args.document, args.operationName);
    },
  };
}

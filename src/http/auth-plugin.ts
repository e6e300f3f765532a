import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../services.js';
import { unauthenticated } from '../schema/errors.js';

/** True when the operation only asks for `__schema` / `__type` / `__typename` (GraphiQL's docs). */
function isIntrospectionOnly(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.length === 1 ? operations[0] : operations.find((candidate) => candidate.name?.value === operationName);
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
}

/**
 * Every operation needs a valid API key, except introspection (so GraphiQL can show the docs
 * before a key is entered). Rejected before execution with UNAUTHENTICATED and HTTP 401.
 */
export function useRequireApiKey(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as Context;
      if (!context.viewer && !isIntrospectionOnly(args.document, args.operationName)) throw unauthenticated();
    },
    onSubscribe({ args }) {
      const context = args.contextValue as Context;
      if (!context.viewer) throw unauthenticated();
    },
  };
}

import { execute } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries and mutations run on graphql-js's own `execute` instead of the executor yoga installs
 * (`@graphql-tools/executor`), whose extra abilities Pictor does not use: its schema declares
 * neither `@defer` nor `@stream`, and an answer is never cut short by the request's signal.
 * That executor copies every variable value (`snapshotInputValue`) before graphql-js coerces it,
 * so the input of `generateImage`, with one field per model, was walked twice per submission: a
 * tenth of the server's CPU at 64 clients. Subscriptions keep yoga's executor (`subscribe` is
 * untouched). Placed first among the plugins: no other one replaces the execute function.
 */
export function useGraphQLJsExecute(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(execute as Parameters<typeof setExecuteFn>[0]);
    },
  };
}

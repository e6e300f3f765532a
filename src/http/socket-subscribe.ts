import { GraphQLError, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../services.js';
import { admit } from './auth-plugin.js';
import { stringRefusal } from './input-guard.js';
import { sharedEventSubscribe, type MaskError } from './shared-event-results.js';

/**
 * The plugins that act on a subscription, by name, in the order yoga runs them. `socketSubscribe`
 * does their work itself; the server refuses to start (`assertSubscribeHooksCovered`) when a plugin
 * with an `onSubscribe` hook is added to (or removed from) it without this list changing with it.
 */
export const SUBSCRIBE_HOOKS = [
  "yoga's engine (the subscribe function: graphql-js's here)",
  "yoga's result processors (HTTP media types)",
  "yoga's AbortError pass-through (HTTP requests)",
  'masked errors',
  'API key and rate limit',
  'string guard',
  'shared event results',
] as const;

type Results = ExecutionResult | AsyncIterableIterator<ExecutionResult>;

/**
 * `subscribe` for graphql-ws: what yoga's plugins do to a subscription, without envelop's
 * per-subscription orchestration. Envelop wraps each subscription's results in three mapping
 * iterators (result hooks, end hooks, error hooks) whose closures keep the hook arrays, the
 * arguments and the context for as long as the subscription lives: 2.7 KB of heap per idle
 * subscription, a quarter of all it holds (bench/realtime-heap.ts). Here the same steps run
 * directly, in the plugins' order:
 * 1. the API key and the rate limit (`useRequireApiKey`): a refusal answers the operation with
 *    its error (UNAUTHENTICATED, RATE_LIMITED) and the socket stays open;
 * 2. the string guard (`useStringGuard`): BAD_USER_INPUT naming the argument;
 * 3. shared event results (`useSharedEventResults`), which mask every error their readers get;
 * 4. error masking (yoga's `maskedErrors`) of anything else.
 * Yoga's other subscribe hooks only concern HTTP requests (an aborted request, the response's
 * media type). HTTP subscriptions (SSE) keep the plugins' own path.
 */
export function socketSubscribe(maskError: MaskError): (args: ExecutionArgs) => Promise<Results> {
  const shared = sharedEventSubscribe(subscribe as (args: ExecutionArgs) => unknown, maskError);
  const maskResult = (result: ExecutionResult): ExecutionResult => (result.errors ? { ...result, errors: result.errors.map(maskError) } : result);
  return async (args) => {
    try {
      await admit(args.contextValue as Context, args.document, args.operationName);
      const refusal = stringRefusal(args);
      if (refusal) return maskResult(refusal);
      // A stream is shared event results, which mask their own errors: every WebSocket operation
      // has a viewer, so `sharedEventSubscribe` maps it.
      const results = (await shared(args)) as Results;
      return Symbol.asyncIterator in results ? results : maskResult(results);
    } catch (error) {
      return { errors: [maskError(error instanceof GraphQLError ? error : new GraphQLError(String((error as Error)?.message ?? error), { originalError: error as Error }))] };
    }
  };
}

/**
 * An error as yoga writes it over HTTP: without the extensions meant for the server (`http`, the
 * status and headers an HTTP answer takes from it, and `unexpected`, yoga's mark of a masked error).
 */
export function withoutInternals(error: GraphQLError): GraphQLError {
  const extensions = error.extensions as Record<string, unknown> | undefined;
  if (!extensions || (!('http' in extensions) && !('unexpected' in extensions))) return error;
  const { http: _http, unexpected: _unexpected, ...rest } = extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: rest,
  });
}

/**
 * Refuses to start a server where a plugin acts on subscriptions that `socketSubscribe` does not
 * know of: such a plugin would run for SSE subscriptions and be skipped on WebSockets.
 */
export function assertSubscribeHooksCovered(plugins: readonly unknown[]): void {
  // Yoga's list holds `false` where an optional plugin is off.
  const acting = plugins.filter((plugin) => typeof (plugin as { onSubscribe?: unknown } | null)?.onSubscribe === 'function').length;
  if (acting !== SUBSCRIBE_HOOKS.length) {
    throw new Error(`${acting} plugins act on subscriptions, socketSubscribe does the work of ${SUBSCRIBE_HOOKS.length} (${SUBSCRIBE_HOOKS.join(', ')}): update src/http/socket-subscribe.ts`);
  }
}

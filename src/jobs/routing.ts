import type { ModelRoute } from '../catalog/spec.js';
import { AbortedError, coerceError, PictorError } from '../errors.js';
import { UpstreamError, type FailureKind } from '../providers/errors.js';
import { delay } from '../providers/http.js';
import type { GenerationResult, ImageProvider, ProgressUpdate } from '../providers/spec.js';
import type { GenerationRequest } from '../catalog/request.js';

/** One upstream call as the job records it (`Job.providerAttempts`). */
export interface ProviderAttempt {
  provider: string;
  upstreamModel: string;
  /** `succeeded`, or the failure kind. */
  outcome: 'succeeded' | FailureKind | 'error';
  code?: string;
  statusCode?: number;
  message?: string;
  durationMs: number;
  at: string;
}

/** Caps calls in flight per provider within this process. */
export class ProviderLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limitOf: (provider: string) => number) {}

  async acquire(provider: string, signal: AbortSignal): Promise<() => void> {
    while ((this.active.get(provider) ?? 0) >= this.limitOf(provider)) {
      await new Promise<void>((resolve, reject) => {
        const queue = this.waiting.get(provider) ?? [];
        this.waiting.set(provider, queue);
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          queue.splice(queue.indexOf(wake), 1);
          reject(signal.reason);
        };
        queue.push(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.active.set(provider, (this.active.get(provider) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active.set(provider, (this.active.get(provider) ?? 1) - 1);
      this.waiting.get(provider)?.shift()?.();
    };
  }
}

export interface RoutingOptions {
  routes: readonly ModelRoute[];
  providers: ReadonlyMap<string, ImageProvider>;
  request: Omit<GenerationRequest, 'upstreamModel' | 'upstreamEditModel'>;
  signal: AbortSignal;
  onProgress: (update: ProgressUpdate) => void;
  limiter: ProviderLimiter;
  maxRetries: number;
  retryBaseMs: number;
  /** Called after every upstream call (success or failure). */
  onAttempt: (attempt: ProviderAttempt) => void;
}

/** The job's failure after routing, with every attempt made. */
export class RoutingFailure extends PictorError {
  constructor(
    readonly last: PictorError,
    readonly provider: string | null,
  ) {
    super(last.code, last.message, { retryable: last.retryable, cause: last });
  }
}

function kindOf(error: PictorError): FailureKind | 'error' {
  return error instanceof UpstreamError ? error.kind : 'error';
}

/**
 * Runs the request on the model's configured routes in order of preference. Retryable failures
 * (429 honouring Retry-After, 5xx, timeouts, resets, malformed bodies) are retried with backoff,
 * then the next route is tried; a provider refusing its credentials is skipped at once; an
 * invalid request or a content-policy refusal fails at once, since no route would accept it.
 */
export async function callWithRoutes(options: RoutingOptions): Promise<{ result: GenerationResult; provider: string }> {
  const routes = options.routes.filter((route) => options.providers.has(route.provider));
  if (routes.length === 0) throw new PictorError('NO_ROUTE', `No provider is configured for model ${options.request.modelId}`);
  let last: PictorError | undefined;
  let lastProvider: string | null = null;
  for (const route of routes) {
    const provider = options.providers.get(route.provider)!;
    lastProvider = provider.id;
    for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
      const startedAt = Date.now();
      const release = await options.limiter.acquire(provider.id, options.signal);
      try {
        const result = await untilAborted(
          provider.run(
            { ...options.request, upstreamModel: route.upstreamModel, ...(route.upstreamEditModel ? { upstreamEditModel: route.upstreamEditModel } : {}) },
            { signal: options.signal, onProgress: options.onProgress },
          ),
          options.signal,
        );
        options.onAttempt({ provider: provider.id, upstreamModel: route.upstreamModel, outcome: 'succeeded', durationMs: Date.now() - startedAt, at: new Date(startedAt).toISOString() });
        return { result, provider: provider.id };
      } catch (thrown) {
        // Our own cancel, timeout or shutdown: not the upstream's fault, and not for routing to handle.
        if (options.signal.aborted) throw thrown instanceof AbortedError ? thrown : coerceError(options.signal.reason);
        const error = coerceError(thrown);
        last = error;
        const upstream = error instanceof UpstreamError ? error : undefined;
        options.onAttempt({
          provider: provider.id,
          upstreamModel: route.upstreamModel,
          outcome: kindOf(error),
          code: error.code,
          ...(upstream?.details.statusCode ? { statusCode: upstream.details.statusCode } : {}),
          message: error.message.slice(0, 500),
          durationMs: Date.now() - startedAt,
          at: new Date(startedAt).toISOString(),
        });
        if (upstream?.kind === 'invalid_request' || upstream?.kind === 'content_policy') throw new RoutingFailure(error, provider.id);
        if (upstream?.kind === 'authentication' || !error.retryable) break;
        if (attempt < options.maxRetries) {
          const backoff = options.retryBaseMs * 2 ** attempt;
          await delay(Math.min(60_000, Math.max(backoff, upstream?.details.retryAfterMs ?? 0)), options.signal);
        }
      } finally {
        release();
      }
    }
  }
  throw new RoutingFailure(last ?? new PictorError('NO_ROUTE', 'No route could run the job'), lastProvider);
}

/** Rejects as soon as the signal fires, even if the engine ignores it. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

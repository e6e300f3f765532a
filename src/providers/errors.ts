import { ProviderError } from '../errors.js';

/**
 * How an upstream failure is handled by the router:
 * - `retryable`: 429, 5xx, timeouts, resets, malformed bodies: retry with backoff, then the next route.
 * - `authentication`: the provider is misconfigured (401/403): skip to the next route at once.
 * - `invalid_request` / `content_policy`: the request itself is at fault: fail the job at once.
 * - `timeout`: the upstream call took too long: retryable.
 */
export const FailureKinds = ['retryable', 'authentication', 'invalid_request', 'content_policy', 'timeout'] as const;
export type FailureKind = (typeof FailureKinds)[number];

const codes: Record<FailureKind, string> = {
  retryable: 'UPSTREAM_UNAVAILABLE',
  authentication: 'UPSTREAM_AUTHENTICATION',
  invalid_request: 'UPSTREAM_INVALID_REQUEST',
  content_policy: 'CONTENT_POLICY',
  timeout: 'UPSTREAM_TIMEOUT',
};

/** A classified upstream failure carrying what the upstream said. */
export class UpstreamError extends ProviderError {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: {
      /** Provider id. */
      provider: string;
      /** HTTP status, when there was a response. */
      statusCode?: number;
      /** Response body (truncated), for operators and the job's error message. */
      responseBody?: string;
      /** From Retry-After, when the upstream asked to wait. */
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(codes[kind], message, { retryable: kind === 'retryable' || kind === 'timeout', cause: details.cause });
  }

  get provider(): string {
    return this.details.provider;
  }
}

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CONTENT_POLICY = /content[ _-]?(policy|moderation|filter)|safety|moderat|nsfw|blocked|flagged|prohibited|violat/i;

/**
 * Classifies an HTTP failure. `bodyText` is used to recognise content-policy refusals, which most
 * upstreams report as 400/422 with a telling message.
 */
export function classifyHttpFailure(provider: string, status: number, bodyText: string, retryAfter?: string | null): UpstreamError {
  const body = bodyText.slice(0, 2000);
  const summary = upstreamMessage(body) ?? `HTTP ${status}`;
  const details = { provider, statusCode: status, responseBody: body, retryAfterMs: parseRetryAfter(retryAfter) };
  if (status === 408 || status === 429 || status >= 500) return new UpstreamError('retryable', `${provider}: ${summary}`, details);
  if (status === 401 || status === 403) {
    if (CONTENT_POLICY.test(body)) return new UpstreamError('content_policy', `${provider}: ${summary}`, details);
    return new UpstreamError('authentication', `${provider} rejected the credentials: ${summary}`, details);
  }
  if (CONTENT_POLICY.test(body)) return new UpstreamError('content_policy', `${provider}: ${summary}`, details);
  return new UpstreamError('invalid_request', `${provider}: ${summary}`, details);
}

/** The human part of a typical JSON error body (`{error:{message}}`, `{detail}`, `{message}`). */
export function upstreamMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const error = parsed.error as Record<string, unknown> | string | undefined;
    const candidates = [typeof error === 'object' ? error?.message : error, parsed.detail, parsed.message, parsed.errors];
    for (const candidate of candidates) {
      if (typeof candidate === 'string' && candidate) return candidate.slice(0, 500);
      if (Array.isArray(candidate) && candidate.length) return JSON.stringify(candidate).slice(0, 500);
      if (candidate && typeof candidate === 'object') return JSON.stringify(candidate).slice(0, 500);
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const text = body.trim();
  return text ? text.slice(0, 300) : undefined;
}

/** Network-level failures (reset, refused, DNS, aborted by our timeout) are retryable. */
export function classifyNetworkFailure(provider: string, error: unknown, signal?: AbortSignal): UpstreamError | undefined {
  if (signal?.aborted) return undefined; // Our own cancel/timeout/shutdown: the runner handles it.
  const message = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
  if (error instanceof Error && error.name === 'TimeoutError') return new UpstreamError('timeout', `${provider} did not answer in time`, { provider, cause: error });
  return new UpstreamError('retryable', `${provider} could not be reached: ${message}`, { provider, cause: error });
}

import type { Services, Viewer } from '../../services.js';

/** Why a REST request was turned away before its body was looked at. */
export interface Refusal {
  readonly ok: false;
  readonly status: 401 | 403 | 429;
  readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED';
  readonly message: string;
  /** Seconds, for 429 (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
}

export type Admission = { readonly ok: true; readonly viewer: Viewer } | Refusal;

export interface AdmissionOptions {
  /** The scope the route needs (`generate` to submit, `read` to poll). */
  readonly scope: 'generate' | 'read';
  /** Also accept the key in `X-API-Key` (services whose clients send it there). */
  readonly apiKeyHeader?: boolean;
}

/**
 * The same gate as GraphQL: a valid API key (Bearer, or X-API-Key where the service uses it),
 * the route's scope, and one count against the key's per-minute budget shared with GraphQL.
 */
export async function admit(request: Request, services: Services, options: AdmissionOptions): Promise<Admission> {
  const apiKey = options.apiKeyHeader ? request.headers.get('x-api-key') : null;
  const authorization = request.headers.get('authorization') ?? (apiKey ? `Bearer ${apiKey}` : null);
  const viewer = authorization ? await services.authenticator.authenticate(authorization) : undefined;
  if (!viewer) {
    const how = options.apiKeyHeader ? '"Authorization: Bearer <key>" or "X-API-Key: <key>"' : '"Authorization: Bearer <key>"';
    return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: `A valid API key is required: send ${how}` };
  }
  if (!viewer.scopes.includes(options.scope)) return { ok: false, status: 403, code: 'FORBIDDEN', message: `This API key lacks the "${options.scope}" scope` };
  const decision = await services.rateLimiter.count(viewer, services.config.limits.requestsPerMinute);
  if (!decision.allowed) {
    return {
      ok: false,
      status: 429,
      code: 'RATE_LIMITED',
      message: `Rate limit of ${decision.limit} requests per minute exceeded for this API key; retry in ${decision.retryAfterSeconds} s`,
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }
  return { ok: true, viewer };
}

/** Headers a refusal carries (Retry-After for 429). */
export function refusalHeaders(refusal: Refusal): Record<string, string> {
  return refusal.retryAfterSeconds !== undefined ? { 'Retry-After': String(refusal.retryAfterSeconds) } : {};
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } });
}

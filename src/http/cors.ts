import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request headers a cross-origin page may send: the API key, JSON bodies, idempotency, the CSRF
 * headers GraphQL clients add, and what SSE and Apollo clients send.
 */
export const CorsAllowedHeaders = [
  'authorization',
  'content-type',
  'idempotency-key',
  'accept',
  'x-graphql-csrf',
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
  'graphql-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'cache-control',
  'last-event-id',
  'if-none-match',
] as const;

/** Response headers a cross-origin page may read (rate limits, caching, created resources). */
const ExposedHeaders = ['retry-after', 'etag', 'location', 'content-length', 'content-type'];
const AllowedMethods = 'GET, HEAD, POST, OPTIONS';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface Cors {
  /**
   * Adds the CORS headers for an allowed origin (and `Vary: Origin` always) to `response`. A
   * preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here: 204 for an allowed
   * origin, 403 otherwise. Returns true when the response was sent.
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** WebSocket upgrades: no Origin (not a browser), the server's own origin, or an allowed one. */
  allowsUpgrade(request: IncomingMessage): boolean;
}

/**
 * CORS for every HTTP route (GraphQL, files, media, REST) from `CORS_ORIGINS`: allowed origins are
 * echoed back (never with credentials: Pictor authenticates by header, not cookie).
 */
export function createCors(origins: readonly string[], publicUrl?: string): Cors {
  const anyOrigin = origins.includes('*');
  // Behind a proxy that rewrites Host, pages served under PUBLIC_URL are still this server's own.
  const allowed = new Set(publicUrl ? [...origins, new URL(publicUrl).origin] : origins);
  const isAllowed = (origin: string) => anyOrigin || allowed.has(origin.toLowerCase());

  return {
    handle(request, response) {
      response.setHeader('Vary', 'Origin');
      const origin = headerValue(request.headers.origin);
      const preflight = request.method === 'OPTIONS' && headerValue(request.headers['access-control-request-method']) !== undefined;
      if (origin === undefined || isSameOrigin(request, origin)) {
        if (!preflight) return false;
        response.writeHead(204, preflightHeaders()).end();
        return true;
      }
      if (!isAllowed(origin)) {
        if (!preflight) return false;
        const message = `Origin ${origin.slice(0, 200)} is not allowed: add it to CORS_ORIGINS`;
        response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) }).end(message);
        return true;
      }
      response.setHeader('Access-Control-Allow-Origin', origin);
      if (!preflight) {
        response.setHeader('Access-Control-Expose-Headers', ExposedHeaders.join(', '));
        return false;
      }
      response.writeHead(204, preflightHeaders()).end();
      return true;
    },
    allowsUpgrade(request) {
      const origin = headerValue(request.headers.origin);
      return origin === undefined || isSameOrigin(request, origin) || isAllowed(origin);
    },
  };
}

function preflightHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': AllowedMethods,
    'Access-Control-Allow-Headers': CorsAllowedHeaders.join(', '),
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    'Content-Length': '0',
  };
}

/** A page served by this very server (GraphiQL, /demo): its host is the one the request was sent to. */
function isSameOrigin(request: IncomingMessage, origin: string): boolean {
  const host = headerValue(request.headers.host);
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}

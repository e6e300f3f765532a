import type { IncomingMessage, ServerResponse } from 'node:http';
import { coerceError } from '../errors.js';
import type { Services } from '../services.js';
import { apiframeRoutes } from './apiframe/routes.js';
import { openApiRoutes } from './openapi.js';
import { openaiRoutes } from './openai/routes.js';
import { tripoRoutes } from './tripo/routes.js';
import { wondaRoutes } from './wonda/routes.js';
import { jsonResponse } from './shared/admission.js';
import { readBody } from '../net/read-body.js';
import { sendFetchResponse, toFetchRequest } from './shared/node-bridge.js';
import type { RestRoute } from './shared/route.js';

/**
 * The REST wire formats, mounted by the HTTP server with one call. Each format lives in its own
 * folder and translates to the one submission service; this file only matches paths.
 */

export const restRoutes: readonly RestRoute[] = [...openaiRoutes, ...apiframeRoutes, ...wondaRoutes, ...tripoRoutes, ...openApiRoutes];

interface Match {
  readonly route: RestRoute;
  readonly params: Record<string, string>;
}

function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = pathname.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = actual[index]!;
    if (part.startsWith(':')) {
      if (!segment) return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) return undefined;
  }
  return params;
}

/**
 * First path segments of the routes (`v1`, `api`, ...): a request for any other path, most of all
 * `/graphql`, is passed on without matching every route. Empty when a route starts with a
 * parameter, which would match any first segment.
 */
const FirstSegments: ReadonlySet<string> = restRoutes.some((route) => route.path.split('/')[1]!.startsWith(':')) ? new Set() : new Set(restRoutes.map((route) => route.path.split('/')[1]!));

function mayMatch(pathname: string): boolean {
  if (FirstSegments.size === 0) return true;
  const end = pathname.indexOf('/', 1);
  return FirstSegments.has(pathname.slice(1, end === -1 ? undefined : end));
}

function findRoutes(pathname: string): Match[] {
  const normalized = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return restRoutes.flatMap((route) => {
    const params = matchPath(route.path, normalized);
    return params ? [{ route, params }] : [];
  });
}

/** Envelope of multipart form fields and base64 growth over the media limit. */
const EnvelopeBytes = 1024 * 1024;

/** Handles the request when it is for a REST route (true), or leaves it alone (false). */
export function handleRestRequest(request: IncomingMessage, response: ServerResponse, services: Services, url = new URL(request.url ?? '/', 'http://localhost')): boolean {
  if (!mayMatch(url.pathname)) return false;
  const matches = findRoutes(url.pathname);
  if (matches.length === 0) return false;
  const match = matches.find((candidate) => candidate.route.method === request.method || (request.method === 'HEAD' && candidate.route.method === 'GET'));
  void respond(request, response, services, url, match, matches).catch((error) => {
    services.log('error', 'REST route failed', { path: url.pathname, error: coerceError(error).message });
    if (!response.headersSent)
      response.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'Internal error', type: 'server_error', code: 'internal_error', param: null } }));
    else response.end();
  });
  return true;
}

async function respond(request: IncomingMessage, response: ServerResponse, services: Services, url: URL, match: Match | undefined, candidates: Match[]): Promise<void> {
  if (!match) {
    const allow = [...new Set(candidates.map((candidate) => candidate.route.method))].join(', ');
    return sendFetchResponse(
      response,
      jsonResponse(405, { error: { message: `Use ${allow} on ${url.pathname}`, type: 'invalid_request_error', code: 'method_not_allowed', param: null } }, { Allow: allow }),
    );
  }
  const { config } = services;
  const limit = match.route.multipart
    ? Math.ceil((config.media.maxBytes * 4) / 3) * 4 + EnvelopeBytes
    : Math.max(config.limits.maxRequestBytes, Math.ceil((config.media.maxBytes * 4) / 3) + EnvelopeBytes);
  const declared = Number(request.headers['content-length'] ?? 0);
  const body = declared > limit ? undefined : request.method === 'GET' || request.method === 'HEAD' ? new Uint8Array() : await readBody(request, limit);
  if (!body) {
    response.setHeader('Connection', 'close');
    return sendFetchResponse(response, jsonResponse(413, { error: { message: `Request body larger than ${limit} bytes`, type: 'invalid_request_error', code: 'payload_too_large', param: null } }));
  }
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  const fetchRequest = toFetchRequest(request, url, body, controller.signal);
  const result = await match.route.handler({ request: fetchRequest, services, params: match.params });
  await sendFetchResponse(response, result);
}

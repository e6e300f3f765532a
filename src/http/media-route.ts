import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMedia, importMedia } from '../media/create-media.js';
import { httpStatus, MediaErrorCodes, type MediaResult } from '../media/errors.js';
import type { MediaRecord } from '../media/records.js';
import { mediaJson, mediaOptions } from '../media/service.js';
import type { Services } from '../services.js';
import { readBody } from '../net/read-body.js';

/** Room for multipart boundaries and headers, or base64 growth of a JSON data URL, over the file limit. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * `POST /v1/media`: creates a media from a multipart `file` field, a raw image body, or a JSON
 * body `{ "url": "https://..." }` / `{ "dataUrl": "data:..." }`. Answers 201 with the media as
 * JSON, or a 4xx with `{ "error": { "code", "message" } }` (415 UNSUPPORTED_MEDIA, 422
 * INVALID_MEDIA, 413 MEDIA_TOO_LARGE, 422 URL_NOT_ALLOWED, 502 MEDIA_FETCH_FAILED, 401, 403).
 */
export async function handleMediaRoute(request: IncomingMessage, response: ServerResponse, services: Services): Promise<void> {
  if (request.method !== 'POST') {
    return sendError(response, 405, 'METHOD_NOT_ALLOWED', 'Use POST to create a media', { Allow: 'POST' });
  }
  const viewer = await services.authenticator.authenticate(request.headers.authorization);
  if (!viewer) return sendError(response, 401, 'UNAUTHENTICATED', 'A valid API key is required: send "Authorization: Bearer <key>"');
  if (!viewer.scopes.includes('generate')) return sendError(response, 403, 'FORBIDDEN', 'This API key lacks the "generate" scope');
  // Uploads count against the same per-key budget as GraphQL operations.
  const decision = await services.rateLimiter.count(viewer, services.config.limits.requestsPerMinute);
  if (!decision.allowed) {
    return sendError(response, 429, 'RATE_LIMITED', `Rate limit of ${decision.limit} requests per minute exceeded for this API key`, { 'Retry-After': String(decision.retryAfterSeconds) });
  }

  const { maxBytes } = services.config.media;
  const bodyLimit = Math.ceil((maxBytes * 4) / 3) + ENVELOPE_BYTES;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > bodyLimit) return sendTooLarge(response, maxBytes);
  const body = await readBody(request, bodyLimit);
  if (!body) return sendTooLarge(response, maxBytes);

  const options = mediaOptions(services, viewer.accountId);
  // Only the media type is case-insensitive: the multipart boundary must be kept byte for byte
  // (browsers send mixed-case ones such as `----WebKitFormBoundaryAbC...`).
  const contentType = request.headers['content-type'] ?? '';
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  let result: MediaResult<MediaRecord>;
  if (mediaType === 'multipart/form-data') {
    const file = await multipartFile(body, contentType);
    if (!file) return sendError(response, 400, 'BAD_REQUEST', 'Send the image in a multipart field named "file"');
    result = await createMedia(file, 'upload', options);
  } else if (mediaType === 'application/json') {
    const target = jsonTarget(body);
    if (!target) return sendError(response, 400, 'BAD_REQUEST', 'A JSON body must be { "url": "https://..." } or { "dataUrl": "data:image/...;base64,..." }');
    result = await importMedia(target, options);
  } else {
    // Any other body is the image itself; its declared type is ignored, the content decides.
    result = await createMedia(body, 'upload', options);
  }
  if (!result.ok) return sendError(response, httpStatus(result.error.code), result.error.code, result.error.message);
  sendJson(response, 201, mediaJson(services, result.value));
}

async function multipartFile(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<Uint8Array | undefined> {
  try {
    const form = await new Request('http://localhost/v1/media', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
    const file = form.get('file');
    return typeof file === 'object' && file !== null ? new Uint8Array(await file.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

function jsonTarget(body: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { url?: unknown; dataUrl?: unknown };
    const target = parsed.url ?? parsed.dataUrl;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

function sendTooLarge(response: ServerResponse, maxBytes: number): void {
  // The rest of the body is never read: close the connection instead of draining it.
  sendError(response, 413, MediaErrorCodes.tooLarge, `The file is larger than the limit of ${maxBytes} bytes`, { Connection: 'close' });
}

function sendError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { code, message } }, headers);
}

function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers }).end(body);
}

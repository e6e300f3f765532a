import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ApiframeAccepted, ApiframeError, ApiframeGenerateRequest, ApiframeJob } from './apiframe/schemas.js';
import { MediaError, MediaResponse, MediaUpload } from './media-schemas.js';
import { CompletedEvent, ImageEditRequest, ImageGenerationRequest, ImagesResponse, OpenAIError, PartialImageEvent } from './openai/schemas.js';
import { jsonResponse } from './shared/admission.js';
import type { RestRoute } from './shared/route.js';
import { TripoError, TripoSubmitted, TripoTask, TripoTaskRequest } from './tripo/schemas.js';
import { WondaAccepted, WondaError, WondaGenerateRequest, WondaJob } from './wonda/schemas.js';

/**
 * The OpenAPI 3.1 document of every REST route, generated from the same zod schemas the routes
 * validate with. `Operations` is also the table tests check real responses against.
 */

export interface DocumentedResponse {
  readonly description: string;
  /** JSON body schema; absent for non-JSON bodies (`contentType`). */
  readonly schema?: z.ZodType;
  readonly contentType?: string;
}

export interface Operation {
  readonly method: 'get' | 'post';
  /** OpenAPI path (`/v2/jobs/{jobId}`). */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly apiKeyHeader?: boolean;
  readonly pathParams?: readonly string[];
  readonly body?: { readonly contentType: string; readonly schema: z.ZodType };
  readonly responses: Readonly<Record<number, DocumentedResponse>>;
}

const errorsOf = (schema: z.ZodType, statuses: readonly number[]): Record<number, DocumentedResponse> =>
  Object.fromEntries(statuses.map((status) => [status, { description: ErrorDescriptions[status] ?? 'Error', schema }]));

const ErrorDescriptions: Record<number, string> = {
  400: 'Invalid request; the message names the field',
  401: 'Missing or invalid API key',
  402: 'Insufficient credits',
  403: 'The key lacks the needed scope',
  404: 'Unknown model or job',
  405: 'Method not allowed',
  409: 'Idempotency key reused with a different request',
  413: 'Body too large',
  415: 'Not an image',
  422: 'Invalid image or URL not allowed',
  429: 'Rate limited; see Retry-After',
  502: 'The job failed upstream, or the URL could not be fetched',
  504: 'The job did not finish within REST_SYNC_TIMEOUT_MS',
};

const ImageEditMultipart = ImageEditRequest.extend({
  image: z.union([z.string(), z.array(z.string())]).describe('One or more image files (`image` or `image[]`).'),
  mask: z.string().optional().describe('PNG whose transparent pixels mark where to edit.'),
});

export const Operations: readonly Operation[] = [
  {
    method: 'post',
    path: '/v1/images/generations',
    summary: 'OpenAI Images API (with OpenRouter fields): generate, wait, answer with the images; `stream: true` answers with server-sent events',
    tag: 'OpenAI / OpenRouter',
    body: { contentType: 'application/json', schema: ImageGenerationRequest },
    responses: {
      200: { description: 'The finished images (or, with stream, `image_generation.partial_image` then `image_generation.completed` events)', schema: ImagesResponse },
      ...errorsOf(OpenAIError, [400, 401, 402, 403, 404, 409, 429, 502, 504]),
    },
  },
  {
    method: 'post',
    path: '/v1/images/edits',
    summary: 'OpenAI Images API edits: multipart `image` / `image[]`, optional `mask`',
    tag: 'OpenAI / OpenRouter',
    body: { contentType: 'multipart/form-data', schema: ImageEditMultipart },
    responses: { 200: { description: 'The finished images (or `image_edit.*` events)', schema: ImagesResponse }, ...errorsOf(OpenAIError, [400, 401, 402, 403, 404, 409, 429, 502, 504]) },
  },
  {
    method: 'post',
    path: '/v2/images/generate',
    summary: 'Apiframe: submit a generation; poll GET /v2/jobs/{jobId} or use webhookUrl',
    tag: 'Apiframe',
    apiKeyHeader: true,
    body: { contentType: 'application/json', schema: ApiframeGenerateRequest },
    responses: { 202: { description: 'Queued', schema: ApiframeAccepted }, ...errorsOf(ApiframeError, [400, 401, 402, 403, 409, 429]) },
  },
  {
    method: 'get',
    path: '/v2/jobs/{jobId}',
    summary: 'Apiframe: status, progress (0-100) and result URLs',
    tag: 'Apiframe',
    apiKeyHeader: true,
    pathParams: ['jobId'],
    responses: { 200: { description: 'The job', schema: ApiframeJob }, ...errorsOf(ApiframeError, [401, 403, 404, 429]) },
  },
  {
    method: 'post',
    path: '/api/v1/image/generate',
    summary: 'Wonda: submit a generation; `inferenceJobId` is the Pictor job id',
    tag: 'Wonda',
    body: { contentType: 'application/json', schema: WondaGenerateRequest },
    responses: { 200: { description: 'Queued', schema: WondaAccepted }, ...errorsOf(WondaError, [400, 401, 402, 403, 404, 409, 429]) },
  },
  {
    method: 'get',
    path: '/api/v1/image/jobs/{inferenceJobId}',
    summary: 'Wonda: poll an inference job',
    tag: 'Wonda',
    pathParams: ['inferenceJobId'],
    responses: { 200: { description: 'The job', schema: WondaJob }, ...errorsOf(WondaError, [401, 403, 404, 429]) },
  },
  {
    method: 'post',
    path: '/v2/openapi/task',
    summary: 'Tripo: create a generate_image task',
    tag: 'Tripo',
    body: { contentType: 'application/json', schema: TripoTaskRequest },
    responses: { 200: { description: 'Created', schema: TripoSubmitted }, ...errorsOf(TripoError, [400, 401, 403, 409, 429]) },
  },
  {
    method: 'get',
    path: '/v2/openapi/task/{taskId}',
    summary: "Tripo: a task's status, progress (0-100) and output",
    tag: 'Tripo',
    pathParams: ['taskId'],
    responses: { 200: { description: 'The task', schema: TripoTask }, ...errorsOf(TripoError, [401, 403, 404, 429]) },
  },
  {
    method: 'post',
    path: '/v1/media',
    summary: 'Upload a reference image: multipart `file`, a raw image body, or JSON `{ url }` / `{ dataUrl }`',
    tag: 'Media',
    body: { contentType: 'application/json', schema: MediaUpload },
    responses: { 201: { description: 'The media', schema: MediaResponse }, ...errorsOf(MediaError, [400, 401, 403, 405, 413, 415, 422, 429, 502]) },
  },
  {
    method: 'get',
    path: '/files/{path}',
    summary: 'A signed, expiring image URL (works in an <img src>); no API key needed',
    tag: 'Media',
    pathParams: ['path'],
    responses: {
      200: { description: 'The image bytes', contentType: 'image/*' },
      403: { description: 'Bad or expired signature', contentType: 'text/plain' },
      404: { description: 'No such file', contentType: 'text/plain' },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'Meta',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }) } },
  },
];

/** With `stream: true` the 200 is `text/event-stream`; each event's data is one of these. */
const StreamEvent = z
  .union([PartialImageEvent, CompletedEvent])
  .describe('`data` of each server-sent event (the `event` line repeats its `type`); a failure is an `error` event with the error envelope.');

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A Pictor API key' });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A Pictor API key (Apiframe style)' });
  for (const operation of Operations) {
    registry.registerPath({
      method: operation.method,
      path: operation.path,
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.path.startsWith('/files/') || operation.path === '/openapi.json' ? {} : { security: [{ bearer: [] }, ...(operation.apiKeyHeader ? [{ apiKey: [] }] : [])] }),
      request: {
        ...(operation.pathParams ? { params: z.object(Object.fromEntries(operation.pathParams.map((name) => [name, z.string()]))) } : {}),
        ...(operation.body ? { body: { required: true, content: { [operation.body.contentType]: { schema: operation.body.schema } } } } : {}),
      },
      responses: Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            content: response.schema
              ? { 'application/json': { schema: response.schema }, ...(status === '200' && operation.path.startsWith('/v1/images/') ? { 'text/event-stream': { schema: StreamEvent } } : {}) }
              : { [response.contentType ?? 'application/octet-stream']: { schema: { type: 'string' as const, format: 'binary' } } },
            ...(status === '429' ? { headers: { 'Retry-After': { description: 'Seconds until the budget resets', schema: { type: 'integer' } } } } : {}),
          },
        ]),
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Pictor REST', version: '1', description: "Pictor's REST wire formats (OpenAI Images, OpenRouter, Apiframe, Wonda, Tripo) and media routes. The GraphQL API is at /graphql." },
    servers: [{ url: serverUrl }],
  }) as unknown as Record<string, unknown>;
}

export const openApiRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/openapi.json',
    // Without PUBLIC_URL the server is relative: the document's own origin.
    handler: async ({ services }) => jsonResponse(200, openApiDocument(services.config.publicUrl ?? '/')),
  },
];

import { z } from 'zod';

/** Wire shapes of the routes outside the REST formats (`POST /v1/media`, `GET /files/...`), for the OpenAPI document. */

export const MediaUpload = z.object({
  url: z.string().optional().describe('An http(s) URL Pictor fetches after an SSRF check.'),
  dataUrl: z.string().optional().describe('`data:image/png;base64,...`'),
});

export const MediaResponse = z.object({
  id: z.string(),
  url: z.string().describe('Signed, expiring URL.'),
  width: z.int(),
  height: z.int(),
  format: z.enum(['PNG', 'JPEG', 'WEBP']).describe("Read from the content; the names of GraphQL's ImageFormat."),
  bytes: z.int(),
  sha256: z.string(),
  thumbhash: z.string().nullable(),
  source: z.enum(['UPLOAD', 'URL', 'DATA_URL']).describe("How it entered Pictor; the names of GraphQL's MediaSource."),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

export const MediaError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

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
  format: z.string(),
  bytes: z.int(),
  sha256: z.string(),
  thumbhash: z.string().nullable(),
  source: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

export const MediaError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

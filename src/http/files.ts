import type { IncomingMessage, ServerResponse } from 'node:http';
import { findFileSource } from '../media/file-sources.js';
import type { Services } from '../services.js';
import { ContentTypes } from '../storage/images.js';
import { parseFileUrl } from '../storage/signed-urls.js';
import { isOriginal, variantEtag, VariantFormats, variantKey, type VariantRenderer } from '../storage/variants.js';

/**
 * `GET /files/<imageId>.<ext>?exp=&sig=` (and `/files/media/<mediaId>.<ext>`, with `&w=` for a
 * resized variant): serves a stored picture to anyone holding a valid signed URL (no header
 * needed, so `<img src>` works). Variants are rendered on first request and cached in the blob
 * store. Strong ETag from the content hash (and the variant); 304 on match. With S3 and
 * S3_PRESIGNED_REDIRECTS the answer is a redirect to a presigned bucket URL instead.
 */
export async function serveFile(request: IncomingMessage, response: ServerResponse, url: URL, services: Services, variants: VariantRenderer): Promise<void> {
  const parsed = parseFileUrl(url);
  if (!parsed || !services.signer.verify(parsed.file, parsed.expires, parsed.signature)) {
    return plain(response, 403, 'This file URL is invalid or has expired; ask the API for a fresh one.');
  }
  const { file, expires } = parsed;
  const source = await findFileSource(services.database.sql, file);
  const wanted = { format: file.format, width: file.width };
  const original = source !== undefined && isOriginal(source, wanted);
  if (!source || (!original && !(VariantFormats as readonly string[]).includes(file.format))) return plain(response, 404, 'File not found');

  const etag = variantEtag(source, wanted);
  const maxAge = Math.max(0, Math.floor(expires - Date.now() / 1000));
  const contentType = ContentTypes[file.format] ?? 'application/octet-stream';
  const headers = {
    ETag: etag,
    'Cache-Control': `private, max-age=${maxAge}, immutable`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    response.writeHead(304, headers).end();
    return;
  }

  // Rendering a variant can race the retention sweeper: one made after its original's row was
  // deleted (and its variant folder emptied) is deleted again rather than left orphaned.
  const isCurrent = async () => (await findFileSource(services.database.sql, file)) !== undefined;
  const render = () => variants.get(source, wanted, isCurrent);

  const { blobStore } = services.config;
  if (blobStore.driver === 's3' && blobStore.presignedRedirects && services.store.presignedUrl) {
    if (!original && !(await render())) return plain(response, 404, 'File not found');
    const key = original ? source.storageKey : variantKey(source, wanted);
    const location = await services.store.presignedUrl(key, { expiresInSeconds: Math.max(60, maxAge), contentType, cacheControl: headers['Cache-Control'] });
    response.writeHead(302, { Location: location, 'Cache-Control': headers['Cache-Control'] }).end();
    return;
  }
  const bytes = original ? await services.store.get(source.storageKey) : await render();
  if (!bytes) return plain(response, 404, 'File not found');
  response.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.byteLength });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

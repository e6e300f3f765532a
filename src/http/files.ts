import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ImageRecord } from '../jobs/records.js';
import type { Services } from '../services.js';
import { ContentTypes } from '../storage/images.js';

/**
 * `GET /files/<imageId>.<ext>?exp=&sig=`: serves a stored image to anyone holding a valid signed
 * URL (no header needed, so `<img src>` works). Strong ETag from the content hash; 304 on match.
 */
export async function serveFile(request: IncomingMessage, response: ServerResponse, url: URL, services: Services): Promise<void> {
  const match = /^\/files\/([0-9a-f-]{36})\.(png|webp|jpeg|svg)$/.exec(url.pathname);
  const expires = Number(url.searchParams.get('exp'));
  const signature = url.searchParams.get('sig') ?? '';
  if (!match || !services.signer.verify(match[1]!, match[2]!, expires, signature)) {
    return plain(response, 403, 'This file URL is invalid or has expired; ask the API for a fresh one.');
  }
  const [image] = await services.database.sql<ImageRecord[]>`select * from images where id = ${match[1]!} and format = ${match[2]!}`;
  const bytes = image ? await services.store.get(image.storageKey) : undefined;
  if (!image || !bytes) return plain(response, 404, 'File not found');

  const etag = `"${image.sha256}"`;
  const maxAge = Math.max(0, Math.floor(expires - Date.now() / 1000));
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
  response.writeHead(200, { ...headers, 'Content-Type': ContentTypes[image.format] ?? 'application/octet-stream', 'Content-Length': bytes.byteLength });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

import type { Config } from '../config.js';
import { createFetcher, type Fetcher } from '../net/safe-fetch.js';
import type { Services } from '../services.js';
import type { CreateMediaOptions } from './create-media.js';
import type { MediaRecord } from './records.js';

/** The SSRF-guarded fetcher with this deployment's limits (MEDIA_MAX_BYTES, MEDIA_FETCH_TIMEOUT_MS, ALLOW_PRIVATE_URLS). */
export function mediaFetcher(config: Config): Fetcher {
  return createFetcher({ maxBytes: config.media.maxBytes, timeoutMs: config.media.fetchTimeoutMs, allowPrivate: config.media.allowPrivateUrls });
}

/** What creating a media for `accountId` needs, from the request's services. */
export function mediaOptions(services: Services, accountId: string): CreateMediaOptions & { fetcher: Fetcher } {
  const { config } = services;
  return {
    sql: services.database.sql,
    store: services.store,
    accountId,
    limits: { maxBytes: config.media.maxBytes, maxPixels: config.media.maxPixels },
    ttlSeconds: config.retention.mediaTtlSeconds,
    fetcher: mediaFetcher(config),
  };
}

/** Signed, expiring URL of a media (or of a variant of it). */
export function mediaUrl(services: Services, media: Pick<MediaRecord, 'id' | 'format'>, variant: { format?: string | undefined; width?: number | undefined } = {}): string {
  return services.signer.sign({ kind: 'media', id: media.id, format: variant.format ?? media.format, width: variant.width }, services.config.fileUrlTtlSeconds);
}

/** The media as the REST route answers it (the GraphQL `Media` type has the same fields). */
export function mediaJson(services: Services, media: MediaRecord): Record<string, unknown> {
  return {
    id: media.id,
    url: mediaUrl(services, media),
    width: media.width,
    height: media.height,
    // Upper case: the names of GraphQL's ImageFormat and MediaSource enums, so both APIs agree.
    format: media.format.toUpperCase(),
    bytes: media.bytes,
    sha256: media.sha256,
    thumbhash: media.thumbhash,
    source: media.source.toUpperCase(),
    createdAt: media.createdAt.toISOString(),
    expiresAt: media.expiresAt?.toISOString() ?? null,
  };
}

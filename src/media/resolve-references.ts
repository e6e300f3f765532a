import sharp from 'sharp';
import type { SqlLike } from '../db/client.js';
import type { ReferenceImage } from '../jobs/records.js';
import type { Fetcher } from '../net/safe-fetch.js';
import type { BlobStore } from '../storage/blob-store.js';
import { fetchMediaBytes } from './sources.js';
import { MediaError, MediaErrorCodes, type MediaFailure } from './errors.js';
import { findMedia } from './records.js';
import { inspectImage, type MediaLimits } from './validate.js';
import type { MediaFormat } from '../storage/sniff.js';

/** One reference picture, ready for a provider. */
export interface ResolvedReference {
  readonly bytes: Uint8Array;
  readonly format: MediaFormat;
  readonly width: number;
  readonly height: number;
}

export interface ResolveReferencesOptions {
  /** The job's account: a mediaId of another account is refused like an unknown one. */
  readonly accountId: string;
  readonly sql: SqlLike;
  readonly store: BlobStore;
  /** The SSRF-guarded fetcher (`createFetcher(...)` with the deployment's settings). */
  readonly fetcher: Fetcher;
  /** The job's signal: cancel, timeout and shutdown stop the downloads. */
  readonly signal?: AbortSignal | undefined;
  /** Defaults: 20 MB and 50 megapixels, as MEDIA_MAX_BYTES / MEDIA_MAX_PIXELS. */
  readonly limits?: MediaLimits | undefined;
  /**
   * Formats the model refuses (the catalog's `unsupportedReferenceFormats`, e.g. `webp` for
   * flux.1 Kontext Pro): such references are converted to PNG, losslessly, instead of failing.
   */
  readonly refusedFormats?: readonly string[] | undefined;
}

export const DefaultMediaLimits: MediaLimits = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 };

/**
 * Turns a job's references into bytes, in order: `mediaId` -> that account's stored media;
 * `url` -> fetched through the SSRF guard and validated by content; `dataUrl` -> decoded and
 * validated. Throws a MediaError (code UNSUPPORTED_MEDIA, INVALID_MEDIA, MEDIA_TOO_LARGE,
 * MEDIA_FETCH_FAILED, URL_NOT_ALLOWED or MEDIA_NOT_FOUND; retryable only for transient fetch
 * failures) naming the reference, and stops the other downloads; cancellation rethrows the
 * signal's reason.
 */
export async function resolveReferences(references: readonly ReferenceImage[], options: ResolveReferencesOptions): Promise<ResolvedReference[]> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  try {
    return await Promise.all(
      references.map(async (reference, index) => {
        const resolved = await resolveOne(reference, { ...options, signal });
        if ('code' in resolved) throw new MediaError(resolved, `references[${index}]: `);
        return convertRefused(resolved, options.refusedFormats ?? []);
      }),
    );
  } catch (error) {
    controller.abort();
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  }
}

async function resolveOne(reference: ReferenceImage, options: ResolveReferencesOptions & { signal: AbortSignal }): Promise<ResolvedReference | MediaFailure> {
  const limits = options.limits ?? DefaultMediaLimits;
  if ('mediaId' in reference) {
    const media = await findMedia(options.sql, options.accountId, reference.mediaId);
    const bytes = media ? await options.store.get(media.storageKey) : undefined;
    if (!media || !bytes) return { code: MediaErrorCodes.notFound, message: `No media with id ${reference.mediaId}` };
    return { bytes, format: media.format, width: media.width, height: media.height };
  }
  const url = 'url' in reference ? reference.url : reference.dataUrl;
  const fetched = await fetchMediaBytes(url, { limits, fetcher: options.fetcher, signal: options.signal });
  if (!fetched.ok) return fetched.error;
  const inspected = await inspectImage(fetched.value, limits);
  if (!inspected.ok) return inspected.error;
  return { bytes: fetched.value, format: inspected.value.format, width: inspected.value.width, height: inspected.value.height };
}

async function convertRefused(reference: ResolvedReference, refusedFormats: readonly string[]): Promise<ResolvedReference> {
  if (!refusedFormats.includes(reference.format)) return reference;
  const bytes = await sharp(reference.bytes).png().toBuffer();
  return { ...reference, bytes, format: 'png' };
}

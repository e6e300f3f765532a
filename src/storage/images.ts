import { createHash, randomUUID } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { PictorError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { readImageHeader } from './image-header.js';
import { decodeSmallPng, rgbaToThumbHash } from './thumbhash.js';

/** What the image tables record about a stored picture. */
export interface StoredImageInfo {
  id: string;
  storageKey: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  sha256: string;
  /** ThumbHash placeholder (base64), computed at store time; null when the picture cannot be rasterized. */
  thumbhash: string | null;
}

export const ContentTypes: Readonly<Record<string, string>> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
};

/** Pixel ceiling for decoding anything (decompression-bomb guard): 16k x 16k. */
const MAX_INPUT_PIXELS = 16_384 * 16_384;

/** What sharp reads of a picture the header reader does not know; refuses what Pictor cannot store. */
async function sharpHeader(bytes: Uint8Array): Promise<{ format: string; width: number; height: number }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (error) {
    throw new PictorError('INVALID_OUTPUT', `Engine returned bytes that are not a readable image: ${(error as Error).message}`, { retryable: true });
  }
  const format = String(metadata.format) === 'jpg' ? 'jpeg' : metadata.format;
  if (!format || !(format in ContentTypes) || !metadata.width || !metadata.height) {
    throw new PictorError('INVALID_OUTPUT', `Engine returned an unsupported image format: ${metadata.format ?? 'unknown'}`, { retryable: true });
  }
  return { format, width: metadata.width, height: metadata.height };
}

/**
 * Checks bytes by what they hold (not by a name or a declared type) and stores them. PNG, JPEG and
 * WebP headers are read here (src/storage/image-header.ts: one libvips call less per image);
 * anything else goes to sharp, and whatever it cannot read or is not png/webp/jpeg is refused.
 * The ThumbHash decodes the whole picture; a picture that fails it is still stored, without one.
 */
export async function storeImage(store: BlobStore, accountId: string, bytes: Uint8Array, folder = 'images'): Promise<StoredImageInfo> {
  const { format, width, height } = readImageHeader(bytes) ?? (await sharpHeader(bytes));
  if (width * height > MAX_INPUT_PIXELS) throw new PictorError('INVALID_OUTPUT', 'Engine returned bytes that are not a readable image: Input image exceeds pixel limit', { retryable: true });
  const id = randomUUID();
  const storageKey = `${folder}/${accountId}/${id}.${format}`;
  // A fresh random key, recorded by the caller only after the bytes are written: no temporary file
  // needed. The write goes on while the placeholder and the digest are computed.
  const written = store.put(storageKey, bytes, { contentType: ContentTypes[format], fresh: true });
  written.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  // Best effort: a placeholder is a nicety, never a reason to lose an output.
  const thumbhash = await computeThumbhash(bytes, { maxPixels: MAX_INPUT_PIXELS }).catch(() => null);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await written;
  return {
    id,
    storageKey,
    width,
    height,
    format,
    bytes: bytes.byteLength,
    sha256,
    thumbhash,
  };
}

/**
 * Edge of the thumbnail the hash is computed from. ThumbHash keeps only the lowest frequencies
 * (at most 7 across), so 48 px carry what it encodes at a sixth of the CPU of 100 px (the
 * library's upper bound; 0.27 vs 1.6 ms of JavaScript per image). The hash is not always the
 * same bits: over 24 generated pictures of gradients and shapes (200-1,100 px), 13 hashes were
 * identical to those from 100 px and the others differed in a few low bits of some coefficients,
 * which a decoded placeholder does not show. 32 px would save another 0.2 ms but changed 19 of
 * the 24, some in their aspect-ratio field.
 */
const THUMBNAIL_EDGE = 48;

/** The largest picture ThumbHash encodes as it is (the library's own limit, per edge). */
const THUMBHASH_MAX_EDGE = 100;

/**
 * A ThumbHash (https://evanw.github.io/thumbhash/) of the picture, base64: about 25 bytes that a
 * client decodes into a blurry preview (with the right aspect ratio and alpha) while the real
 * image loads. Decodes the whole picture, so it doubles as a check that it is readable.
 *
 * A picture within ThumbHash's 100 px (icons, small previews) is hashed from its own pixels: no
 * resize, and no blowing a 16 px icon up to 48 px first. A small PNG is decoded in JavaScript
 * (src/storage/thumbhash.ts): 0.1 ms of main-thread CPU for a 64 px picture, where libvips took
 * 1.4 ms on four kinds of thread; anything else goes through sharp.
 */
export async function computeThumbhash(bytes: Uint8Array, options: { maxPixels?: number } = {}): Promise<string> {
  const header = readImageHeader(bytes);
  const small = header !== null && header.width <= THUMBHASH_MAX_EDGE && header.height <= THUMBHASH_MAX_EDGE;
  const pixels = small && header.format === 'png' ? decodeSmallPng(bytes) : null;
  if (pixels) return base64(rgbaToThumbHash(pixels.width, pixels.height, pixels.data));
  const decoded = sharp(bytes, { limitInputPixels: options.maxPixels ?? true, failOn: 'error' }).autoOrient();
  const { data, info } = await (small ? decoded : decoded.resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside' })).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return base64(rgbaToThumbHash(info.width, info.height, data));
}

const base64 = (hash: Uint8Array) => Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');

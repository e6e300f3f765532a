import { createHash, randomUUID } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { PictorError } from '../errors.js';
import { rgbaToThumbHash } from 'thumbhash';
import type { BlobStore } from './blob-store.js';

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

/**
 * Checks bytes by decoding them (not by trusting a name or a declared type) and stores them.
 * Rejects anything sharp cannot read or that is not png/webp/jpeg.
 */
export async function storeImage(store: BlobStore, accountId: string, bytes: Uint8Array, folder = 'images'): Promise<StoredImageInfo> {
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
  const id = randomUUID();
  const storageKey = `${folder}/${accountId}/${id}.${format}`;
  // Best effort: a placeholder is a nicety, never a reason to lose an output.
  const thumbhash = await computeThumbhash(bytes, { maxPixels: MAX_INPUT_PIXELS }).catch(() => null);
  await store.put(storageKey, bytes, { contentType: ContentTypes[format] });
  return {
    id,
    storageKey,
    width: metadata.width,
    height: metadata.height,
    format,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    thumbhash,
  };
}

/**
 * Edge of the thumbnail the hash is computed from. ThumbHash keeps only the lowest frequencies
 * (at most 7 across), so 48 px carry everything it encodes: measured on a 512 px picture with
 * shapes, the hash is identical to the one from 100 px (the library's upper bound) at a sixth of
 * the CPU (0.27 vs 1.6 ms in JavaScript per image).
 */
const THUMBNAIL_EDGE = 48;

/**
 * A ThumbHash (https://evanw.github.io/thumbhash/) of the picture, base64: about 25 bytes that a
 * client decodes into a blurry preview (with the right aspect ratio and alpha) while the real
 * image loads. Decodes the whole picture, so it doubles as a check that it is readable.
 */
export async function computeThumbhash(bytes: Uint8Array, options: { maxPixels?: number } = {}): Promise<string> {
  const { data, info } = await sharp(bytes, { limitInputPixels: options.maxPixels ?? true, failOn: 'error' })
    .autoOrient()
    .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

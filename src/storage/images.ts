import { createHash, randomUUID } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { PictorError } from '../errors.js';
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
  await store.put(storageKey, bytes);
  return {
    id,
    storageKey,
    width: metadata.width,
    height: metadata.height,
    format,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

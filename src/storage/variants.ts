import sharp from 'sharp';
import type { BlobStore } from './blob-store.js';
import { ContentTypes } from './images.js';

/** Formats a variant can be rendered to (SVG sources can be rasterized; nothing becomes SVG). */
export const VariantFormats = ['png', 'webp', 'jpeg'] as const;
export type VariantFormat = (typeof VariantFormats)[number];

export const VariantWidths = { min: 16, max: 4096 } as const;

/** The stored original a variant is made from. */
export interface VariantSource {
  readonly storageKey: string;
  readonly format: string;
  readonly sha256: string;
}

/** What the URL asks for: a format (maybe the original's) and maybe a width. */
export interface VariantRequest {
  readonly format: string;
  readonly width?: number | undefined;
}

/** Every cached variant of a blob lives under this folder, so deleting it removes them all. */
export function variantPrefix(storageKey: string): string {
  return `variants/${storageKey.replace(/\.[a-z0-9]+$/i, '')}/`;
}

export function variantKey(source: VariantSource, request: VariantRequest): string {
  return `${variantPrefix(source.storageKey)}${request.width ?? 'full'}.${request.format}`;
}

export function isOriginal(source: VariantSource, request: VariantRequest): boolean {
  return request.format === source.format && request.width === undefined;
}

/** Strong ETag: the original's content hash plus the variant's parameters. */
export function variantEtag(source: VariantSource, request: VariantRequest): string {
  return isOriginal(source, request) ? `"${source.sha256}"` : `"${source.sha256}-${request.width ?? 'full'}.${request.format}"`;
}

/**
 * Renders variants with sharp on first request and caches them in the blob store; later requests
 * (from any process) read the cached bytes. Concurrent first requests in one process share one
 * rendering. Width is a maximum: pictures are never enlarged.
 */
export class VariantRenderer {
  private readonly inFlight = new Map<string, Promise<Buffer | undefined>>();

  constructor(private readonly store: BlobStore) {}

  /**
   * The variant's bytes, or undefined when the original is gone. `isCurrent` is asked after a
   * fresh rendering is stored; when the original was deleted meanwhile, the rendering is too.
   */
  get(source: VariantSource, request: VariantRequest, isCurrent?: () => Promise<boolean>): Promise<Buffer | undefined> {
    const key = variantKey(source, request);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const work = this.load(key, source, request, isCurrent).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async load(key: string, source: VariantSource, request: VariantRequest, isCurrent?: () => Promise<boolean>): Promise<Buffer | undefined> {
    const cached = await this.store.get(key);
    if (cached) return cached;
    const original = await this.store.get(source.storageKey);
    if (!original) return undefined;
    const bytes = await renderVariant(original, request);
    await this.store.put(key, bytes, { contentType: ContentTypes[request.format] });
    if (isCurrent && !(await isCurrent())) {
      await this.store.delete(key);
      return undefined;
    }
    return bytes;
  }
}

export async function renderVariant(original: Uint8Array, request: VariantRequest): Promise<Buffer> {
  let image = sharp(original).autoOrient();
  if (request.width) image = image.resize({ width: request.width, withoutEnlargement: true });
  switch (request.format) {
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp({ quality: 80 }).toBuffer();
    case 'jpeg':
      // JPEG has no alpha: flatten onto white rather than black.
      return image.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true }).toBuffer();
    default:
      throw new Error(`Cannot render a ${request.format} variant`);
  }
}

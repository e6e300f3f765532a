import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring file URLs: `/files/<imageId>.<ext>?exp=<unix seconds>&sig=<hmac>` for images,
 * `/files/media/<mediaId>.<ext>?...` for uploaded media, with `&w=<width>` for a resized variant
 * (and an extension other than the stored format for a converted one). They need no header, so
 * they work in an `<img src>`; the key is shared by every process through the database
 * (`settings.url_signing_key`). The signature covers the kind, id, format and width, so a URL
 * cannot be edited into another variant.
 */
export interface SignedFile {
  /** `image` (job outputs and previews) or `media` (uploaded or imported inputs). */
  readonly kind: 'image' | 'media';
  readonly id: string;
  /** The extension served: the stored format, or the format of a converted variant. */
  readonly format: string;
  /** Width of a resized variant; absent for the original size. */
  readonly width?: number | undefined;
}

export interface UrlSigner {
  sign(file: SignedFile, ttlSeconds: number, now?: number): string;
  verify(file: SignedFile, expires: number, signature: string, now?: number): boolean;
}

/** Path of a file below `/files/` (without query). */
function filePath(file: SignedFile): string {
  return `${file.kind === 'media' ? 'media/' : ''}${file.id}.${file.format}`;
}

export function createUrlSigner(key: string, baseUrl: () => string): UrlSigner {
  // Unchanged for original images (`<id>.<format>:<expires>`), so URLs handed out earlier stay valid.
  const mac = (file: SignedFile, expires: number) =>
    createHmac('sha256', key)
      .update(`${filePath(file)}:${expires}${file.width ? `:w${file.width}` : ''}`)
      .digest('base64url');
  return {
    sign(file, ttlSeconds, now = Date.now()) {
      // Round the expiry up to the minute so URLs stay stable (and cacheable) for a while.
      const expires = Math.ceil((now / 1000 + ttlSeconds) / 60) * 60;
      const width = file.width ? `w=${file.width}&` : '';
      return `${baseUrl()}/files/${filePath(file)}?${width}exp=${expires}&sig=${mac(file, expires)}`;
    },
    verify(file, expires, signature, now = Date.now()) {
      if (!Number.isFinite(expires) || expires * 1000 < now) return false;
      const expected = Buffer.from(mac(file, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

const FilePath = /^\/files\/(media\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(png|webp|jpeg|svg)$/;

/** Reads a `/files/...` URL back into the file it names; undefined for anything else. */
export function parseFileUrl(url: URL): { file: SignedFile; expires: number; signature: string } | undefined {
  const match = FilePath.exec(url.pathname);
  if (!match) return undefined;
  const widthParameter = url.searchParams.get('w');
  const width = widthParameter === null ? undefined : Number(widthParameter);
  if (width !== undefined && !(Number.isInteger(width) && width > 0)) return undefined;
  return {
    file: { kind: match[1] ? 'media' : 'image', id: match[2]!, format: match[3]!, ...(width ? { width } : {}) },
    expires: Number(url.searchParams.get('exp')),
    signature: url.searchParams.get('sig') ?? '',
  };
}

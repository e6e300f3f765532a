import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring file URLs: `/files/<imageId>.<ext>?exp=<unix seconds>&sig=<hmac>`. They need
 * no header, so they work in an `<img src>`; the key is shared by every process through the
 * database (`settings.url_signing_key`).
 */
export interface UrlSigner {
  sign(imageId: string, format: string, ttlSeconds: number, now?: number): string;
  verify(imageId: string, format: string, expires: number, signature: string, now?: number): boolean;
}

export function createUrlSigner(key: string, baseUrl: () => string): UrlSigner {
  const mac = (imageId: string, format: string, expires: number) =>
    createHmac('sha256', key).update(`${imageId}.${format}:${expires}`).digest('base64url');
  return {
    sign(imageId, format, ttlSeconds, now = Date.now()) {
      // Round the expiry up to the minute so URLs stay stable (and cacheable) for a while.
      const expires = Math.ceil((now / 1000 + ttlSeconds) / 60) * 60;
      return `${baseUrl()}/files/${imageId}.${format}?exp=${expires}&sig=${mac(imageId, format, expires)}`;
    },
    verify(imageId, format, expires, signature, now = Date.now()) {
      if (!Number.isFinite(expires) || expires * 1000 < now) return false;
      const expected = Buffer.from(mac(imageId, format, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

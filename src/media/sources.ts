import type { Fetcher } from '../net/safe-fetch.js';
import { fetchFailure, MediaErrorCodes, refused, type MediaResult } from './errors.js';
import type { MediaLimits } from './validate.js';

/** Getting the raw bytes behind a URL or a data URL, size-capped; validation comes after. */

const DataUrl = /^data:([^,;]*)((?:;[^,;]*)*?);base64,(.*)$/s;

/**
 * Bytes of a base64 `data:` URL (`data:image/png;base64,...`). The declared type is ignored:
 * the bytes are judged by their content afterwards, like every other input. The size is checked
 * from the encoded length before anything is decoded.
 */
export function decodeDataUrl(text: string, maxBytes: number): MediaResult<Uint8Array> {
  const match = DataUrl.exec(text.trim());
  if (!match) return refused(MediaErrorCodes.invalid, 'Not a base64 data URL (data:image/png;base64,...)');
  const payload = match[3]!.replace(/\s+/g, '');
  if (Math.floor((payload.length * 3) / 4) - 2 > maxBytes) {
    return refused(MediaErrorCodes.tooLarge, `The data URL holds more than the limit of ${maxBytes} bytes`);
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload)) return refused(MediaErrorCodes.invalid, 'The data URL is not valid base64');
  return { ok: true, value: Buffer.from(payload, 'base64') };
}

/** The raw bytes behind a URL or data URL, size-capped; not yet validated. */
export async function fetchMediaBytes(url: string, options: { limits: MediaLimits; fetcher: Fetcher; signal?: AbortSignal | undefined }): Promise<MediaResult<Uint8Array>> {
  if (url.trimStart().startsWith('data:')) return decodeDataUrl(url, options.limits.maxBytes);
  try {
    const response = await options.fetcher(url, { maxBytes: options.limits.maxBytes, signal: options.signal });
    return { ok: true, value: response.bytes };
  } catch (error) {
    const failure = fetchFailure(error);
    return refused(failure.code, failure.message, failure);
  }
}

import sharp from 'sharp';
import { PictorError } from '../errors.js';
import type { InputImage } from '../providers/spec.js';
import type { ReferenceImage } from './records.js';

const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/**
 * Downloads an upstream output URL with a size cap. Used until the SSRF-guarded fetcher of the
 * media module replaces it.
 */
export async function downloadOutput(url: string, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal, redirect: 'follow' });
  if (!response.ok) throw new PictorError('OUTPUT_DOWNLOAD_FAILED', `Downloading the upstream output failed: HTTP ${response.status}`, { retryable: true });
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_DOWNLOAD_BYTES) throw new PictorError('OUTPUT_TOO_LARGE', `Upstream output is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_DOWNLOAD_BYTES) throw new PictorError('OUTPUT_TOO_LARGE', `Upstream output is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
  return bytes;
}

/** Decodes inline (data URL) references; other kinds need the media module. */
export async function resolveInlineReferences(references: ReferenceImage[]): Promise<InputImage[]> {
  return Promise.all(
    references.map(async (reference, index) => {
      if (!('dataUrl' in reference)) throw new PictorError('REFERENCE_UNAVAILABLE', `references.${index}: only data URLs can be resolved by this deployment`);
      const bytes = Buffer.from(reference.dataUrl.replace(/^data:[^,]*,/, ''), 'base64');
      const metadata = await sharp(bytes).metadata();
      return { bytes, format: String(metadata.format) === 'jpg' ? 'jpeg' : String(metadata.format), width: metadata.width ?? 0, height: metadata.height ?? 0 };
    }),
  );
}

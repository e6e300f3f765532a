import sharp from 'sharp';
import type { OutputRequest } from '../catalog/request.js';

/**
 * Re-encodes an engine's output to the requested format and compression, when asked.
 * `compression` follows OpenAI's output_compression (0-100, 100 keeps the most detail) and maps
 * to the encoder's quality; it only applies to webp and jpeg. SVG outputs pass through.
 */
export async function encodeOutput(bytes: Uint8Array, output: OutputRequest, producedFormat: string): Promise<Uint8Array> {
  const target = output.format ?? producedFormat;
  if (producedFormat === 'svg' || target === 'svg') return bytes;
  const lossy = target === 'webp' || target === 'jpeg';
  if (target === producedFormat && !(lossy && output.compression !== undefined)) return bytes;
  const quality = output.compression === undefined ? undefined : Math.max(1, Math.min(100, Math.round(output.compression)));
  const image = sharp(bytes);
  switch (target) {
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp(quality === undefined ? {} : { quality }).toBuffer();
    case 'jpeg':
      // JPEG has no alpha: flatten onto white rather than black.
      return image
        .flatten({ background: '#ffffff' })
        .jpeg(quality === undefined ? {} : { quality, mozjpeg: true })
        .toBuffer();
    default:
      return bytes;
  }
}

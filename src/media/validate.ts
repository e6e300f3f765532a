import sharp, { type Metadata } from 'sharp';
import { computeThumbhash } from '../storage/images.js';
import { sniffFormat, type MediaFormat } from '../storage/sniff.js';
import { MediaErrorCodes, refused, type MediaResult } from './errors.js';

export interface MediaLimits {
  /** Largest accepted file in bytes (MEDIA_MAX_BYTES, 20 MB by default). */
  readonly maxBytes: number;
  /** Largest accepted width x height, checked from the header before decoding (MEDIA_MAX_PIXELS). */
  readonly maxPixels: number;
}

/** What decoding an accepted picture told us. */
export interface InspectedImage {
  readonly format: MediaFormat;
  /** As displayed, after the EXIF orientation is applied. */
  readonly width: number;
  readonly height: number;
  readonly thumbhash: string;
}

/** Names a few formats people commonly try, so the refusal says what was sent. */
function describeUnsupported(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (head.startsWith('GIF8')) return 'a GIF';
  if (/^ftyp(avif|avis)/.test(head.slice(4))) return 'an AVIF';
  if (/^ftyp(heic|heix|mif1|msf1)/.test(head.slice(4))) return 'a HEIC';
  if (head.startsWith('BM')) return 'a BMP';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'a TIFF';
  if (/^\s*(<\?xml|<svg)/i.test(head)) return 'an SVG';
  if (head.startsWith('%PDF')) return 'a PDF';
  return 'not an image Pictor can read';
}

/**
 * Checks a candidate input picture by its content, never by a name or a declared type: size,
 * magic bytes, the header's dimensions against the pixel limit (before anything is decoded, so a
 * decompression bomb costs nothing), then a real decode (which also yields the ThumbHash).
 */
export async function inspectImage(bytes: Uint8Array, limits: MediaLimits): Promise<MediaResult<InspectedImage>> {
  if (bytes.byteLength === 0) return refused(MediaErrorCodes.unsupported, 'The file is empty');
  if (bytes.byteLength > limits.maxBytes) {
    return refused(MediaErrorCodes.tooLarge, `The file has ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`);
  }
  const sniffed = sniffFormat(bytes);
  if (!sniffed) return refused(MediaErrorCodes.unsupported, `The file is ${describeUnsupported(bytes)}; send a JPEG, PNG or WebP image`);

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return refused(MediaErrorCodes.invalid, `The ${sniffed.toUpperCase()} file cannot be read: ${(error as Error).message}`);
  }
  const declared = String(metadata.format) === 'jpg' ? 'jpeg' : metadata.format;
  if (declared !== sniffed || !metadata.width || !metadata.height) {
    return refused(MediaErrorCodes.invalid, `The file starts like a ${sniffed.toUpperCase()} but is not a readable one`);
  }
  const pixels = metadata.width * metadata.height;
  if (pixels > limits.maxPixels) {
    return refused(MediaErrorCodes.tooLarge, `The image is ${metadata.width}x${metadata.height} (${pixels} pixels); the limit is ${limits.maxPixels} pixels`);
  }

  let thumbhash: string;
  try {
    thumbhash = await computeThumbhash(bytes, { maxPixels: limits.maxPixels });
  } catch (error) {
    return refused(MediaErrorCodes.invalid, `The ${sniffed.toUpperCase()} file is damaged: ${(error as Error).message}`);
  }
  const oriented = metadata.autoOrient ?? { width: metadata.width, height: metadata.height };
  return { ok: true, value: { format: sniffed, width: oriented.width, height: oriented.height, thumbhash } };
}

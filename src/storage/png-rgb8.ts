import { crc32, inflateSync } from 'node:zlib';

/** RGBA pixels, 8 bits per channel, row by row. */
export interface RgbaPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

const Signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = 0x49484452;
const IDAT = 0x49444154;
const IEND = 0x49454e44;
/** Chunks that change what the pixels look like: a transparent colour, an orientation, animation, a colour profile. */
const Deferred = new Set([0x74524e53 /* tRNS */, 0x65584966 /* eXIf */, 0x6163544c /* acTL */, 0x69434350 /* iCCP */]);

/**
 * The pixels of the PNG that image APIs and libvips write: 8-bit RGB or RGBA, not interlaced, with
 * no chunk that changes what the pixels look like (tRNS, eXIf, acTL, iCCP). Returns null for any
 * other kind, for the caller to read otherwise (see `decodeSmallPng`). For such a picture of
 * 64 px this takes 0.03 ms, a third to a quarter of pngjs's time, with the same pixels (tested
 * against pngjs on random pictures): one inflate into a buffer of exactly the size the header
 * gives, the row filters undone in place (PNG, 9.2), and no stream objects.
 *
 * Throws, as pngjs does, on what is not a whole PNG: a chunk whose CRC does not match, data cut
 * short or missing its IEND chunk, a compressed stream that is broken or inflates to more or less
 * than the header's rows (the inflate stops at that size, so a few kilobytes cannot become
 * gigabytes), an unknown row filter.
 */
export function decodeRgb8Png(bytes: Uint8Array): RgbaPixels | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33 || Signature.some((byte, at) => bytes[at] !== byte) || view.getUint32(8) !== 13 || view.getUint32(12) !== IHDR) {
    throw new Error('Not a PNG: no signature and header chunk');
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colourType = bytes[25]!;
  if (bytes[24] !== 8 || (colourType !== 2 && colourType !== 6) || bytes[28] !== 0) return null;
  if (width === 0 || height === 0) throw new Error('PNG header gives no pixels');
  const compressed: Uint8Array[] = [];
  for (let at = 8; ;) {
    if (at + 12 > bytes.length) throw new Error('PNG truncated: no IEND chunk');
    const length = view.getUint32(at);
    const type = view.getUint32(at + 4);
    if (at + 12 + length > bytes.length) throw new Error('PNG truncated inside a chunk');
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new Error('PNG chunk CRC mismatch');
    if (type === IDAT) compressed.push(bytes.subarray(at + 8, at + 8 + length));
    else if (Deferred.has(type)) return null;
    else if (type === IEND) break;
    at += 12 + length;
  }
  const channels = colourType === 6 ? 4 : 3;
  const stride = width * channels;
  const size = height * (stride + 1);
  const filtered = inflateSync(compressed.length === 1 ? compressed[0]! : Buffer.concat(compressed), { maxOutputLength: size });
  if (filtered.length !== size) throw new Error('PNG image data truncated');
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0, row = 1; y < height; y++, row += stride + 1) {
    unfilter(filtered, filtered[row - 1]!, row, y > 0 ? row - stride - 1 : -1, stride, channels);
    if (channels === 4) rgba.set(filtered.subarray(row, row + stride), y * stride);
    else {
      for (let x = 0, from = row, to = y * width * 4; x < width; x++, from += 3, to += 4) {
        rgba[to] = filtered[from]!;
        rgba[to + 1] = filtered[from + 1]!;
        rgba[to + 2] = filtered[from + 2]!;
        rgba[to + 3] = 255;
      }
    }
  }
  return { width, height, data: rgba };
}

/** Undoes one row's filter in place; `up` is where the row above starts, -1 for the first row. */
function unfilter(data: Uint8Array, filter: number, row: number, up: number, stride: number, bpp: number): void {
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let x = bpp; x < stride; x++) data[row + x] = data[row + x]! + data[row + x - bpp]!;
      return;
    case 2:
      if (up >= 0) for (let x = 0; x < stride; x++) data[row + x] = data[row + x]! + data[up + x]!;
      return;
    case 3:
      for (let x = 0; x < stride; x++) {
        const left = x >= bpp ? data[row + x - bpp]! : 0;
        const above = up >= 0 ? data[up + x]! : 0;
        data[row + x] = data[row + x]! + ((left + above) >> 1);
      }
      return;
    case 4:
      for (let x = 0; x < stride; x++) {
        const left = x >= bpp ? data[row + x - bpp]! : 0;
        const above = up >= 0 ? data[up + x]! : 0;
        const aboveLeft = up >= 0 && x >= bpp ? data[up + x - bpp]! : 0;
        // Paeth: whichever neighbour is nearest to left + above - aboveLeft, in that order on a tie.
        const estimate = left + above - aboveLeft;
        const toLeft = Math.abs(estimate - left);
        const toAbove = Math.abs(estimate - above);
        const toAboveLeft = Math.abs(estimate - aboveLeft);
        data[row + x] = data[row + x]! + (toLeft <= toAbove && toLeft <= toAboveLeft ? left : toAbove <= toAboveLeft ? above : aboveLeft);
      }
      return;
    default:
      throw new Error(`PNG row filter ${filter} unknown`);
  }
}

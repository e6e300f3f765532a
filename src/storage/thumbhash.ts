import { PNG } from 'pngjs';
import { decodeRgb8Png, type RgbaPixels } from './png-rgb8.js';

export type { RgbaPixels } from './png-rgb8.js';

/**
 * ThumbHash encoding (https://evanw.github.io/thumbhash/): the format of the `thumbhash`
 * package's `rgbaToThumbHash`, computed in a cheaper order.
 *
 * The package computes each DCT coefficient over every pixel: 40 passes over the picture (55
 * with alpha) and a cosine per pixel and coefficient, 0.40-0.57 ms of main-thread CPU for a 64 px
 * picture. The cosine basis is separable: here each column is summed against each vertical cosine
 * (rows folded in pairs, which meet the same cosine up to its sign: 13 half passes, 18 with
 * alpha), then those sums against each horizontal one, with the cosines computed once per size
 * and no allocation per picture: 0.05 ms for an opaque picture (one pass over its pixels), 0.08
 * ms with alpha (two), the same coefficients up to floating-point rounding. The
 * averages (the header's colour) are summed in the package's order, so they are the same numbers.
 * Quantized, the rest are the package's bytes (tested on random pictures), except where a value
 * falls within rounding noise of a quantization boundary, where a digit can differ by one:
 * - a coefficient within 1e-9 of zero counts as zero. The package quantizes the rounding noise of
 *   a flat channel (a scale of ~1e-17) into arbitrary digits that its decoder multiplies by a
 *   zero scale; here they are zeros, so a flat picture always gets the same hash;
 * - a coefficient that is zero by symmetry, or because the picture is narrower than its
 *   frequency, lands on the tie `round(7.5)`: 7 or 8 in the package, by the sign of its rounding
 *   noise, and always 8 here;
 * - in pictures of stripes or steps, a coefficient or a scale can fall exactly on a boundary
 *   (`round(10.5)`), and the two orders of summation round it differently.
 */
export function rgbaToThumbHash(w: number, h: number, rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  if (w > 100 || h > 100) throw new Error(`${w}x${h} doesn't fit in 100x100`);
  if (rgba.length < w * h * 4) throw new Error(`${w}x${h} needs ${w * h * 4} bytes of RGBA, got ${rgba.length}`);
  const { round, max } = Math;
  const pixels = w * h;

  // The average colour, summed in the package's order so that it is the same number. The
  // channels are computed in the same pass as if the picture were opaque, which most are: atop
  // the average colour, an opaque pixel is its own colour (`avg * (1 - 1)` adds an exact zero),
  // so the numbers are those of the second pass below, which only a picture with alpha needs.
  const l = Scratch.l.subarray(0, pixels);
  const p = Scratch.p.subarray(0, pixels);
  const q = Scratch.q.subarray(0, pixels);
  const a = Scratch.a.subarray(0, pixels);
  let avgR = 0;
  let avgG = 0;
  let avgB = 0;
  let avgA = 0;
  let lSum = 0;
  let pSum = 0;
  let qSum = 0;
  let opaque = true;
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    const alphaByte = rgba[j + 3]!;
    const weight = Weight[alphaByte]!;
    const r = weight * rgba[j]!;
    const g = weight * rgba[j + 1]!;
    const b = weight * rgba[j + 2]!;
    avgR += r;
    avgG += g;
    avgB += b;
    avgA += Alpha[alphaByte]!;
    if (alphaByte !== 255) opaque = false;
    lSum += l[i] = (r + g + b) / 3;
    pSum += p[i] = (r + g) / 2 - b;
    qSum += q[i] = r - g;
  }
  if (avgA) {
    avgR /= avgA;
    avgG /= avgA;
    avgB /= avgA;
  }

  const hasAlpha = avgA < pixels;
  const lLimit = hasAlpha ? 5 : 7;
  const lx = max(1, round((lLimit * w) / max(w, h)));
  const ly = max(1, round((lLimit * h) / max(w, h)));
  if (!opaque) {
    // The picture composited atop the average colour, as luminance, yellow-blue, red-green, alpha.
    // Each channel's average (its DC), summed in the package's order: the header's same numbers.
    lSum = pSum = qSum = 0;
    for (let i = 0, j = 0; i < pixels; i++, j += 4) {
      const alpha = Alpha[rgba[j + 3]!]!;
      const weight = Weight[rgba[j + 3]!]!;
      const r = avgR * (1 - alpha) + weight * rgba[j]!;
      const g = avgG * (1 - alpha) + weight * rgba[j + 1]!;
      const b = avgB * (1 - alpha) + weight * rgba[j + 2]!;
      lSum += l[i] = (r + g + b) / 3;
      pSum += p[i] = (r + g) / 2 - b;
      qSum += q[i] = r - g;
      a[i] = alpha;
    }
  }
  const [lDc, pDc, qDc, aDc] = [lSum / pixels, pSum / pixels, qSum / pixels, avgA / pixels];

  const cosines = cosinesFor(w, h, max(3, lx, ly, hasAlpha ? 5 : 3));
  const [lAc, lScale] = encodeChannel(l, max(3, lx), max(3, ly), cosines);
  const [pAc, pScale] = encodeChannel(p, 3, 3, cosines);
  const [qAc, qScale] = encodeChannel(q, 3, 3, cosines);

  const isLandscape = w > h ? 1 : 0;
  const header24 = round(63 * lDc) | (round(31.5 + 31.5 * pDc) << 6) | (round(31.5 + 31.5 * qDc) << 12) | (round(31 * lScale) << 18) | ((hasAlpha ? 1 : 0) << 23);
  const header16 = (isLandscape ? ly : lx) | (round(63 * pScale) << 3) | (round(63 * qScale) << 9) | (isLandscape << 15);
  const acStart = hasAlpha ? 6 : 5;
  const factors = [lAc, pAc, qAc];
  const alphaByte: number[] = [];
  if (hasAlpha) {
    const [aAc, aScale] = encodeChannel(a, 5, 5, cosines);
    factors.push(aAc);
    alphaByte.push(round(15 * aDc) | (round(15 * aScale) << 4));
  }
  const hash = new Uint8Array(acStart + Math.ceil(factors.reduce((count, ac) => count + ac.length, 0) / 2));
  hash.set([header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8, ...alphaByte]);
  let acIndex = 0;
  for (const ac of factors) for (const f of ac) hash[acStart + (acIndex >> 1)]! |= round(15 * f) << ((acIndex++ & 1) << 2);
  return hash;
}

/** `v / 255` and `(v / 255) / 255` for every byte: the package's divisions, looked up. */
const Alpha = Float64Array.from({ length: 256 }, (_, value) => value / 255);
const Weight = Alpha.map((alpha) => alpha / 255);

/** Work space for the largest picture (100 x 100): the encoder is synchronous, so one set serves every call. */
const Scratch = {
  l: new Float64Array(100 * 100),
  p: new Float64Array(100 * 100),
  q: new Float64Array(100 * 100),
  a: new Float64Array(100 * 100),
  sums: new Float64Array(7 * 100),
};

/** The DCT's cosines for one size, with the package's expressions. */
class Cosines {
  /** x[c * w + x] = cos(π/w · c · (x + ½)) */
  readonly x: Float64Array;
  /** y[c * h + y] = cos(π/h · c · (y + ½)) */
  readonly y: Float64Array;

  constructor(
    readonly w: number,
    readonly h: number,
    frequencies: number,
  ) {
    this.x = new Float64Array(frequencies * w);
    this.y = new Float64Array(frequencies * h);
    for (let c = 0; c < frequencies; c++) {
      for (let x = 0; x < w; x++) this.x[c * w + x] = Math.cos((Math.PI / w) * c * (x + 0.5));
      for (let y = 0; y < h; y++) this.y[c * h + y] = Math.cos((Math.PI / h) * c * (y + 0.5));
    }
  }
}

/** Cosines by size: a model's outputs and previews come in a few sizes, so most pictures reuse them. */
const CosinesBySize = new Map<number, Cosines>();

function cosinesFor(w: number, h: number, frequencies: number): Cosines {
  const key = (w * 128 + h) * 8 + frequencies;
  let cosines = CosinesBySize.get(key);
  if (!cosines) {
    if (CosinesBySize.size >= 64) CosinesBySize.clear();
    cosines = new Cosines(w, h, frequencies);
    CosinesBySize.set(key, cosines);
  }
  return cosines;
}

/**
 * One channel's varying DCT terms: [AC normalised to 0..1, AC scale], coefficients in the
 * package's order. First each column summed against each vertical cosine (at most 7, held in
 * locals while a column is walked), then those sums against each horizontal one.
 */
function encodeChannel(channel: Float64Array, nx: number, ny: number, { w, h, x: cosX, y: cosY }: Cosines): [number[], number] {
  // sums[cy * w + x] = Σ_y channel(x, y) · cos(π/h · cy · (y + ½)), over y in order. Rows y and
  // h-1-y meet the same cosine (even cy) or its opposite (odd cy): their sum and difference
  // serve both. The middle row of an odd height comes last, alone: cos(π/2 · cy) is 1, 0, -1,
  // 0 ... as the package computes it.
  const sums = Scratch.sums;
  const rows = (h + 1) >> 1;
  for (let x = 0; x < w; x++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    for (let y = 0, top = x, bottom = (h - 1) * w + x; y < rows; y++, top += w, bottom -= w) {
      const middle = top === bottom;
      const even = middle ? channel[top]! : channel[top]! + channel[bottom]!;
      const odd = middle ? channel[top]! : channel[top]! - channel[bottom]!;
      s0 += even * cosY[y]!;
      s1 += odd * cosY[h + y]!;
      s2 += even * cosY[2 * h + y]!;
      if (ny > 3) s3 += odd * cosY[3 * h + y]!;
      if (ny > 4) s4 += even * cosY[4 * h + y]!;
      if (ny > 5) s5 += odd * cosY[5 * h + y]!;
      if (ny > 6) s6 += even * cosY[6 * h + y]!;
    }
    sums[x] = s0;
    sums[w + x] = s1;
    sums[2 * w + x] = s2;
    sums[3 * w + x] = s3;
    sums[4 * w + x] = s4;
    sums[5 * w + x] = s5;
    sums[6 * w + x] = s6;
  }
  let scale = 0;
  const ac: number[] = [];
  for (let cy = 0; cy < ny; cy++) {
    for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++) {
      let f = 0;
      for (let x = 0, row = cy * w, fx = cx * w; x < w; x++) f += sums[row + x]! * cosX[fx + x]!;
      f /= w * h;
      if (Math.abs(f) < 1e-9) f = 0;
      ac.push(f);
      scale = Math.max(scale, Math.abs(f));
    }
  }
  if (scale) for (let i = 0; i < ac.length; i++) ac[i] = 0.5 + (0.5 / scale) * ac[i]!;
  return [ac, scale];
}

/**
 * The pixels of a PNG decoded in JavaScript, as RGBA with 8 bits per channel, for a picture
 * small enough to hash as it is: no trip through libvips, which for a 64 px PNG costs 1.4 ms of
 * CPU on four kinds of thread (its operation set-up outweighs the pixels). The 8-bit RGB and RGBA
 * that image APIs write take 0.03 ms (`decodeRgb8Png`); every other colour type and bit depth goes
 * through pngjs (the inflate is zlib's, the rest JavaScript), 0.08-0.11 ms. Returns null for what libvips reads differently or more safely, so the caller asks
 * sharp: 16-bit samples, interlacing, an EXIF orientation (eXIf), an ICC profile, animation. A
 * picture's data inflates to at most what its header's size needs. Throws on a broken file (CRC, compressed
 * stream, truncated data).
 */
export function decodeSmallPng(bytes: Uint8Array): RgbaPixels | null {
  // IHDR's bit depth: pngjs rounds 16-bit samples to 8 bits, libvips drops the low byte. IHDR's
  // interlace method: pngjs inflates an interlaced picture's data without a size limit, so a few
  // kilobytes claiming 64 px could inflate to gigabytes; libvips reads it row by row.
  if (bytes[24] === 16 || bytes[28] !== 0) return null;
  const pixels = decodeRgb8Png(bytes);
  if (pixels) return pixels;
  if (hasChunk(bytes, ['eXIf', 'acTL', 'iCCP'])) return null;
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { checkCRC: true });
  return { width: png.width, height: png.height, data: png.data };
}

/** Whether the PNG holds one of these chunks (walks the chunk headers only). */
function hasChunk(bytes: Uint8Array, types: readonly string[]): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (types.includes(type)) return true;
    if (type === 'IEND') return false;
    at += 12 + length;
  }
  return false;
}

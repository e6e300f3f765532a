import sharp from 'sharp';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';

/** Pictures for the local-engine tests, drawn with sharp, and the measures the tests take of the results. */

/** Side of the test pictures: ISNet needs seconds per run on two cores, so they are small. */
export const Size = 256;

/** A shaded ball on a grey-blue gradient backdrop with sensor-like noise: a photo-like subject. */
export async function ballOnBackdrop(size = Size): Promise<Buffer> {
  const radius = size / 4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs>
      <linearGradient id="backdrop" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dde6ee"/><stop offset="1" stop-color="#a3b5c4"/></linearGradient>
      <radialGradient id="ball" cx="0.38" cy="0.35" r="0.7"><stop offset="0" stop-color="#ff8a5c"/><stop offset="1" stop-color="#9c2a12"/></radialGradient>
    </defs>
    <rect width="${size}" height="${size}" fill="url(#backdrop)"/>
    <circle cx="${size / 2}" cy="${size / 2}" r="${radius}" fill="url(#ball)"/>
  </svg>`;
  const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  const noise = await sharp({ create: { width: size, height: size, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 10 } } })
    .raw()
    .toBuffer();
  for (let index = 0; index < pixels.length; index++) pixels[index] = Math.max(0, Math.min(255, pixels[index] + noise[index] - 128));
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

/** A flat-colour logo: the kind of picture vectorization is for. */
export async function logo(size = Size, extra = ''): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 256 256">
    <rect width="256" height="256" fill="#ffffff"/>
    <rect x="24" y="24" width="120" height="96" rx="18" fill="#1f4fbf"/>
    <circle cx="176" cy="150" r="56" fill="#d9342b"/>
    <path d="M40 224 L96 136 L152 224 Z" fill="#f2b705"/>
    ${extra}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function inputImage(bytes: Buffer): Promise<InputImage> {
  const metadata = await sharp(bytes).metadata();
  return { bytes, format: metadata.format!, width: metadata.width!, height: metadata.height! };
}

export function request(modelId: string, params: Record<string, unknown>, reference: InputImage, output: GenerationRequest['output'] = {}): GenerationRequest {
  return { modelId, upstreamModel: 'local', params, n: 1, seed: 1, references: [reference], output };
}

/** Mean alpha of a square patch. */
export function patchAlpha(rgba: Buffer, width: number, left: number, top: number, side: number): number {
  let sum = 0;
  for (let y = top; y < top + side; y++) for (let x = left; x < left + side; x++) sum += rgba[(y * width + x) * 4 + 3];
  return sum / (side * side);
}

/** Mean absolute difference per channel (0-255) and the share of pixels off by more than 64 in some channel. */
export async function pixelDifference(a: Buffer, b: Buffer, size: number): Promise<{ meanAbsolute: number; badPixels: number }> {
  const flat = (bytes: Buffer) => sharp(bytes).resize(size, size).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
  const [left, right] = await Promise.all([flat(a), flat(b)]);
  let total = 0;
  let bad = 0;
  for (let pixel = 0; pixel < size * size; pixel++) {
    let worst = 0;
    for (let channel = 0; channel < 3; channel++) {
      const difference = Math.abs(left[pixel * 3 + channel] - right[pixel * 3 + channel]);
      total += difference;
      worst = Math.max(worst, difference);
    }
    if (worst > 64) bad++;
  }
  return { meanAbsolute: total / (size * size * 3), badPixels: bad / (size * size) };
}

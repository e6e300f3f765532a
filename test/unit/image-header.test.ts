import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/storage/image-header.js';

/**
 * The header reader (src/storage/image-header.ts) must say what sharp's `metadata()` says about
 * every PNG, JPEG and WebP picture, and nothing (so sharp is asked) about anything else.
 */

type Encoding = { format: 'png' | 'jpeg' | 'webp'; options: Record<string, unknown> };
const encodings: Encoding[] = [
  { format: 'png', options: {} },
  { format: 'png', options: { palette: true } },
  { format: 'jpeg', options: {} },
  { format: 'jpeg', options: { progressive: true } },
  { format: 'webp', options: {} },
  { format: 'webp', options: { lossless: true } },
  { format: 'webp', options: { quality: 50, alphaQuality: 50 } },
];

async function encode(width: number, height: number, channels: 3 | 4, { format, options }: Encoding, withExif: boolean): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } });
  if (withExif) image = image.withMetadata({ orientation: 6 });
  return image.toFormat(format, options).toBuffer();
}

describe('readImageHeader', () => {
  it('agrees with sharp on the format and size of random pictures in every encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom(3 as const, 4 as const),
        fc.constantFrom(...encodings),
        fc.boolean(),
        async (width, height, channels, encoding, withExif) => {
          const bytes = await encode(width, height, channels, encoding, withExif);
          const metadata = await sharp(bytes).metadata();
          expect(readImageHeader(bytes)).toEqual({ format: metadata.format, width: metadata.width, height: metadata.height });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads sizes at the edges of each format (16,383 px WebP, 65,535 px JPEG, 2^31 - 1 declared by a PNG)', async () => {
    const wide = await sharp({ create: { width: 16_383, height: 1, channels: 3, background: 'white' } })
      .webp({ lossless: true })
      .toBuffer();
    expect(readImageHeader(wide)).toEqual({ format: 'webp', width: 16_383, height: 1 });
    const tall = await sharp({ create: { width: 1, height: 65_500, channels: 3, background: 'white' } })
      .jpeg()
      .toBuffer();
    expect(readImageHeader(tall)).toEqual({ format: 'jpeg', width: 1, height: 65_500 });
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const huge = Buffer.from(png);
    huge.writeUInt32BE(2 ** 31 - 1, 16);
    expect(readImageHeader(huge)).toEqual({ format: 'png', width: 2 ** 31 - 1, height: 2 });
    huge.writeUInt32BE(2 ** 31, 16);
    expect(readImageHeader(huge)).toBeNull();
  });

  it('says nothing about other formats, truncated headers and random bytes, and never throws', async () => {
    for (const format of ['gif', 'tiff', 'avif'] as const) {
      const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
        .toFormat(format)
        .toBuffer();
      expect(readImageHeader(bytes)).toBeNull();
    }
    const png = await encode(40, 30, 4, encodings[0]!, false);
    const jpeg = await encode(40, 30, 3, encodings[2]!, true);
    const webp = await encode(40, 30, 4, encodings[4]!, false);
    for (const bytes of [png, jpeg, webp]) {
      // Cut anywhere before the size fields: no answer rather than a wrong one.
      for (let length = 0; length < 24; length++) expect(readImageHeader(bytes.subarray(0, length))).toBeNull();
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(Buffer.alloc(0), png.subarray(0, 16), jpeg.subarray(0, 4), webp.subarray(0, 16)), (tail, prefix) => {
        const header = readImageHeader(Buffer.concat([prefix, tail]));
        if (header) expect(header.width * header.height).toBeGreaterThan(0);
      }),
      { numRuns: 2_000 },
    );
  });
});

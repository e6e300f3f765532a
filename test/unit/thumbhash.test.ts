import sharp from 'sharp';
import { rgbaToThumbHash, thumbHashToApproximateAspectRatio, thumbHashToRGBA } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { computeThumbhash } from '../../src/storage/images.js';

/** The picture's own pixels, as ThumbHash takes them (RGBA, upright). */
async function ownPixelsHash(bytes: Buffer): Promise<string> {
  const { data, info } = await sharp(bytes).autoOrient().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

const picture = (width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png') =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 0.5 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><rect width="${Math.ceil(width / 2)}" height="${height}" fill="#1060f0"/></svg>`) }])
    [format]()
    .toBuffer();

describe('computeThumbhash', () => {
  it("hashes a picture within ThumbHash's 100 px from its own pixels, whatever its format", async () => {
    for (const [width, height, format] of [
      [64, 64, 'png'],
      [1, 1, 'png'],
      [100, 37, 'webp'],
      [16, 100, 'jpeg'],
    ] as const) {
      const bytes = await picture(width, height, format);
      expect(await computeThumbhash(bytes), `${width}x${height} ${format}`).toBe(await ownPixelsHash(bytes));
    }
  });

  it('hashes a larger picture from a thumbnail that keeps its aspect ratio and colours', async () => {
    const bytes = await picture(1024, 512);
    const hash = Buffer.from(await computeThumbhash(bytes), 'base64');
    expect(thumbHashToApproximateAspectRatio(hash)).toBeCloseTo(2, 0);
    // Left half blue, right half pink: the decoded placeholder shows the same.
    const { w, h, rgba } = thumbHashToRGBA(hash);
    const at = (x: number) => rgba.subarray((Math.floor(h / 2) * w + x) * 4, (Math.floor(h / 2) * w + x) * 4 + 4);
    expect(at(1)[2]!).toBeGreaterThan(at(1)[0]!);
    expect(at(w - 2)[0]!).toBeGreaterThan(at(w - 2)[2]!);
  });

  it('still refuses bytes that are not a readable picture, however small their header says they are', async () => {
    const header = (await picture(8, 8)).subarray(0, 40);
    await expect(computeThumbhash(header)).rejects.toThrow();
  });
});

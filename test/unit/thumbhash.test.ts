import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { PNG } from 'pngjs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { rgbaToThumbHash as packageThumbHash, thumbHashToApproximateAspectRatio, thumbHashToRGBA } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { computeThumbhash } from '../../src/storage/images.js';
import { decodeSmallPng, rgbaToThumbHash } from '../../src/storage/thumbhash.js';

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

/** Pixels from a seed: noise, opaque or not, so that no coefficient is zero by symmetry. */
function noise(width: number, height: number, seed: number, opaque: boolean): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < rgba.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    rgba[i] = opaque && i % 4 === 3 ? 255 : state & 255;
  }
  return rgba;
}

/** The hash's AC digits grouped by channel (L, P, Q, A), read as the package's decoder reads them. */
function digits(hash: Uint8Array): { header: Record<string, number>; scales: number[]; channels: number[][] } {
  const header24 = hash[0]! | (hash[1]! << 8) | (hash[2]! << 16);
  const header16 = hash[3]! | (hash[4]! << 8);
  const hasAlpha = header24 >> 23 === 1;
  const isLandscape = header16 >> 15 === 1;
  const lx = Math.max(3, isLandscape ? (hasAlpha ? 5 : 7) : header16 & 7);
  const ly = Math.max(3, isLandscape ? header16 & 7 : hasAlpha ? 5 : 7);
  const count = (nx: number, ny: number) => {
    let n = 0;
    for (let cy = 0; cy < ny; cy++) for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++) n++;
    return n;
  };
  const sizes = [count(lx, ly), count(3, 3), count(3, 3), ...(hasAlpha ? [count(5, 5)] : [])];
  const start = hasAlpha ? 6 : 5;
  let index = 0;
  const channels = sizes.map((size) => Array.from({ length: size }, () => (hash[start + (index >> 1)]! >> ((index++ & 1) << 2)) & 15));
  const scales = [(header24 >> 18) & 31, (header16 >> 3) & 63, (header16 >> 9) & 63, ...(hasAlpha ? [hash[5]! >> 4] : [])];
  const header = {
    lDc: header24 & 63,
    pDc: (header24 >> 6) & 63,
    qDc: (header24 >> 12) & 63,
    hasAlpha: Number(hasAlpha),
    isLandscape: Number(isLandscape),
    lCount: header16 & 7,
    alphaDc: hasAlpha ? hash[5]! & 15 : 15,
  };
  return { header, scales, channels };
}

describe('rgbaToThumbHash', () => {
  it("writes the thumbhash package's bytes for any picture whose coefficients are not zero", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 100 }), fc.integer({ min: 8, max: 100 }), fc.integer(), fc.boolean(), (width, height, seed, opaque) => {
        const rgba = noise(width, height, seed, opaque);
        expect([...rgbaToThumbHash(width, height, rgba)]).toEqual([...packageThumbHash(width, height, rgba)]);
      }),
      { numRuns: 150 },
    );
  });

  it('differs from the package only where rounding noise meets a quantization boundary: by one step, in a flat channel or on an exact zero', () => {
    // Any size down to 1 px, flat areas, mirror images, stripes: pictures with exact zeros.
    const shape = fc.constantFrom('flat', 'mirrored', 'stripes', 'noise', 'transparent');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.integer(), shape, (width, height, seed, kind) => {
        const rgba = noise(width, height, seed, kind !== 'transparent');
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const from = kind === 'flat' ? 0 : kind === 'mirrored' ? y * width + Math.min(x, width - 1 - x) : kind === 'stripes' ? x : y * width + x;
            rgba.copyWithin((y * width + x) * 4, from * 4, from * 4 + 4);
          }
        }
        const ours = digits(rgbaToThumbHash(width, height, rgba));
        const theirs = digits(packageThumbHash(width, height, rgba));
        expect(ours.header).toEqual(theirs.header);
        // A scale on a boundary of its quantization (stripes give exact fractions) rounds either way.
        ours.scales.forEach((scale, c) => expect(Math.abs(scale - theirs.scales[c]!), `scale ${c}`).toBeLessThanOrEqual(1));
        ours.channels.forEach((channel, c) => {
          // A scale that quantizes to zero: the decoder multiplies these digits by zero.
          if (ours.scales[c] === 0) return;
          channel.forEach((digit, i) => {
            if (digit !== theirs.channels[c]![i]) expect(Math.abs(digit - theirs.channels[c]![i]!), `channel ${c} digit ${i}`).toBe(1);
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives a flat picture one hash, whatever its size', () => {
    const flat = (width: number, height: number) => {
      const rgba = new Uint8Array(width * height * 4);
      for (let i = 0; i < rgba.length; i += 4) rgba.set([59, 130, 246, 255], i);
      return Buffer.from(rgbaToThumbHash(width, height, rgba)).toString('base64');
    };
    expect(new Set([flat(64, 64), flat(100, 100), flat(33, 33), flat(7, 7)]).size).toBe(1);
    // And it decodes to that colour.
    const { rgba } = thumbHashToRGBA(Buffer.from(flat(64, 64), 'base64'));
    expect([...rgba.subarray(0, 4)].map((value, i) => Math.abs(value - [59, 130, 246, 255][i]!))).toSatisfy((errors: number[]) => errors.every((error) => error <= 6));
  });

  it('refuses what the package refuses: more than 100 px on an edge, or fewer bytes than the pixels', () => {
    expect(() => rgbaToThumbHash(101, 10, new Uint8Array(101 * 10 * 4))).toThrow(/100x100/);
    expect(() => rgbaToThumbHash(10, 10, new Uint8Array(399))).toThrow(/400 bytes/);
  });
});

const CrcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CrcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG from its IHDR fields (width, height, depth, colour type, compression, filter, interlace) and its compressed data. */
function png([width, height, depth, colourType, compression, filter, interlace]: number[], compressed: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width!, 0);
  header.writeUInt32BE(height!, 4);
  header.set([depth!, colourType!, compression!, filter!, interlace!], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', compressed), chunk('IEND', Buffer.alloc(0))]);
}

/** The PNG without its chunks of this type. */
function withoutChunk(png: Buffer, type: string): Buffer {
  const kept = [png.subarray(0, 8)];
  for (let at = 8; at + 8 <= png.length;) {
    const end = at + 12 + png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) !== type) kept.push(png.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}

describe('decodeSmallPng', () => {
  const base = () => sharp(Buffer.from(Array.from({ length: 37 * 23 * 4 }, (_, i) => (i * 37 + (i >> 5)) & 255)), { raw: { width: 37, height: 23, channels: 4 } });
  const variants: Record<string, () => Promise<Buffer>> = {
    rgba: () => base().png().toBuffer(),
    rgb: () => base().removeAlpha().png().toBuffer(),
    grey: () => base().removeAlpha().toColourspace('b-w').png().toBuffer(),
    'grey and alpha': () => base().toColourspace('b-w').png().toBuffer(),
    'palette with alpha': () => base().png({ palette: true, colours: 16 }).toBuffer(),
    'opaque palette of 2 bits': () => base().removeAlpha().png({ palette: true, colours: 4 }).toBuffer(),
    'greyscale of 4 bits': async () =>
      Buffer.from(encodePng({ width: 8, height: 3, channels: 1, depth: 4, data: new Uint8Array([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xf0, 0x0f, 0x5a, 0xa5]) })),
    'greyscale of 1 bit': async () => Buffer.from(encodePng({ width: 8, height: 2, channels: 1, depth: 1, data: new Uint8Array([0b10101010, 0b01010101]) })),
    'greyscale of 2 bits': async () => Buffer.from(encodePng({ width: 8, height: 2, channels: 1, depth: 2, data: new Uint8Array([0x1b, 0xe4, 0x00, 0xff]) })),
    'rgb with a transparent colour (tRNS)': async () =>
      Buffer.from(encodePng({ width: 2, height: 2, channels: 3, depth: 8, data: new Uint8Array([1, 2, 3, 9, 9, 9, 1, 2, 3, 4, 5, 6]), transparency: new Uint16Array([1, 2, 3]) })),
  };

  for (const [name, make] of Object.entries(variants)) {
    it(`reads ${name} pixels as sharp does`, async () => {
      const bytes = await make();
      const expected = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const decoded = decodeSmallPng(bytes);
      expect(decoded).not.toBeNull();
      expect([decoded!.width, decoded!.height]).toEqual([expected.info.width, expected.info.height]);
      expect(Buffer.from(decoded!.data).equals(expected.data)).toBe(true);
    });
  }

  it('leaves to sharp what it would not read as sharp does, or as safely: 16-bit samples, interlacing, EXIF orientation, an ICC profile', async () => {
    expect(decodeSmallPng(await base().png({ progressive: true }).toBuffer())).toBeNull();
    const png = await base().png().toBuffer();
    // sharp writes an ICC profile with the orientation; without it, the eXIf chunk alone.
    const rotated = withoutChunk(await base().png().withMetadata({ orientation: 6 }).toBuffer(), 'iCCP');
    expect((await sharp(rotated).metadata()).orientation).toBe(6);
    expect(decodeSmallPng(rotated)).toBeNull();
    expect(decodeSmallPng(await base().png().withIccProfile('p3').toBuffer())).toBeNull();
    for (const colourspace of ['rgb16', 'grey16'] as const) expect(decodeSmallPng(await base().toColourspace(colourspace).png().toBuffer())).toBeNull();
    expect(decodeSmallPng(png)).not.toBeNull();
  });

  it('inflates no more than the header says the picture holds: a few kilobytes claiming 64 px cannot become 64 MB', async () => {
    // 64 x 64 RGBA is 16,640 bytes of filtered rows; this data inflates to 64 MB of zeros.
    const bomb = png([64, 64, 8, 6, 0, 0, 0], deflateSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decodeSmallPng(bomb)).toThrow();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
    await expect(computeThumbhash(bomb)).rejects.toThrow();
    // The same data in an interlaced picture is left to sharp, which reads it row by row.
    const interlaced = png([64, 64, 8, 6, 0, 0, 1], deflateSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(decodeSmallPng(interlaced)).toBeNull();
    expect(await computeThumbhash(interlaced).catch(() => 'refused')).toEqual(expect.any(String));
  });

  it('throws on a corrupt or truncated file instead of hashing garbage', async () => {
    const png = await base().png().toBuffer();
    const flipped = Buffer.from(png);
    flipped[png.length - 20]! ^= 0xff;
    expect(() => decodeSmallPng(flipped)).toThrow();
    expect(() => decodeSmallPng(png.subarray(0, png.length - 30))).toThrow();
    expect(() => decodeSmallPng(png.subarray(0, 40))).toThrow();
    await expect(computeThumbhash(flipped)).rejects.toThrow();
  });

  it('answers any damage to a small PNG with a hash or a rejection: random bytes changed, cut or appended', async () => {
    const png = await base().png().toBuffer();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: png.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat({ max: png.length }),
        fc.uint8Array({ maxLength: 64 }),
        async (changes, keep, tail) => {
          const damaged = Buffer.concat([Buffer.from(png).subarray(0, Math.max(keep, 33)), tail]);
          for (const [at, value] of changes) if (at < damaged.length) damaged[at] = value;
          const outcome = await computeThumbhash(damaged).then(
            (hash) => hash,
            (error: unknown) => (error instanceof Error ? 'refused' : 'not an Error'),
          );
          expect(outcome === 'refused' || /^[A-Za-z0-9+/]+=*$/.test(outcome)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** A row filtered with PNG filter `type` (0-4) against the row above (`previous`, zeros for the first row). */
function filterRow(type: number, row: Uint8Array, previous: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let x = 0; x < row.length; x++) {
    const left = x >= bpp ? row[x - bpp]! : 0;
    const above = previous[x]!;
    const aboveLeft = x >= bpp ? previous[x - bpp]! : 0;
    const estimate = left + above - aboveLeft;
    const [toLeft, toAbove, toAboveLeft] = [Math.abs(estimate - left), Math.abs(estimate - above), Math.abs(estimate - aboveLeft)];
    const paeth = toLeft <= toAbove && toLeft <= toAboveLeft ? left : toAbove <= toAboveLeft ? above : aboveLeft;
    const predicted = [0, left, above, (left + above) >> 1, paeth][type]!;
    out[x] = (row[x]! - predicted) & 255;
  }
  return out;
}

describe('decodeRgb8Png (the 8-bit RGB and RGBA path of decodeSmallPng)', () => {
  it('reads every row filter, any size, split data chunks: the pixels written, as pngjs reads them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(2, 6),
        fc.integer(),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (width, height, colourType, seed, filters, pieces) => {
          const channels = colourType === 6 ? 4 : 3;
          const pixels = noise(width * channels, height, seed, false).subarray(0, width * height * channels);
          const stride = width * channels;
          const rows: Uint8Array[] = [];
          for (let y = 0; y < height; y++) {
            const filter = filters[y % filters.length]!;
            const previous = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
            rows.push(Uint8Array.of(filter), filterRow(filter, pixels.subarray(y * stride, (y + 1) * stride), previous, channels));
          }
          const compressed = deflateSync(Buffer.concat(rows));
          // The compressed data cut into `pieces` IDAT chunks.
          const size = Math.ceil(compressed.length / pieces);
          const idats = Array.from({ length: pieces }, (_, index) => chunk('IDAT', compressed.subarray(index * size, (index + 1) * size)));
          const header = png([width, height, 8, colourType, 0, 0, 0], Buffer.alloc(0));
          const bytes = Buffer.concat([header.subarray(0, 33), ...idats, chunk('IEND', Buffer.alloc(0))]);

          const decoded = decodeSmallPng(bytes)!;
          expect([decoded.width, decoded.height]).toEqual([width, height]);
          const expected = new Uint8Array(width * height * 4);
          for (let i = 0; i < width * height; i++) {
            expected.set(pixels.subarray(i * channels, i * channels + 3), i * 4);
            expected[i * 4 + 3] = channels === 4 ? pixels[i * channels + 3]! : 255;
          }
          expect(Buffer.from(decoded.data).equals(Buffer.from(expected))).toBe(true);
          expect(Buffer.from(decoded.data).equals(PNG.sync.read(bytes).data)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('throws on a row filter that does not exist, and on data that inflates to fewer or more rows than the header gives', () => {
    const row = (filter: number) => Buffer.from([filter, 1, 2, 3, 4, 5, 6]);
    expect(() => decodeSmallPng(png([2, 2, 8, 2, 0, 0, 0], deflateSync(Buffer.concat([row(0), row(5)]))))).toThrow(/filter 5/);
    expect(() => decodeSmallPng(png([2, 2, 8, 2, 0, 0, 0], deflateSync(row(0))))).toThrow();
    expect(() => decodeSmallPng(png([2, 2, 8, 2, 0, 0, 0], deflateSync(Buffer.concat([row(0), row(0), row(0)]))))).toThrow();
    expect(() => decodeSmallPng(png([0, 2, 8, 2, 0, 0, 0], deflateSync(Buffer.concat([row(0), row(0)]))))).toThrow();
  });
});

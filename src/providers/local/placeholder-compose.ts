import sharp from 'sharp';
import type { InputImage } from '../../catalog/request.js';

/**
 * How the placeholder shows the images it was given, so every edit flow can be exercised
 * offline: with a mask, the first reference is the picture being edited and the generated
 * composition appears only where the mask is transparent (OpenAI's mask convention); the other
 * references (all of them without a mask) sit as framed tiles along the bottom edge, in order.
 * Pure function of its inputs, like the rest of the placeholder.
 */

export interface RgbRaster {
  /** width x height x 3 bytes, RGB. */
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Share of the shorter side one tile may take. */
const TileShare = 0.22;
const MaxTiles = 16;

export async function composeReferences(generated: RgbRaster, references: readonly InputImage[], mask: InputImage | undefined): Promise<RgbRaster> {
  if (references.length === 0) return generated;
  let base = generated;
  let tiles = references;
  if (mask) {
    base = await maskedEdit(generated, references[0]!, mask);
    tiles = references.slice(1);
  }
  return tiles.length > 0 ? addTiles(base, tiles.slice(0, MaxTiles)) : base;
}

/** The first reference where the mask is opaque, the generated picture where it is transparent. */
async function maskedEdit(generated: RgbRaster, source: InputImage, mask: InputImage): Promise<RgbRaster> {
  const { width, height } = generated;
  const original = await sharp(source.bytes).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const alpha = await sharp(mask.bytes).resize(width, height, { fit: 'fill' }).ensureAlpha().extractChannel(3).raw().toBuffer();
  const pixels = Buffer.alloc(width * height * 3);
  for (let pixel = 0; pixel < width * height; pixel++) {
    const keep = alpha[pixel]! / 255;
    for (let channel = 0; channel < 3; channel++) {
      const index = pixel * 3 + channel;
      pixels[index] = Math.round(original[index]! * keep + generated.pixels[index]! * (1 - keep));
    }
  }
  return { pixels, width, height };
}

async function addTiles(base: RgbRaster, references: readonly InputImage[]): Promise<RgbRaster> {
  const { width, height } = base;
  const margin = Math.max(2, Math.round(Math.min(width, height) * 0.02));
  const border = Math.max(1, Math.round(margin / 3));
  const perRow = Math.max(1, Math.min(references.length, Math.floor((width - margin) / (Math.min(width, height) * TileShare + margin))));
  const side = Math.max(8, Math.floor((width - margin * (perRow + 1)) / perRow));
  const tileSide = Math.min(side, Math.round(Math.min(width, height) * TileShare));
  const rows = Math.ceil(references.length / perRow);
  const overlays = await Promise.all(
    references.map(async (reference, index) => {
      const inner = Math.max(4, tileSide - border * 2);
      const input = await sharp(reference.bytes)
        .resize(inner, inner, { fit: 'cover' })
        .removeAlpha()
        .extend({ top: border, bottom: border, left: border, right: border, background: '#ffffff' })
        .png()
        .toBuffer();
      const row = Math.floor(index / perRow);
      const column = index % perRow;
      const top = height - (rows - row) * (tileSide + margin);
      return { input, left: margin + column * (tileSide + margin), top: Math.max(0, top) };
    }),
  );
  const pixels = await sharp(base.pixels, { raw: { width, height, channels: 3 } })
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer();
  return { pixels, width, height };
}

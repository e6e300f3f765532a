/**
 * Shape arithmetic behind Pictor's normalized options (aspect ratio, resolution tier, size):
 * parsing, nearest-value matching and pixel sizes. Pure functions; `normalize.ts`
 * applies them to a model's params.
 */

/** Parses "16:9" (or "9:19.5") into width and height parts. */
export function parseAspectRatio(aspectRatio: string): { width: number; height: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspectRatio);
  if (!match || Number(match[1]) <= 0 || Number(match[2]) <= 0) throw new Error(`Not an aspect ratio: ${aspectRatio}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Width / height of a "w:h" string, or undefined when it is not one. */
export function ratioOf(aspectRatio: string): number | undefined {
  try {
    const { width, height } = parseAspectRatio(aspectRatio);
    return width / height;
  } catch {
    return undefined;
  }
}

/** Pixel budget (side of the equivalent square) of each resolution tier. */
export const ResolutionSides = { '512': 512, '1K': 1024, '2K': 2048, '4K': 4096 } as const;
export type ResolutionTier = keyof typeof ResolutionSides;
/** The normalized tiers a client may request, smallest first. */
export const NormalizedResolutions = Object.keys(ResolutionSides) as ResolutionTier[];

/**
 * Exact pixel size for an aspect ratio at a resolution tier: the area of a `side` x `side`
 * square, shaped to the ratio, each edge rounded to a multiple of 8 (what most engines need).
 * 1:1 at 1K is 1024x1024; 16:9 at 1K is 1368x768.
 */
export function dimensionsFor(aspectRatio: string, resolution: ResolutionTier): { width: number; height: number } {
  const ratio = parseAspectRatio(aspectRatio);
  const side = ResolutionSides[resolution];
  const scale = Math.sqrt(ratio.width / ratio.height);
  const roundTo8 = (value: number) => Math.max(8, Math.round(value / 8) * 8);
  return { width: roundTo8(side * scale), height: roundTo8(side / scale) };
}

/**
 * Side in pixels of a resolution tier as vendors spell it: `512`, `0.5K`, `1K`, `1k`, `2K`, `4K`.
 * Undefined when the value is not a tier.
 */
export function parseResolutionTier(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kK])?$/.exec(value.trim());
  if (!match) return undefined;
  const side = Number(match[1]) * (match[2] ? 1024 : 1);
  return side > 0 ? side : undefined;
}

/** What a size-like param value stands for: a ratio (width / height), a side, or both. */
export interface ShapeValue {
  readonly ratio?: number;
  /** Side of the equivalent square, in pixels. */
  readonly side?: number;
}

/**
 * fal's `image_size` presets and their shapes (square_hd 1024x1024, square 512x512, the rest
 * about one megapixel), and the `auto_*` tiers that follow the input image's shape.
 */
const PresetShapes: Readonly<Record<string, ShapeValue>> = {
  square_hd: { ratio: 1, side: 1024 },
  square: { ratio: 1, side: 512 },
  portrait_4_3: { ratio: 3 / 4, side: 1024 },
  portrait_16_9: { ratio: 9 / 16, side: 1024 },
  landscape_4_3: { ratio: 4 / 3, side: 1024 },
  landscape_16_9: { ratio: 16 / 9, side: 1024 },
  auto_2K: { side: 2048 },
  auto_3K: { side: 3072 },
  auto_4K: { side: 4096 },
};

/** The shape a param value describes: `"16:9"`, `"1536x1024"`, a fal preset; undefined for `auto` and the like. */
export function describeShapeValue(value: string): ShapeValue | undefined {
  const ratio = ratioOf(value);
  if (ratio !== undefined) return { ratio };
  const pixels = parsePixelSize(value);
  if (pixels) return { ratio: pixels.width / pixels.height, side: Math.sqrt(pixels.width * pixels.height) };
  return PresetShapes[value];
}

/** `"2048x1536"` as width and height, or undefined. */
export function parsePixelSize(value: string): { width: number; height: number } | undefined {
  const match = /^(\d+)\s*[xX*]\s*(\d+)$/.exec(value.trim());
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Distance between two ratios, symmetric for portrait and landscape: |ln a - ln b|. */
export function ratioDistance(a: number, b: number): number {
  return Math.abs(Math.log(a) - Math.log(b));
}

/** Distance between two sides in tiers: |log2 a - log2 b| (1K to 2K is 1). */
export function sideDistance(a: number, b: number): number {
  return Math.abs(Math.log2(a) - Math.log2(b));
}

/** A wanted shape: any of ratio and side may be absent. */
export interface ShapeRequest {
  readonly ratio?: number;
  readonly side?: number;
  /** Used when no ratio is requested: keep this shape (the param's current value). */
  readonly keepRatio?: number;
}

/**
 * The allowed value closest to a requested shape. The ratio decides first (nearest by log
 * distance), then the side; values that cannot express a requested ratio lose to those that
 * can. With no ratio requested, values of the current shape (`keepRatio`, or shape-less `auto_*`
 * tiers when the current value has none) are preferred. Ties go to the earlier value in the
 * vendor's list for ratios and to the smaller side for tiers (never a surprise cost).
 */
export function nearestShapeValue(allowed: readonly string[], request: ShapeRequest): string | undefined {
  let best: { value: string; primary: number; secondary: number; side: number } | undefined;
  for (const value of allowed) {
    const shape = describeShapeValue(value);
    if (!shape) continue;
    let primary: number;
    if (request.ratio !== undefined) primary = shape.ratio === undefined ? Number.POSITIVE_INFINITY : ratioDistance(request.ratio, shape.ratio);
    else if (request.keepRatio !== undefined) primary = shape.ratio === undefined ? 1e6 : ratioDistance(request.keepRatio, shape.ratio);
    else primary = shape.ratio === undefined ? 0 : 1;
    let secondary = 0;
    if (request.side !== undefined) secondary = shape.side === undefined ? 1e6 : sideDistance(request.side, shape.side);
    const side = shape.side ?? 0;
    const better =
      !best || primary < best.primary - 1e-9 || (Math.abs(primary - best.primary) <= 1e-9 && (secondary < best.secondary - 1e-9 || (Math.abs(secondary - best.secondary) <= 1e-9 && side < best.side)));
    if (better) best = { value, primary, secondary, side };
  }
  if (!best || best.primary === Number.POSITIVE_INFINITY) return undefined;
  return best.value;
}

/** The allowed tier closest to a requested side; ties go to the smaller tier. */
export function nearestResolutionValue(allowed: readonly string[], side: number): string | undefined {
  let best: { value: string; distance: number; side: number } | undefined;
  for (const value of allowed) {
    const candidate = parseResolutionTier(value);
    if (candidate === undefined) continue;
    const distance = sideDistance(side, candidate);
    if (!best || distance < best.distance - 1e-9 || (Math.abs(distance - best.distance) <= 1e-9 && candidate < best.side)) {
      best = { value, distance, side: candidate };
    }
  }
  return best?.value;
}

/** Bounds of an integer pixel param (from the model's schema). */
export interface DimensionBounds {
  readonly min: number;
  readonly max: number;
  readonly multipleOf: number;
}

/**
 * Width and height for a ratio and side within a model's bounds: shaped to the ratio, rounded
 * to the step, clamped. The result may differ from the request when the bounds force it.
 */
export function fitDimensions(ratio: number, side: number, width: DimensionBounds, height: DimensionBounds): { width: number; height: number } {
  const fit = (value: number, bounds: DimensionBounds) => {
    const stepped = Math.round(value / bounds.multipleOf) * bounds.multipleOf;
    const lowest = Math.ceil(bounds.min / bounds.multipleOf) * bounds.multipleOf;
    const highest = Math.floor(bounds.max / bounds.multipleOf) * bounds.multipleOf;
    return Math.min(highest, Math.max(lowest, stepped));
  };
  const scale = Math.sqrt(ratio);
  let targetWidth = side * scale;
  let targetHeight = side / scale;
  // Shrink both edges together when one would exceed its bound, so the shape survives clamping.
  const shrink = Math.min(1, width.max / targetWidth, height.max / targetHeight);
  targetWidth *= shrink;
  targetHeight *= shrink;
  return { width: fit(targetWidth, width), height: fit(targetHeight, height) };
}

/** A ratio as a short "w:h" label for messages (1.7778 -> "16:9" when close, else "1.78:1"). */
export function formatRatio(ratio: number): string {
  for (let height = 1; height <= 32; height++) {
    const width = ratio * height;
    if (Math.abs(width - Math.round(width)) < 0.01 * height) return `${Math.round(width)}:${height}`;
  }
  return `${ratio.toFixed(2)}:1`;
}

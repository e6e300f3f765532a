/** Parses "16:9" (or "9:19.5") into width and height parts. */
export function parseAspectRatio(aspectRatio: string): { width: number; height: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspectRatio);
  if (!match) throw new Error(`Not an aspect ratio: ${aspectRatio}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Pixel budget (side of the equivalent square) of each resolution tier. */
export const ResolutionSides = { '512': 512, '1K': 1024, '2K': 2048, '4K': 4096 } as const;
export type ResolutionTier = keyof typeof ResolutionSides;

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

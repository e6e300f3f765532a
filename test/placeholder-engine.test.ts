import sharp, { type Region } from 'sharp';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { placeholder } from '../src/catalog/models/placeholder.js';
import { PlaceholderProvider } from '../src/providers/local/placeholder.js';
import type { GenerationResult, ProgressUpdate } from '../src/providers/spec.js';

const provider = new PlaceholderProvider();

interface RunInput {
  readonly params: z.input<typeof placeholder.params>;
  readonly seed?: number;
  readonly n?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (update: ProgressUpdate) => void;
}

/** Runs the engine the way the job runner does: params validated with defaults applied. */
function run({ params, seed = 1234, n = 1, signal = new AbortController().signal, onProgress = () => {} }: RunInput): Promise<GenerationResult> {
  const validated = placeholder.params.parse({ stepMs: 0, steps: 2, ...params });
  return provider.run({ modelId: 'placeholder', upstreamModel: 'placeholder', params: validated, n, seed, references: [], output: {} }, { signal, onProgress });
}

async function firstImage(input: RunInput): Promise<Buffer> {
  const result = await run(input);
  return Buffer.from(result.images[0].bytes!);
}

/** Mean absolute difference per channel value between two same-sized images, in a region. */
async function meanDifference(first: Buffer, second: Buffer, region: Region): Promise<number> {
  const [a, b] = await Promise.all([first, second].map((bytes) => sharp(bytes).extract(region).removeAlpha().raw().toBuffer()));
  let total = 0;
  for (let index = 0; index < a.length; index++) total += Math.abs(a[index] - b[index]);
  return total / a.length;
}

describe('placeholder engine', () => {
  it.each([
    { aspectRatio: '1:1', resolution: '512', outputFormat: 'png', width: 512, height: 512 },
    { aspectRatio: '16:9', resolution: '1K', outputFormat: 'webp', width: 1368, height: 768 },
    { aspectRatio: '9:16', resolution: '1K', outputFormat: 'jpeg', width: 768, height: 1368 },
    { aspectRatio: '4:3', resolution: '2K', outputFormat: 'png', width: 2368, height: 1776 },
  ] as const)('renders $aspectRatio at $resolution as $outputFormat, $width x $height', async ({ width, height, ...params }) => {
    const bytes = await firstImage({ params: { prompt: 'A red fox in the snow', ...params } });
    const metadata = await sharp(bytes).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({ format: params.outputFormat, width, height });
  });

  it.each(['png', 'webp', 'jpeg'] as const)('gives byte-identical %s output for equal inputs', async (outputFormat) => {
    const input = { params: { prompt: 'Same prompt, same seed', resolution: '512', outputFormat }, seed: 2 ** 40 + 7 } as const;
    const [first, second] = await Promise.all([firstImage(input), firstImage(input)]);
    expect(first.equals(second)).toBe(true);
  });

  it('changes with the seed and with the prompt', async () => {
    const params = { prompt: 'A lighthouse at dusk', resolution: '512' } as const;
    const [base, otherSeed, otherPrompt] = await Promise.all([
      firstImage({ params, seed: 1 }),
      firstImage({ params, seed: 2 }),
      firstImage({ params: { ...params, prompt: 'A lighthouse at dawn' }, seed: 1 }),
    ]);
    expect(base.equals(otherSeed)).toBe(false);
    expect(base.equals(otherPrompt)).toBe(false);
    // A different seed is a different composition, not a few changed pixels.
    expect(await meanDifference(base, otherSeed, { left: 0, top: 0, width: 512, height: 512 })).toBeGreaterThan(12);
  });

  it('draws a varied picture with the words over it', async () => {
    for (const seed of [1, 99, 123_456_789]) {
      const bytes = await firstImage({ params: { prompt: 'Mountains under a starry sky', resolution: '512' }, seed });
      const { channels } = await sharp(bytes).stats();
      for (const channel of channels.slice(0, 3)) expect(channel.stdev).toBeGreaterThan(30);
    }
    // The middle of the picture, where the words go, differs from a render with almost no text.
    const params = { resolution: '512', aspectRatio: '1:1' } as const;
    const [worded, bare] = await Promise.all([
      firstImage({ params: { ...params, prompt: 'PLENTY OF WORDS WRITTEN RIGHT HERE' }, seed: 5 }),
      firstImage({ params: { ...params, prompt: '.' }, seed: 5 }),
    ]);
    expect(await meanDifference(worded, bare, { left: 64, top: 160, width: 384, height: 192 })).toBeGreaterThan(20);
  });

  it('reports every step with a preview that sharpens to the final picture', async () => {
    const updates: ProgressUpdate[] = [];
    await run({ params: { prompt: 'Progress', steps: 5, stepMs: 1 }, onProgress: (update) => updates.push(update) });

    expect(updates.map((update) => update.progress)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(updates.every((update) => update.stage === 'rendering')).toBe(true);
    for (const update of updates) {
      const metadata = await sharp(update.preview!).metadata();
      expect(Math.max(metadata.width, metadata.height)).toBe(256);
    }
    const previews = updates.map((update) => Buffer.from(update.preview!));
    expect(previews[0].equals(previews[4])).toBe(false);
  });

  it('stops at an abort and rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const updates: ProgressUpdate[] = [];
    const running = run({
      params: { prompt: 'Abort me', steps: 50, stepMs: 1 },
      signal: controller.signal,
      onProgress: (update) => {
        updates.push(update);
        if (updates.length === 2) controller.abort(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
    expect(updates).toHaveLength(2);
  });

  it('abandons a long step as soon as the signal fires', { timeout: 5_000 }, async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const updates: ProgressUpdate[] = [];
    // A one-minute step: only a prompt reaction to the abort finishes within the test's timeout.
    const running = run({ params: { prompt: 'Slow', steps: 3, stepMs: 60_000 }, signal: controller.signal, onProgress: (update) => updates.push(update) });
    setImmediate(() => controller.abort(reason));
    await expect(running).rejects.toBe(reason);
    expect(updates).toHaveLength(0);
  });

  it('does not start when the signal has already fired', async () => {
    const reason = new Error('too late');
    await expect(run({ params: { prompt: 'Never' }, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('makes n different images, image i with seed + i', async () => {
    const params = { prompt: 'Two of them', resolution: '512' } as const;
    const result = await run({ params, n: 2, seed: 40 });
    expect(result.images).toHaveLength(2);
    expect(result.warnings).toEqual([]);
    const [first, second] = result.images.map((image) => Buffer.from(image.bytes!));
    expect(first.equals(second)).toBe(false);
    expect(second.equals(await firstImage({ params, seed: 41 }))).toBe(true);
  });
});

describe('placeholder engine with reference images and a mask', () => {
  const image = async (color: { r: number; g: number; b: number }, alpha = 1, width = 64, height = 64) => {
    const bytes = await sharp({ create: { width, height, channels: 4, background: { ...color, alpha } } })
      .png()
      .toBuffer();
    return { bytes, format: 'png', width, height };
  };
  const runWith = async (references: Awaited<ReturnType<typeof image>>[], mask?: Awaited<ReturnType<typeof image>>) => {
    const params = placeholder.params.parse({ prompt: 'an edit', resolution: '512', stepMs: 0, steps: 1 });
    const result = await provider.run(
      { modelId: 'placeholder', upstreamModel: 'placeholder', params, n: 1, seed: 7, references, ...(mask ? { mask } : {}), output: {} },
      { signal: new AbortController().signal, onProgress: () => {} },
    );
    return Buffer.from(result.images[0].bytes!);
  };

  it('is deterministic with references and a mask, and each input changes the picture', async () => {
    const red = await image({ r: 255, g: 0, b: 0 });
    const blue = await image({ r: 0, g: 0, b: 255 });
    const opaque = await image({ r: 0, g: 0, b: 0 }, 1);
    const [plain, tiled, tiledAgain, masked] = await Promise.all([runWith([]), runWith([red, blue]), runWith([red, blue]), runWith([red, blue], opaque)]);
    expect(tiled.equals(tiledAgain)).toBe(true);
    expect(tiled.equals(plain)).toBe(false);
    // A fully opaque mask keeps the whole first reference; the second still shows as a tile.
    const { data } = await sharp(masked).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]);
    expect(masked.equals(tiled)).toBe(false);
  });

  it('shows the generated picture where the mask is transparent', async () => {
    const red = await image({ r: 255, g: 0, b: 0 });
    const clear = await image({ r: 0, g: 0, b: 0 }, 0);
    const [plain, edited] = await Promise.all([runWith([]), runWith([red], clear)]);
    expect(edited.equals(plain)).toBe(true);
  });
});

/**
 * The offline development engine behind the `placeholder` model. No AI: it lays the prompt's
 * words over a composition driven by the seed (palette, gradient background, translucent circles,
 * rings, rotated rectangles and waves), builds the picture as one SVG and rasterises it with
 * sharp. Text uses the stroke font in `stroke-font.ts`, never system fonts, so equal inputs give
 * byte-identical output on any machine.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import type { z } from 'zod';
import { dimensionsFor } from '../../catalog/rules/shapes.js';
import type { placeholder } from '../../catalog/models/placeholder.js';
import type { GenerationResult, ImageProvider, RunOptions } from '../spec.js';
import type { GenerationRequest, OutputFormat } from '../../catalog/request.js';
import { composeReferences } from './placeholder-compose.js';
import { GlyphHeight, LinePitch, layoutText, measureText, normalizeText, textPathData } from './stroke-font.js';

type PlaceholderParams = z.output<typeof placeholder.params>;

/** Long side of the preview frames sent with progress updates. */
const PreviewLongSide = 256;
/** Blur of the first preview frame (at preview scale); it falls to 0 by the last step. */
const PreviewMaxBlur = 12;
const EncodeQuality = 90;
/**
 * Up to this many pixels PNGs use zlib level 3 instead of 6: about a third less CPU for ~18%
 * more bytes, which matters where the placeholder stands in for a fast model in benchmarks.
 */
const FastPngMaxPixels = 1024 * 1024;

export class PlaceholderProvider implements ImageProvider {
  readonly id = 'placeholder';

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    signal.throwIfAborted();
    const params = request.params as PlaceholderParams;
    const { width, height } = dimensionsFor(params.aspectRatio, params.resolution);
    const seeds = Array.from({ length: request.n }, (_, index) => request.seed + index);

    // Rendering runs on sharp's thread pool while the steps tick, so a run takes about
    // steps x stepMs rather than that plus the render time. Images render one after another
    // (checking the signal in between) to leave cores for other jobs.
    // Reference images and a mask are laid into every picture (see placeholder-compose.ts).
    const render = (seed: number) => rasterize(composeSvg(params.prompt, seed, width, height)).then((raster) => composeReferences(raster, request.references, request.mask));
    const firstRaster = render(seeds[0]);
    const previewBase = firstRaster.then((raster) => downscaleForPreview(raster, width, height));
    const images = (async () => {
      const encoded: Uint8Array[] = [];
      for (const [index, seed] of seeds.entries()) {
        signal.throwIfAborted();
        const raster = index === 0 ? await firstRaster : await render(seed);
        encoded.push(await encode(raster, params.outputFormat));
      }
      return encoded;
    })();
    // When an abort ends the run early nobody awaits these; without a handler their rejection
    // would be reported as unhandled and take the process down.
    previewBase.catch(() => undefined);
    images.catch(() => undefined);

    for (let step = 1; step <= params.steps; step++) {
      try {
        await sleep(params.stepMs, undefined, { signal });
      } catch (error) {
        // The timer rejects with its own AbortError; callers expect the signal's reason.
        signal.throwIfAborted();
        throw error;
      }
      const progress = step / params.steps;
      const preview = await renderPreview(await previewBase, progress);
      signal.throwIfAborted();
      onProgress({ progress, stage: 'rendering', preview });
    }

    const encoded = await images;
    signal.throwIfAborted();
    return { images: encoded.map((bytes) => ({ bytes })), warnings: [] };
  }
}

// ---------------------------------------------------------------------------------------------
// Raster work

interface Raster {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
}

async function rasterize(svg: string): Promise<Raster> {
  // The SVG's width and height are the output pixels, so the default 72 dpi maps 1:1.
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

function fromRaster(raster: Raster) {
  return sharp(raster.pixels, { raw: { width: raster.width, height: raster.height, channels: 3 } });
}

/** sharp strips metadata unless asked to keep it, so the bytes depend on the pixels alone. */
async function encode(raster: Raster, format: OutputFormat): Promise<Uint8Array> {
  const image = fromRaster(raster);
  if (format === 'webp') return image.webp({ quality: EncodeQuality }).toBuffer();
  if (format === 'jpeg') return image.jpeg({ quality: EncodeQuality }).toBuffer();
  return image.png({ compressionLevel: raster.width * raster.height <= FastPngMaxPixels ? 3 : 6 }).toBuffer();
}

async function downscaleForPreview(raster: Raster, width: number, height: number): Promise<Raster> {
  const scale = PreviewLongSide / Math.max(width, height);
  const small = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const pixels = await fromRaster(raster).resize(small.width, small.height, { fit: 'fill' }).raw().toBuffer();
  return { pixels, ...small };
}

/** A preview frame that sharpens as progress grows: heavily blurred early, crisp at 1. */
async function renderPreview(base: Raster, progress: number): Promise<Uint8Array> {
  const sigma = PreviewMaxBlur * (1 - progress) ** 1.5;
  const image = fromRaster(base);
  // sharp rejects sigmas below 0.3; that little blur is invisible anyway.
  if (sigma >= 0.3) image.blur(sigma);
  // Effort 0: a third of the CPU of the default for a frame shown for a moment (~5 KB at 256 px).
  return image.webp({ quality: 70, effort: 0 }).toBuffer();
}

// ---------------------------------------------------------------------------------------------
// Composition

type Random = () => number;

/** murmur3's finaliser: spreads every input bit over the output. */
function mix32(value: number): number {
  let hash = value >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** mulberry32 seeded from both halves of a 53-bit seed, so seeds 2^32 apart still differ. */
function createRandom(seed: number): Random {
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  let state = mix32(low ^ mix32(high + 0x9e3779b9));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

const between = (random: Random, min: number, max: number) => min + random() * (max - min);
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
/** Two decimals keep the SVG small; rounding also keeps float noise out of the bytes. */
const num = (value: number) => String(Math.round(value * 100) / 100);

type Attributes = Record<string, string | number>;

/** One SVG element; numbers are rounded, strings are ours (colours, path data) so need no escaping. */
function element(name: string, attributes: Attributes, content?: string): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? num(value) : value}"`)
    .join('');
  return content === undefined ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${content}</${name}>`;
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const channel = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    const value = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

interface Palette {
  readonly backgroundFrom: string;
  readonly backgroundTo: string;
  readonly accents: readonly string[];
  readonly ink: string;
  readonly halo: string;
  readonly dark: boolean;
}

/** Hue offsets of classic colour harmonies: analogous, complementary, triadic, split. */
const Harmonies = [
  [0, 30, 60, -30],
  [0, 180, 20, 200],
  [0, 120, 240, 60],
  [0, 150, 210, 30],
] as const;

function pickPalette(random: Random): Palette {
  const hue = random() * 360;
  const dark = random() < 0.65;
  const accents = pick(random, Harmonies).map((offset) => hslToHex((hue + offset + 360) % 360, between(random, 55, 90), between(random, dark ? 50 : 42, dark ? 70 : 62)));
  const backgroundHue = (hue + between(random, -40, 40) + 360) % 360;
  const [fromLightness, toLightness] = dark ? [between(random, 8, 16), between(random, 18, 28)] : [between(random, 84, 92), between(random, 72, 82)];
  return {
    backgroundFrom: hslToHex(backgroundHue, between(random, 30, 60), fromLightness),
    backgroundTo: hslToHex((backgroundHue + 30) % 360, between(random, 30, 60), toLightness),
    accents,
    ink: dark ? hslToHex(hue, 30, 96) : hslToHex(hue, 40, 10),
    halo: dark ? hslToHex(hue, 40, 6) : hslToHex(hue, 30, 97),
    dark,
  };
}

/** Round caps and joins make the single-stroke glyphs look like a rounded sans. */
const strokeStyle = { fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' };

/** The whole picture as SVG, `width` x `height` pixels. */
export function composeSvg(prompt: string, seed: number, width: number, height: number): string {
  const random = createRandom(seed);
  const palette = pickPalette(random);
  const minSide = Math.min(width, height);
  const defs: string[] = [];
  const layers: string[] = [];

  const linearGradient = (from: string, to: string, fromOpacity: number, toOpacity: number) => {
    const id = `g${defs.length}`;
    const angle = random() * Math.PI * 2;
    const [x, y] = [Math.cos(angle) / 2, Math.sin(angle) / 2];
    const stops = element('stop', { offset: 0, 'stop-color': from, 'stop-opacity': fromOpacity }) + element('stop', { offset: 1, 'stop-color': to, 'stop-opacity': toOpacity });
    defs.push(element('linearGradient', { id, x1: 0.5 - x, y1: 0.5 - y, x2: 0.5 + x, y2: 0.5 + y }, stops));
    return `url(#${id})`;
  };
  /** Half the shapes get a flat translucent colour, half a gradient fading out. */
  const accentFill = (): Attributes => {
    const accent = pick(random, palette.accents);
    if (random() < 0.5) return { fill: accent, 'fill-opacity': between(random, 0.3, 0.7) };
    return { fill: linearGradient(accent, pick(random, palette.accents), between(random, 0.6, 0.9), between(random, 0, 0.3)) };
  };

  const background = linearGradient(palette.backgroundFrom, palette.backgroundTo, 1, 1);
  layers.push(element('rect', { width, height, fill: background }));

  // Waves sit low in the stack, like hills or a horizon.
  const waveCount = 1 + Math.floor(random() * 3);
  for (let wave = 0; wave < waveCount; wave++) {
    const base = height * between(random, 0.45, 0.9);
    const amplitude = height * between(random, 0.03, 0.1);
    const frequency = (2 * Math.PI) / (width * between(random, 0.35, 1.2));
    const [phase, ripplePhase] = [random() * Math.PI * 2, random() * Math.PI * 2];
    const points: string[] = [];
    for (let index = 0; index <= 96; index++) {
      const x = (width * index) / 96;
      const y = base + amplitude * (Math.sin(frequency * x + phase) + 0.35 * Math.sin(2.15 * frequency * x + ripplePhase));
      points.push(`${num(x)} ${num(y)}`);
    }
    layers.push(element('path', { d: `M0 ${height}L${points.join('L')}L${width} ${height}Z`, ...accentFill() }));
  }

  const shapeCount = 7 + Math.floor(random() * 6);
  for (let shape = 0; shape < shapeCount; shape++) {
    const [cx, cy] = [width * between(random, -0.1, 1.1), height * between(random, -0.1, 1.1)];
    const size = minSide * between(random, 0.06, 0.4);
    const kind = pick(random, ['circle', 'circle', 'ring', 'rectangle', 'rectangle', 'bars'] as const);
    if (kind === 'circle') {
      layers.push(element('circle', { cx, cy, r: size, ...accentFill() }));
    } else if (kind === 'ring') {
      const stroke = { stroke: pick(random, palette.accents), 'stroke-opacity': between(random, 0.4, 0.8) };
      layers.push(element('circle', { cx, cy, r: size, fill: 'none', ...stroke, 'stroke-width': size * between(random, 0.05, 0.25) }));
    } else {
      const [boxWidth, boxHeight] = [size * between(random, 1, 2.4), size * between(random, 0.4, 1.2)];
      const transform = `translate(${num(cx)} ${num(cy)}) rotate(${num(between(random, -60, 60))})`;
      if (kind === 'rectangle') {
        const rx = Math.min(boxWidth, boxHeight) * between(random, 0, 0.3);
        layers.push(element('rect', { x: -boxWidth / 2, y: -boxHeight / 2, width: boxWidth, height: boxHeight, rx, transform, ...accentFill() }));
      } else {
        // Parallel bars: a stripe motif that reads as texture next to the round shapes.
        const barCount = 3 + Math.floor(random() * 4);
        const pitch = boxHeight / barCount;
        const bars = Array.from({ length: barCount }, (_, bar) => element('rect', { x: -boxWidth / 2, y: bar * pitch - boxHeight / 2, width: boxWidth, height: pitch * 0.45 }));
        layers.push(element('g', { transform, ...accentFill() }, bars.join('')));
      }
    }
  }

  // Darkened (or lightened) edges pull the eye to the centre, where the words are.
  const vignetteStops =
    element('stop', { offset: 0.4, 'stop-color': palette.halo, 'stop-opacity': 0 }) + element('stop', { offset: 1, 'stop-color': palette.halo, 'stop-opacity': palette.dark ? 0.55 : 0.35 });
  defs.push(element('radialGradient', { id: 'vignette', cx: 0.5, cy: 0.5, r: 0.75 }, vignetteStops));
  layers.push(element('rect', { width, height, fill: 'url(#vignette)' }));

  const text = normalizeText(prompt);
  // A prompt of nothing but combining marks normalizes to nothing: draw no text block then.
  if (text) layers.push(...textLayers(text, width, height, palette));

  // A small caption with the seed, so a developer can tell images apart and reproduce one.
  const captionUnit = Math.max(9, minSide * 0.02) / GlyphHeight;
  const caption = textPathData(`PLACEHOLDER - SEED ${seed}`, captionUnit * 10, height - captionUnit * 16, captionUnit);
  layers.push(element('path', { d: caption, ...strokeStyle, stroke: palette.ink, 'stroke-opacity': 0.7, 'stroke-width': captionUnit * 0.9 }));

  const content = element('defs', {}, defs.join('')) + layers.join('');
  return element('svg', { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}` }, content);
}

/** The prompt, centred, on a soft panel and with a halo so it stays readable over any shapes. */
function textLayers(text: string, width: number, height: number, palette: Palette): string[] {
  const minSide = Math.min(width, height);
  const layout = layoutText(text, width * 0.78, height * 0.58, minSide * 0.1, Math.max(10, minSide * 0.028));
  const { lines, unit } = layout;
  const top = (height - layout.height) / 2;
  const padding = unit * 3;
  const d = lines.map((line, index) => textPathData(line, (width - measureText(line) * unit) / 2, top + index * LinePitch * unit, unit)).join('');
  return [
    element('rect', {
      x: (width - layout.width) / 2 - padding,
      y: top - padding,
      width: layout.width + padding * 2,
      height: layout.height + padding * 2,
      rx: padding,
      fill: palette.halo,
      'fill-opacity': 0.4,
    }),
    element('path', { d, ...strokeStyle, stroke: palette.halo, 'stroke-opacity': 0.6, 'stroke-width': unit * 2.4 }),
    element('path', { d, ...strokeStyle, stroke: palette.ink, 'stroke-width': unit * 0.95 }),
  ];
}

/**
 * Vectorization with vtracer (`@neplex/vectorizer`, MIT), run inside an engine process. The
 * synchronous binding is used on purpose: the engine process is what keeps the work away from
 * the API's event loop, and one task at a time runs there anyway.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { EngineOutput, EngineProgress, EngineTask } from './engine-protocol.js';
import { sanitizeTracedSvg } from './traced-svg.js';

/** Long side of the PNG preview rendered from the SVG. */
const PreviewLongSide = 512;

type Vectorizer = typeof import('@neplex/vectorizer');

let vectorizer: Vectorizer | undefined;

/** Traces `task.image` into an SVG of the same size, reporting decode, trace and encode. */
export async function vectorize(task: Extract<EngineTask, { kind: 'vectorize' }>, report: (update: EngineProgress) => void): Promise<EngineOutput> {
  report({ stage: 'decode', progress: 0.02 });
  const { data, info } = await sharp(task.image).autoOrient().ensureAlpha().raw().toBuffer({ resolveWithObject: true });

  report({ stage: 'trace', progress: 0.1 });
  // A CommonJS native binding: loaded on first use, in engine processes only.
  vectorizer ??= createRequire(import.meta.url)('@neplex/vectorizer') as Vectorizer;
  // vtracer's binary mode keeps pixels whose red channel is below 128; give it luminance instead,
  // so "black and white" means dark and light whatever the colours.
  const pixels = task.settings.colorMode === 1 ? await luminanceAsRgba(data, info.width, info.height) : data;
  const traced = vectorizer.vectorizeRawSync(pixels, { width: info.width, height: info.height }, task.settings);

  report({ stage: 'encode', progress: 0.9 });
  const svg = sanitizeTracedSvg(traced, { width: info.width, height: info.height });
  const bytes = Buffer.from(svg, 'utf8');
  const preview = await sharp(bytes).resize(PreviewLongSide, PreviewLongSide, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
  report({ stage: 'encode', progress: 0.95, preview });
  return { bytes, format: 'svg', width: info.width, height: info.height };
}

/** Luminance as opaque grey RGBA (transparent areas count as white), for binary tracing. */
async function luminanceAsRgba(rgba: Buffer, width: number, height: number): Promise<Buffer> {
  // sharp always hands greyscale back as one channel: spread it over R, G and B here.
  const grey = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const pixels = Buffer.alloc(width * height * 4, 255);
  for (let pixel = 0; pixel < grey.length; pixel++) pixels.fill(grey[pixel], pixel * 4, pixel * 4 + 3);
  return pixels;
}

import { findModel } from '../src/catalog/index.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PictorError } from '../src/errors.js';
import { isnetSettingsFor, LocalBackgroundRemovalProvider } from '../src/providers/local/background-removal-provider.js';
import { LocalEnginePool } from '../src/providers/local/engine-pool.js';
import type { EngineProgress } from '../src/providers/local/engine-protocol.js';
import { localEngineReasons, localEngineStatus } from '../src/providers/local/engine-status.js';
import { createLocalEngines } from '../src/providers/local/local-engines.js';
import { sanitizeTracedSvg } from '../src/providers/local/traced-svg.js';
import { LocalVectorizeProvider } from '../src/providers/local/vectorize-provider.js';
import type { ProgressUpdate } from '../src/providers/spec.js';
import { collect, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { ballOnBackdrop, inputImage, logo, patchAlpha, pixelDifference, request, Size } from './support/local-engine-pictures.js';

/*
 * Local engines on real pictures drawn here with sharp. ISNet needs seconds per run on two
 * cores, so pictures are small (256 px) and each background removal run asserts several things.
 */

const pool = new LocalEnginePool({ concurrency: 1, memoryMb: 4096, idleMs: 2000 });
afterAll(() => pool.close());

describe('local background removal (ISNet)', () => {
  it('cuts a ball out of its backdrop: corners transparent, the ball opaque, size kept, stages in order', async () => {
    const provider = new LocalBackgroundRemovalProvider(pool);
    const updates: ProgressUpdate[] = [];
    const result = await provider.run(request('local-background-removal', { engineModel: 'medium', outputFormat: 'png' }, await inputImage(await ballOnBackdrop())), {
      signal: new AbortController().signal,
      onProgress: (update) => updates.push(update),
    });
    const { data, info } = await sharp(result.images[0].bytes!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([Size, Size, 4]);
    for (const [left, top] of [
      [0, 0],
      [Size - 24, 0],
      [0, Size - 24],
      [Size - 24, Size - 24],
    ])
      expect(patchAlpha(data, Size, left, top, 24)).toBeLessThan(8);
    expect(patchAlpha(data, Size, Size / 2 - 24, Size / 2 - 24, 48)).toBeGreaterThan(247);
    // Just inside and just outside the ball's edge (radius 64).
    expect(patchAlpha(data, Size, Size / 2 - 4, Size / 2 - 58, 8)).toBeGreaterThan(230);
    expect(patchAlpha(data, Size, Size / 2 - 4, Size / 2 - 82, 8)).toBeLessThan(25);

    expect([...new Set(updates.map((update) => update.stage))]).toEqual(['decode', 'inference', 'encode']);
    const preview = updates.find((update) => update.preview)?.preview;
    expect((await sharp(preview!).metadata()).hasAlpha).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("maps Wonda's bgRemovalModel and quality onto the shipped model sizes, with warnings where inexact", async () => {
    const reference = await inputImage(await ballOnBackdrop(32));
    const birefnet = (params: Record<string, unknown>, output = {}) => isnetSettingsFor(request('birefnet-bg-removal', params, reference, output));
    expect(birefnet({ bgRemovalModel: 'general-fast', quality: 'low' })).toEqual({ model: 'small', outputFormat: 'png', warnings: [] });
    expect(birefnet({ bgRemovalModel: 'general-premium', quality: 'low' }, { format: 'webp' })).toEqual({ model: 'medium', outputFormat: 'webp', warnings: [] });
    expect(birefnet({ bgRemovalModel: 'general-fast', quality: 'high' })).toEqual({ model: 'medium', outputFormat: 'png', warnings: [expect.stringMatching(/1024x1024/)] });
    expect(birefnet({ bgRemovalModel: 'portrait', quality: 'low' })).toEqual({ model: 'medium', outputFormat: 'png', warnings: [expect.stringMatching(/no portrait model/)] });
    const small = isnetSettingsFor(request('local-background-removal', { engineModel: 'small', outputFormat: 'webp' }, reference));
    expect(small).toEqual({ model: 'small', outputFormat: 'webp', warnings: [] });
    // Only the sizes the package ships are offered.
    expect(findModel('local-background-removal')!.params.safeParse({ engineModel: 'large' }).success).toBe(false);
  });

  it('stops at once when aborted during inference, and the pool runs the next task', async () => {
    const provider = new LocalBackgroundRemovalProvider(pool);
    const controller = new AbortController();
    const run = provider.run(request('local-background-removal', { engineModel: 'medium', outputFormat: 'png' }, await inputImage(await ballOnBackdrop())), {
      signal: controller.signal,
      onProgress: (update) => {
        if (update.stage === 'inference') controller.abort(new Error('canceled by the test'));
      },
    });
    await expect(run).rejects.toThrow('canceled by the test');
    // The terminated thread's slot comes back once it has exited; then work runs again.
    const traced = await new LocalVectorizeProvider(pool).run(request('local-vectorize', vectorizeDefaults, await inputImage(await logo(64))), {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(traced.images).toHaveLength(1);
    expect(pool.stats.running).toBe(0);
  });

  it('refuses a picture whose estimated memory exceeds LOCAL_ENGINE_MEMORY_MB, without starting it', async () => {
    const small = new LocalEnginePool({ concurrency: 1, memoryMb: 256, idleMs: 0 });
    const provider = new LocalBackgroundRemovalProvider(small);
    const error = await provider
      .run(request('local-background-removal', { engineModel: 'small', outputFormat: 'png' }, await inputImage(await ballOnBackdrop(64))), {
        signal: new AbortController().signal,
        onProgress: () => undefined,
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PictorError);
    expect((error as PictorError).code).toBe('LOCAL_ENGINE_MEMORY');
    expect((error as PictorError).message).toMatch(/LOCAL_ENGINE_MEMORY_MB \(256\)/);
    expect(small.stats).toMatchObject({ busyPids: [], idlePids: [] });
  });

  it('is left out, with the reason, when the optional package is not installed', () => {
    const status = localEngineStatus({
      resolve: () => {
        throw new Error('Cannot find module');
      },
    });
    expect(status.get('local-background-removal')).toEqual({ available: false, reason: expect.stringMatching(/optional package @imgly\/background-removal-node \(AGPL-3\.0\) is not installed/) });
    const engines = createLocalEngines(loadConfig({}).localEngines, status);
    expect(engines.map((engine) => engine.id)).toEqual(['local-vectorize']);
    expect(localEngineReasons(['fal', 'local-background-removal'], status)).toEqual([expect.stringMatching(/^local-background-removal: the optional package/)]);
    expect(localEngineStatus().get('local-background-removal')).toEqual({ available: true });
  });
});

const vectorizeDefaults = {
  colorMode: 'color',
  hierarchical: 'stacked',
  mode: 'spline',
  filterSpeckle: 4,
  colorPrecision: 6,
  layerDifference: 16,
  cornerThreshold: 60,
  lengthThreshold: 4,
  spliceThreshold: 45,
  pathPrecision: 2,
};

describe('local vectorization (vtracer)', () => {
  const provider = new LocalVectorizeProvider(pool);
  const trace = async (image: Buffer, params: Record<string, unknown> = {}, updates: ProgressUpdate[] = []) => {
    const result = await provider.run(request('local-vectorize', { ...vectorizeDefaults, ...params }, await inputImage(image)), {
      signal: new AbortController().signal,
      onProgress: (update) => updates.push(update),
    });
    return Buffer.from(result.images[0].bytes!).toString('utf8');
  };

  it('traces a logo into an SVG that re-rasterizes to the input (mean difference under 2.5/255, edges only)', async () => {
    const input = await logo();
    const updates: ProgressUpdate[] = [];
    const svg = await trace(input, {}, updates);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" version="1.1" width="256" height="256" viewBox="0 0 256 256">/);
    // Threshold: rendered with sharp and compared with the input, the mean absolute difference is
    // under 2.5 of 255 per channel and under 2% of pixels are off by more than 64: only the
    // anti-aliased outlines of the shapes differ (measured: 1.7 and 1.0%). Inside each shape the
    // colour is the input's within 8.
    const difference = await pixelDifference(input, Buffer.from(svg), Size);
    expect(difference.meanAbsolute).toBeLessThan(2.5);
    expect(difference.badPixels).toBeLessThan(0.02);
    const [original, traced] = await Promise.all([input, Buffer.from(svg)].map((bytes) => sharp(bytes).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer()));
    for (const [x, y] of [
      [84, 72],
      [176, 150],
      [96, 200],
      [240, 16],
    ]) {
      for (let channel = 0; channel < 3; channel++) expect(Math.abs(original[(y * Size + x) * 3 + channel] - traced[(y * Size + x) * 3 + channel])).toBeLessThanOrEqual(8);
    }
    expect([...new Set(updates.map((update) => update.stage))]).toEqual(['decode', 'trace', 'encode']);
    const preview = updates.find((update) => update.preview)?.preview;
    expect(await sharp(preview!).metadata()).toMatchObject({ format: 'png', width: Size, height: Size });
  });

  it('maps the catalog options: binary mode, polygons, colour precision and the speckle filter', async () => {
    const fills = (svg: string) => new Set([...svg.matchAll(/fill="(#[0-9A-F]{6})"/gi)].map((match) => match[1].toUpperCase()));
    const pathCount = (svg: string) => svg.match(/<path /g)?.length ?? 0;

    const binary = await trace(await logo(), { colorMode: 'binary' });
    expect([...fills(binary)]).toEqual(['#000000']);
    // The dark blue box and red circle are dark; the yellow triangle is light and disappears.
    const binaryRaster = await sharp(Buffer.from(binary)).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer();
    expect(binaryRaster[70 * Size + 80]).toBeLessThan(64);
    expect(binaryRaster[200 * Size + 96]).toBeGreaterThan(192);

    const polygon = await trace(await logo(), { mode: 'polygon' });
    expect(polygon).not.toMatch(/ C/);
    expect(await trace(await logo(), { mode: 'spline' })).toMatch(/ C/);

    const gradient = await sharp({ create: { width: 128, height: 32, channels: 3, background: '#000000' } })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="32"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff"/></linearGradient></defs><rect width="128" height="32" fill="url(#g)"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const coarse = fills(await trace(gradient, { colorPrecision: 2, layerDifference: 0 })).size;
    const fine = fills(await trace(gradient, { colorPrecision: 8, layerDifference: 0 })).size;
    expect(coarse).toBeLessThan(fine);

    const specks = '<rect x="200" y="20" width="3" height="3" fill="#000"/><rect x="220" y="40" width="3" height="3" fill="#000"/>';
    expect(pathCount(await trace(await logo(Size, specks), { filterSpeckle: 0 }))).toBeGreaterThan(pathCount(await trace(await logo(Size, specks), { filterSpeckle: 8 })));
  });

  it('accepts only paths: scripts, handlers, links and entities in traced SVG are refused', () => {
    const size = { width: 10, height: 10 };
    const wrap = (content: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator -->\n<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n${content}\n</svg>\n`;
    expect(sanitizeTracedSvg(wrap('<path d="M0,0 L10,0 L10,10 Z " fill="#FF0000" transform="translate(1,2)"/>'), size)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="10" height="10" viewBox="0 0 10 10">\n<path d="M0,0 L10,0 L10,10 Z" fill="#FF0000" transform="translate(1,2)"/>\n</svg>\n',
    );
    for (const content of [
      '<script>alert(1)</script>',
      '<path d="M0 0" fill="#FF0000" onload="alert(1)"/>',
      '<path d="M0 0" fill="url(#x)"/>',
      '<path d="M0 0 javascript:alert(1)" fill="#FF0000"/>',
      '<a href="https://example.com"><path d="M0 0" fill="#FF0000"/></a>',
      '<path d="M0 0" fill="#FF0000" transform="translate(1,2) scale(900)"/>',
      '<path d="M0 0" fill="&#35;FF0000"/>',
      '<foreignObject/>',
      'text',
    ]) {
      expect(() => sanitizeTracedSvg(wrap(content), size), content).toThrow(/unexpected SVG content/);
    }
    expect(() => sanitizeTracedSvg(wrap(''), { width: 20, height: 10 })).toThrow(/size 10x10, expected 20x10/);
  });

  it('queues work beyond LOCAL_ENGINE_CONCURRENCY and reports it as queued', async () => {
    const image = await inputImage(await logo(128));
    const stages: EngineProgress['stage'][][] = [[], []];
    await Promise.all(
      [0, 1].map((index) =>
        provider.run(request('local-vectorize', vectorizeDefaults, image), {
          signal: new AbortController().signal,
          onProgress: (update) => stages[index].push(update.stage as EngineProgress['stage']),
        }),
      ),
    );
    expect(stages[0][0]).toBe('decode');
    expect(stages[1][0]).toBe('queued');
  });
});

describe('local engines through the API (no upstream configured)', () => {
  let app: TestApp;
  let key: string;
  const SUBMIT = `mutation Submit($input: GenerateImageWithParamsInput!) {
    generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { code message } }
  }`;

  beforeAll(async () => {
    app = await startTestApp({ LOCAL_ENGINE_IDLE_MS: '2000' });
    key = (await app.createKey(1000)).key;
  });
  afterAll(() => app?.stop());

  const dataUrl = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;

  async function submit(model: string, image: Buffer, params: Record<string, unknown> = {}): Promise<string> {
    const { body } = await app.graphql(SUBMIT, { input: { model, params, references: [{ dataUrl: dataUrl(image) }] } }, key);
    const submitted = body.data?.generateImageWithParams;
    if (submitted?.__typename !== 'GenerateImageSuccess') throw new Error(`submit failed: ${JSON.stringify(body)}`);
    return submitted.job.id;
  }

  async function run(model: string, image: Buffer, params: Record<string, unknown> = {}) {
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id: await submit(model, image, params) });
    return { updates: updates.map((update) => update.jobUpdated), job: updates.at(-1).jobUpdated.job };
  }

  async function download(url: string) {
    const response = await fetch(url);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('lists the four models as available, served by the local engines', async () => {
    const { body } = await app.graphql(`{ models(filter: { search: "" }) { id available unavailableReason routes { provider configured } } }`, {}, key);
    const byId = new Map<string, any>(body.data.models.map((model: any) => [model.id, model]));
    for (const id of ['local-background-removal', 'local-vectorize', 'birefnet-bg-removal', 'runware-vectorize']) {
      expect(byId.get(id)).toMatchObject({ available: true, unavailableReason: null });
    }
    expect(byId.get('birefnet-bg-removal').routes).toContainEqual({ provider: 'local-background-removal', configured: true });
  });

  it('runs local-background-removal from a data URL: a WebP cut-out of the same size, with stage events and a preview', async () => {
    const { updates, job } = await run('local-background-removal', await ballOnBackdrop(), { outputFormat: 'webp' });
    expect(job).toMatchObject({ status: 'SUCCEEDED', provider: 'local-background-removal', warnings: [] });
    expect(job.images[0]).toMatchObject({ format: 'WEBP', width: Size, height: Size });
    const { bytes } = await download(job.images[0].url);
    const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(patchAlpha(data, Size, 0, 0, 24)).toBeLessThan(8);
    expect(patchAlpha(data, Size, Size - 24, Size - 24, 24)).toBeLessThan(8);
    expect(patchAlpha(data, Size, Size / 2 - 24, Size / 2 - 24, 48)).toBeGreaterThan(247);
    const stages = updates.filter((update) => update.type === 'PROGRESS').map((update) => update.stage);
    expect(stages).toContain('inference');
    expect(stages.at(-1)).toBe('encode');
    expect(updates.some((update) => update.preview?.url)).toBe(true);
  });

  it('runs birefnet-bg-removal on the local engine when no upstream is configured', async () => {
    const { job } = await run('birefnet-bg-removal', await ballOnBackdrop());
    expect(job).toMatchObject({ status: 'SUCCEEDED', provider: 'local-background-removal' });
    expect(job.images[0]).toMatchObject({ format: 'PNG', width: Size, height: Size });
    const { data } = await sharp((await download(job.images[0].url)).bytes)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(patchAlpha(data, Size, Size / 2 - 24, Size / 2 - 24, 48)).toBeGreaterThan(247);
    expect(patchAlpha(data, Size, Size - 24, Size - 24, 24)).toBeLessThan(8);
  });

  it('runs local-vectorize: an SVG image served as image/svg+xml in a sandbox, with a PNG preview and PNG variant', async () => {
    const { updates, job } = await run('local-vectorize', await logo(), { mode: 'polygon' });
    expect(job).toMatchObject({ status: 'SUCCEEDED', provider: 'local-vectorize' });
    expect(job.images[0]).toMatchObject({ format: 'SVG', width: Size, height: Size });
    const { response, bytes } = await download(job.images[0].url);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const svg = bytes.toString('utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toMatch(/<script|on[a-z]+=|href/i);
    expect((await pixelDifference(await logo(), bytes, Size)).meanAbsolute).toBeLessThan(2.5);

    const preview = updates.find((update) => update.preview)?.preview;
    expect((await sharp((await download(preview.url)).bytes).metadata()).format).toBe('png');
    const { body } = await app.graphql('query($id: ID!) { job(id: $id) { images { url(format: PNG) } } }', { id: job.id }, key);
    expect((await sharp((await download(body.data.job.images[0].url)).bytes).metadata()).format).toBe('png');
  });

  it('runs runware-vectorize on the local engine when no upstream is configured, saying what it could not honour', async () => {
    const { job } = await run('runware-vectorize', await logo(128));
    expect(job).toMatchObject({ status: 'SUCCEEDED', provider: 'local-vectorize', warnings: [expect.stringMatching(/recraft:1@1 is only available upstream/)] });
    expect(job.images[0]).toMatchObject({ format: 'SVG', width: 128, height: 128 });
  });

  it('cancels a background removal during inference: the job ends CANCELED and its engine process is killed', async () => {
    const provider = app.app.services.providers.get('local-background-removal') as LocalBackgroundRemovalProvider;
    const id = await submit('local-background-removal', await ballOnBackdrop(), { engineModel: 'medium' });
    const updates = collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    await waitFor(async () => {
      const { body } = await app.graphql('query($id: ID!) { job(id: $id) { stage } }', { id }, key);
      return body.data.job.stage === 'inference';
    }, 'the inference stage');
    const [enginePid] = provider.pool.stats.busyPids;
    expect(enginePid).toBeGreaterThan(0);
    await app.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id }, key);
    const final = (await updates).at(-1).jobUpdated;
    expect(final.type).toBe('CANCELED');
    expect(final.job).toMatchObject({ status: 'CANCELED', images: [] });
    await waitFor(() => provider.pool.stats.running === 0, 'the engine slot to come back');
    expect(() => process.kill(enginePid, 0)).toThrow(/ESRCH/);
  });
});

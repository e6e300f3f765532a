import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapQuality } from '../../src/rest/shared/model-params.js';
import { findModel } from '../../src/catalog/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeUpstream } from '../support/fake-upstream.js';
import { imagesResponse } from '../providers/fixtures/openrouter/responses.js';
import { accountState, graphqlJob, pixelAt, solidPng } from './support.js';

/**
 * OpenRouter's image API on Pictor's /v1/images/generations, driven by the `openai` SDK as
 * OpenRouter's own docs do (extra fields in the body). The OpenRouter upstream is a local fake.
 */

type Body = OpenAI.ImageGenerateParamsNonStreaming & Record<string, unknown>;
type Response = Omit<OpenAI.ImagesResponse, 'usage'> & { warnings?: string[]; usage: { cost: number | null; credits: number } };

let test: TestApp;
let upstream: FakeUpstream;
let pictures: Server;
let picturesUrl: string;
let client: OpenAI;
let key: { key: string; accountId: string };
const fast = { provider: { steps: 2, step_ms: 0 } };

beforeAll(async () => {
  const upstreamPicture = await testPicture(64, 48, 'png');
  upstream = await startFakeUpstream(() => ({ json: imagesResponse([upstreamPicture]) }));
  const green = await solidPng(64, 64, { r: 0, g: 255, b: 0 });
  pictures = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(green));
  await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
  picturesUrl = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}/green.png`;
  // References on this machine's loopback are only fetched because the test allows private URLs.
  test = await startTestApp({ OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: `${upstream.url}/api/v1`, ALLOW_PRIVATE_URLS: 'true' });
  key = await test.createKey(1000);
  client = new OpenAI({ apiKey: key.key, baseURL: `${test.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await test?.stop();
  await upstream?.close();
  pictures?.close();
});

const generate = (body: Record<string, unknown>) => client.images.generate({ model: 'placeholder', prompt: 'a harbour', ...fast, ...body } as Body) as unknown as Promise<Response>;
const failure = (body: Record<string, unknown>) =>
  generate(body).then(
    () => undefined,
    (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
  );

async function dimensions(result: Response) {
  const metadata = await sharp(Buffer.from(result.data![0]!.b64_json!, 'base64')).metadata();
  return { width: metadata.width!, height: metadata.height! };
}

describe('OpenRouter shape options', () => {
  it('maps aspect_ratio and resolution onto the model, and a size tier with an aspect ratio is no conflict', async () => {
    const wide = await dimensions(await generate({ aspect_ratio: '16:9', resolution: '512' }));
    expect(wide.width / wide.height).toBeCloseTo(16 / 9, 1);
    expect(wide.width * wide.height).toBeLessThan(300_000);
    const tier = await dimensions(await generate({ aspect_ratio: '16:9', size: '2K' }));
    expect(tier.width / tier.height).toBeCloseTo(16 / 9, 1);
    expect(tier.width * tier.height).toBeGreaterThan(3_000_000);
    const pixels = await dimensions(await generate({ size: '512x512' }));
    expect(pixels).toEqual({ width: 512, height: 512 });
  });

  it('400 naming both fields when size disagrees with aspect_ratio or resolution; nothing is charged', async () => {
    const before = await accountState(test, key.accountId);
    const pixelsVsRatio = await failure({ size: '1024x1024', aspect_ratio: '16:9' });
    expect(pixelsVsRatio).toBeInstanceOf(OpenAI.BadRequestError);
    expect(pixelsVsRatio!.param).toBe('size');
    expect(pixelsVsRatio!.message).toMatch(/size.*aspect_ratio/);
    const tierVsResolution = await failure({ size: '2K', resolution: '1K' });
    expect(tierVsResolution!.status).toBe(400);
    expect(tierVsResolution!.message).toMatch(/size.*resolution/);
    expect(await accountState(test, key.accountId)).toEqual(before);
  });
});

describe('OpenRouter inputs', () => {
  it('takes input_references as data URLs and image_url objects (fetched through the SSRF-checked importer)', async () => {
    const blue = `data:image/png;base64,${(await solidPng(64, 64, { r: 0, g: 0, b: 255 })).toString('base64')}`;
    const result = await generate({ size: '1024x1024', input_references: [blue, { type: 'image_url', image_url: { url: picturesUrl } }] });
    const bytes = Buffer.from(result.data![0]!.b64_json!, 'base64');
    // Tiles along the bottom edge, in order: blue, then green.
    const [first, second] = [await pixelAt(bytes, 132, 891), await pixelAt(bytes, 377, 891)];
    expect(first[2]).toBeGreaterThan(200);
    expect(second[1]).toBeGreaterThan(200);
  });

  it('a reference the importer refuses fails the job; the synchronous answer is a 400 saying why', async () => {
    const error = await failure({ input_references: [{ type: 'image_url', image_url: { url: 'http://user:secret@127.0.0.1/x.png' } }] });
    expect(error!.status).toBe(400);
    expect(error!.code).toBe('url_not_allowed');
    expect(error!.message).toMatch(/references\[0\]/);
  });

  it('refuses a reference that is neither a URL nor a data URL, naming it', async () => {
    const error = await failure({ input_references: ['ftp://example.com/x.png'] });
    expect(error!.status).toBe(400);
    expect(error!.param).toBe('input_references.0.url');
  });

  it('is reproducible with seed', async () => {
    const [first, second] = await Promise.all([generate({ seed: 2 ** 31 - 1, size: '512x512' }), generate({ seed: 2 ** 31 - 1, size: '512x512' })]);
    expect(first.data![0]!.b64_json).toBe(second.data![0]!.b64_json);
    expect((await failure({ seed: 2 ** 31 }))!.param).toBe('seed');
  });

  it('uses provider keys that are model params and says in a warning what it ignored; quality without a knob is a warning', async () => {
    const result = await generate({ size: '512x512', quality: 'high', provider: { steps: 2, options: { placeholder: { step_ms: 0 } }, order: ['openai'], allow_fallbacks: false } });
    expect(result.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/provider\.order, provider\.allow_fallbacks have no meaning for placeholder/), expect.stringMatching(/placeholder has no quality setting/)]),
    );
  });

  it("maps quality onto each model's own words", () => {
    expect(mapQuality(findModel('gpt-image-1.5')!, 'high')).toEqual({ value: 'high' });
    expect(mapQuality(findModel('dall-e-3')!, 'high').value).toBe('hd');
    expect(mapQuality(findModel('placeholder')!, 'low').value).toBeUndefined();
  });
});

describe('an upstream through OpenRouter', () => {
  it('reports the cost OpenRouter charged in usage, and the job is visible in GraphQL', async () => {
    const { data: result, response } = await client.images
      .generate({ model: 'google/gemini-3-pro-image-preview', prompt: 'a lighthouse', aspect_ratio: '16:9', resolution: '2K', seed: 7 } as Body)
      .withResponse();
    expect((result as unknown as Response).usage.cost).toBe(0.134);
    expect(upstream.requests.at(-1)!.json).toMatchObject({ model: 'google/gemini-3-pro-image-preview', aspect_ratio: '16:9', resolution: '2K', seed: 7 });
    const job = await graphqlJob(test, key.key, response.headers.get('x-pictor-job-id')!);
    expect(job).toMatchObject({ status: 'SUCCEEDED', modelId: 'nano-banana-pro' });
  });

  it('forwards the provider object to OpenRouter as sent (routing preferences and per-provider options), with no warning', async () => {
    const provider = { order: ['google-vertex', 'google-ai-studio'], allow_fallbacks: false, options: { 'google-vertex': { safety_tolerance: 'low' } } };
    const result = (await client.images.generate({ model: 'google/gemini-3-pro-image-preview', prompt: 'a lighthouse', provider } as Body)) as unknown as Response;
    expect(upstream.requests.at(-1)!.json).toMatchObject({ model: 'google/gemini-3-pro-image-preview', provider });
    expect(result.warnings ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/provider\./)]));
  });

  it('refuses a provider object it could not store or forward (NUL, lone surrogate, huge, deep) with 400 naming it; nothing is charged', async () => {
    const before = await accountState(test, key.accountId);
    const deep = { a: { b: { c: [[[[[[[['x']]]]]]]] } } };
    for (const provider of [{ order: ['\u0000'] }, { options: { x: { y: '\ud800' } } }, { order: ['x'.repeat(20_000)] }, deep]) {
      const error = await client.images.generate({ model: 'google/gemini-3-pro-image-preview', prompt: 'a lighthouse', provider } as Body).then(
        () => undefined,
        (thrown: unknown) => thrown as InstanceType<typeof OpenAI.APIError>,
      );
      expect(error?.status).toBe(400);
      expect(error?.param).toMatch(/^provider/);
    }
    expect(await accountState(test, key.accountId)).toEqual(before);
  });
});

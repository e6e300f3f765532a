import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { geminiProvider } from '../../src/providers/gemini/provider.js';
import type { ImageProvider } from '../../src/providers/spec.js';
import type { GenerationRequest } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, runAdapter, upstreamRequest } from '../support/provider-requests.js';
import { blockedPromptResponse, errorBody, generateContentResponse, invalidApiKeyBody, noImageResponse, predictResponse, quotaExceededBody } from './fixtures/gemini/responses.js';

let picture: Buffer;
let thought: Buffer;
let fake: FakeUpstream | undefined;

beforeAll(async () => {
  picture = await testPicture(64, 48, 'png');
  thought = await testPicture(16, 12, 'png', '#cc3333');
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The adapter pointed at a fake answering with `handler`. */
async function adapterAt(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<ImageProvider> {
  fake = await startFakeUpstream(handler);
  return geminiProvider.create({ apiKey: 'test-key', baseUrl: fake.url, fetch: globalThis.fetch, pollIntervalMs: 10 });
}

const requestFor = upstreamRequest;
const run = runAdapter;
const failure = adapterFailure;

const nanoBananaPro = (params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  requestFor('gemini-3-pro-image-preview', { prompt: 'a lighthouse at dusk', aspectRatio: '16:9', resolution: '2K', tPose: false, sketchToRender: false, ...params }, extra);
const imagen4 = (params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  requestFor('imagen-4.0-generate-001', { prompt: 'a robot holding a red skateboard', aspectRatio: '1:1', resolution: '1K', personGeneration: 'allow_adult', ...params }, extra);

describe('gemini adapter: nano-banana through generateContent (official SDK)', () => {
  it('sends the documented generateContent request and returns the final image, not the thought image', async () => {
    const adapter = await adapterAt(() => ({ json: generateContentResponse({ images: [{ bytes: picture }], text: 'Here is your lighthouse.', thoughtImage: { bytes: thought } }) }));
    const styleId = '5f0c6a52-8f7e-4a57-9d1b-1f2a3b4c5d6e';
    const { result, progress } = await run(adapter, nanoBananaPro({ styleId }));

    const [sent] = fake!.requests;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1beta/models/gemini-3-pro-image-preview:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('test-key');
    expect(sent.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9', imageSize: '2K' }, seed: 42 },
    });

    expect(result.images).toHaveLength(1);
    expect(Buffer.from(result.images[0].bytes!)).toEqual(picture);
    // Thinking tokens are billed as output, so they are part of outputTokens.
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 1500, raw: { usageMetadata: { totalTokenCount: 1512 } } });
    expect(result.warnings).toEqual(['styleId (a Wonda style) has no equivalent in the Gemini API and was ignored']);
    expect(progress).toEqual([{ progress: 0, stage: 'generating' }]);
  });

  it('edits with reference images as inline data after the prompt, in order, and omits imageSize for Gemini 2.5', async () => {
    const adapter = await adapterAt(() => ({ json: generateContentResponse({ images: [{ bytes: picture }], usage: false }) }));
    const first = await testPicture(32, 32, 'png', '#00aa00');
    const second = await testPicture(40, 30, 'jpeg', '#0000aa');
    const { result } = await run(
      adapter,
      requestFor(
        'gemini-2.5-flash-image',
        { prompt: 'put [image 2] into [image 1]', aspectRatio: '4:5' },
        {
          references: [
            { bytes: first, format: 'png', width: 32, height: 32 },
            { bytes: second, format: 'jpeg', width: 40, height: 30 },
          ],
        },
      ),
    );
    expect(fake!.requests[0].path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(fake!.requests[0].json).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'put [image 2] into [image 1]' },
            { inlineData: { mimeType: 'image/png', data: first.toString('base64') } },
            { inlineData: { mimeType: 'image/jpeg', data: second.toString('base64') } },
          ],
        },
      ],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '4:5' }, seed: 42 },
    });
    // No usageMetadata in the answer: no usage, so the job says "unknown".
    expect(result.usage).toBeUndefined();
    expect(result.warnings).toBeUndefined();
  });

  it('lets the model choose the shape when the aspect ratio is auto, and passes 4K', async () => {
    const adapter = await adapterAt(() => ({ json: generateContentResponse({ images: [{ bytes: picture }] }) }));
    await run(adapter, requestFor('gemini-3.1-flash-image-preview', { prompt: 'a poster', aspectRatio: 'auto', resolution: '4K' }, { seed: 7 }));
    expect(fake!.requests[0].json.generationConfig).toEqual({ responseModalities: ['IMAGE'], imageConfig: { imageSize: '4K' }, seed: 7 });
  });
});

describe('gemini adapter: Imagen through :predict', () => {
  it('sends sampleCount, aspect ratio, size and person generation, and returns every image', async () => {
    const other = await testPicture(64, 48, 'jpeg', '#aa00aa');
    const adapter = await adapterAt(() => ({ json: predictResponse([{ bytes: picture }, { bytes: other, mimeType: 'image/jpeg' }, { bytes: picture }]) }));
    const { result, progress } = await run(adapter, imagen4({ aspectRatio: '9:16', resolution: '2K', personGeneration: 'dont_allow' }, { n: 3 }));
    const [sent] = fake!.requests;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1beta/models/imagen-4.0-generate-001:predict');
    expect(sent.headers['x-goog-api-key']).toBe('test-key');
    expect(sent.json).toEqual({
      instances: [{ prompt: 'a robot holding a red skateboard' }],
      parameters: { sampleCount: 3, aspectRatio: '9:16', imageSize: '2K', personGeneration: 'dont_allow', includeRaiReason: true },
    });
    expect(result.images.map((image) => Buffer.from(image.bytes!))).toEqual([picture, other, picture]);
    // Imagen reports no usage: absent, never invented.
    expect(result.usage).toBeUndefined();
    expect(progress[0]).toEqual({ progress: 0, stage: 'generating' });
  });

  it('sends no imageSize for Imagen 3, and warns about filtered images and ignored references', async () => {
    const adapter = await adapterAt(() => ({ json: predictResponse([{ bytes: picture }], ['Your current safety filter threshold filtered out 1 generated image.']) }));
    const reference = { bytes: picture, format: 'png', width: 64, height: 48 };
    const { result } = await run(adapter, requestFor('imagen-3.0-generate-002', { prompt: 'a cat', aspectRatio: '4:3', personGeneration: 'allow_adult' }, { n: 2, references: [reference] }));
    expect(fake!.requests[0].json.parameters).toEqual({ sampleCount: 2, aspectRatio: '4:3', personGeneration: 'allow_adult', includeRaiReason: true });
    expect(result.images).toHaveLength(1);
    expect(result.warnings).toEqual([
      'imagen-3.0-generate-002 takes no reference images; 1 were ignored',
      "1 of 2 images were filtered by Google's safety checks: Your current safety filter threshold filtered out 1 generated image.",
    ]);
  });
});

describe('gemini adapter: failures', () => {
  it('classifies 400 as an invalid request carrying the status and body', async () => {
    const adapter = await adapterAt(() => ({ status: 400, json: errorBody(400, 'INVALID_ARGUMENT', 'Unsupported aspect ratio') }));
    const error = await failure(adapter, nanoBananaPro());
    expect(error.kind).toBe('invalid_request');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ provider: 'gemini', statusCode: 400 });
    expect(error.message).toContain('Unsupported aspect ratio');
    expect(error.details.responseBody).toContain('INVALID_ARGUMENT');
  });

  it('treats an invalid API key (a 400 from Google) and 403 as authentication failures', async () => {
    let adapter = await adapterAt(() => ({ status: 400, json: invalidApiKeyBody }));
    expect((await failure(adapter, nanoBananaPro())).kind).toBe('authentication');
    expect((await failure(adapter, imagen4())).kind).toBe('authentication');
    await fake!.close();
    adapter = await adapterAt(() => ({ status: 403, json: errorBody(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers") }));
    const error = await failure(adapter, nanoBananaPro());
    expect(error.kind).toBe('authentication');
    expect(error.details.statusCode).toBe(403);
  });

  it('retries 429 after the Retry-After header, or after the RetryInfo delay in the body', async () => {
    let adapter = await adapterAt(() => ({ status: 429, headers: { 'retry-after': '7' }, json: errorBody(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted') }));
    let error = await failure(adapter, nanoBananaPro());
    expect([error.kind, error.retryable, error.details.statusCode, error.details.retryAfterMs]).toEqual(['retryable', true, 429, 7000]);
    await fake!.close();
    adapter = await adapterAt(() => ({ status: 429, json: quotaExceededBody }));
    error = await failure(adapter, nanoBananaPro());
    expect(error.details.retryAfterMs).toBe(37_000);
    error = await failure(adapter, imagen4());
    expect([error.kind, error.details.retryAfterMs]).toEqual(['retryable', 37_000]);
  });

  it('retries 5xx, malformed 200 bodies and unreachable hosts', async () => {
    const answers: FakeResponse[] = [
      { status: 503, json: errorBody(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.') },
      { status: 200, headers: { 'content-type': 'application/json' }, body: '<html>proxy error</html>' },
      { status: 200, json: { candidates: 'not a list' } },
      { status: 200, body: 'not json' },
    ];
    const adapter = await adapterAt((_request, index) => answers[index]!);
    for (const request of [nanoBananaPro(), nanoBananaPro(), nanoBananaPro(), imagen4()]) {
      const error = await failure(adapter, request);
      expect(error.kind).toBe('retryable');
    }
    const unreachable = geminiProvider.create({ apiKey: 'test-key', baseUrl: 'http://127.0.0.1:1', fetch: globalThis.fetch, pollIntervalMs: 10 });
    const error = await failure(unreachable, nanoBananaPro());
    expect(error.kind).toBe('retryable');
    expect(error.message).toContain('could not be reached');
  });

  it('turns blocked prompts and safety finishes into content-policy refusals', async () => {
    const answers: FakeResponse[] = [
      { json: blockedPromptResponse },
      { json: noImageResponse('IMAGE_SAFETY') },
      { json: noImageResponse('STOP', "I can't create that image because it goes against my safety guidelines.") },
      { status: 400, json: errorBody(400, 'INVALID_ARGUMENT', "The prompt could not be submitted. It contains words that violate Google's Responsible AI practices.") },
      { json: predictResponse([], ['The image was filtered by the safety filter.']) },
    ];
    const adapter = await adapterAt((_request, index) => answers[index]!);
    const messages: string[] = [];
    for (const request of [nanoBananaPro(), nanoBananaPro(), nanoBananaPro(), imagen4(), imagen4()]) {
      const error = await failure(adapter, request);
      expect(error.kind).toBe('content_policy');
      expect(error.retryable).toBe(false);
      messages.push(error.message);
    }
    expect(messages[0]).toBe('gemini blocked the prompt (PROHIBITED_CONTENT): The prompt was blocked for prohibited content.');
    expect(messages[1]).toBe('gemini refused to generate the image (IMAGE_SAFETY)');
    expect(messages[4]).toBe('gemini filtered the image: The image was filtered by the safety filter.');
  });

  it('retries a candidate that ended without an image for no stated reason', async () => {
    const adapter = await adapterAt(() => ({ json: noImageResponse('NO_IMAGE', 'Here is a description of a lighthouse.') }));
    const error = await failure(adapter, nanoBananaPro());
    expect(error.kind).toBe('retryable');
    expect(error.message).toBe('gemini returned no image (NO_IMAGE): Here is a description of a lighthouse.');
  });

  it('stops waiting as soon as the signal fires and rethrows its reason', async () => {
    let arrived = () => {};
    // The upstream never answers while the test runs.
    const adapter = await adapterAt(() => {
      arrived();
      return new Promise<FakeResponse>(() => {});
    });
    for (const request of [nanoBananaPro(), imagen4()]) {
      const received = new Promise<void>((resolve) => (arrived = resolve));
      const controller = new AbortController();
      const pending = adapter.run(request, { signal: controller.signal, onProgress: () => {} });
      await received;
      const reason = new Error('canceled by the client');
      const startedAt = Date.now();
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      expect(Date.now() - startedAt).toBeLessThan(1000);
    }
  });
});

describe('gemini end to end', () => {
  let test: TestApp;
  let key: string;
  let upstream: FakeUpstream;
  let answer: (request: RecordedRequest) => FakeResponse;

  beforeAll(async () => {
    upstream = await startFakeUpstream((request) => answer(request));
    test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstream.url, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await test.createKey(1000)).key;
  });
  afterAll(async () => {
    await test?.stop();
    await upstream?.close();
  });

  const SUBMIT = `mutation($input: GenerateImageWithParamsInput!) {
    generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { code message } }
  }`;
  const DETAILS = `query($id: ID!) { job(id: $id) { provider warnings usage { reported inputTokens outputTokens cost } providerAttempts { provider upstreamModel outcome statusCode } } }`;

  async function runJob(input: Record<string, unknown>) {
    const { body } = await test.graphql(SUBMIT, { input }, key);
    const submitted = body.data?.generateImageWithParams;
    expect(submitted?.__typename, JSON.stringify(body)).toBe('GenerateImageSuccess');
    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: submitted.job.id });
    const finished = updates.at(-1).jobUpdated;
    const details = (await test.graphql(DETAILS, { id: submitted.job.id }, key)).body.data.job;
    return { finished, details };
  }

  it('runs a nano-banana edit on Gemini and stores the image it returned', async () => {
    upstream.requests.length = 0;
    answer = () => ({ json: generateContentResponse({ images: [{ bytes: picture }] }) });
    const reference = await testPicture(24, 24, 'png', '#ffffff');
    const { finished, details } = await runJob({
      model: 'nano-banana',
      prompt: 'make [image 1] blue',
      params: { aspectRatio: '3:2' },
      references: [{ dataUrl: `data:image/png;base64,${reference.toString('base64')}` }],
      seed: 1234,
    });
    expect(finished.type).toBe('SUCCEEDED');
    expect(finished.job.status).toBe('SUCCEEDED');
    expect(finished.job.provider).toBe('gemini');
    expect(finished.job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'PNG']]);
    const stored = Buffer.from(await (await fetch(finished.job.images[0].url)).arrayBuffer());
    expect((await sharp(stored).metadata()).format).toBe('png');

    expect(upstream.requests).toHaveLength(1);
    const [sent] = upstream.requests;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('test-key');
    expect(sent.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'make [image 1] blue' }, { inlineData: { mimeType: 'image/png', data: reference.toString('base64') } }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:2' }, seed: 1234 },
    });
    expect(details.usage).toEqual({ reported: true, inputTokens: 12, outputTokens: 1500, cost: 'unknown' });
    expect(details.providerAttempts).toEqual([{ provider: 'gemini', upstreamModel: 'gemini-2.5-flash-image', outcome: 'succeeded', statusCode: null }]);
  });

  it('retries after a 429 and succeeds', async () => {
    upstream.requests.length = 0;
    answer = () =>
      upstream.requests.length === 1
        ? { status: 429, headers: { 'retry-after': '0' }, json: errorBody(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted') }
        : { json: predictResponse([{ bytes: picture }, { bytes: picture }]) };
    const { finished, details } = await runJob({ model: 'imagen-4', prompt: 'two robots', params: { aspectRatio: '16:9' }, n: 2 });
    expect(finished.job.status).toBe('SUCCEEDED');
    expect(finished.job.images).toHaveLength(2);
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1].path).toBe('/v1beta/models/imagen-4.0-generate-001:predict');
    expect(upstream.requests[1].json.parameters).toEqual({ sampleCount: 2, aspectRatio: '16:9', imageSize: '1K', personGeneration: 'allow_adult', includeRaiReason: true });
    expect(details.providerAttempts.map((attempt: any) => [attempt.outcome, attempt.statusCode])).toEqual([
      ['retryable', 429],
      ['succeeded', null],
    ]);
    expect(details.usage.reported).toBe(false);
  });

  it('fails a refused prompt at once with CONTENT_POLICY and no retry', async () => {
    upstream.requests.length = 0;
    answer = () => ({ json: blockedPromptResponse });
    const { finished, details } = await runJob({ model: 'nano-banana-pro', prompt: 'something forbidden' });
    expect(finished.job.status).toBe('FAILED');
    expect(finished.job.error).toEqual({ code: 'CONTENT_POLICY', message: 'gemini blocked the prompt (PROHIBITED_CONTENT): The prompt was blocked for prohibited content.' });
    expect(upstream.requests).toHaveLength(1);
    expect(details.providerAttempts.map((attempt: any) => attempt.outcome)).toEqual(['content_policy']);
  });
});

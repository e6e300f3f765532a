import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRouterProvider } from '../../src/providers/openrouter/provider.js';
import type { ImageProvider } from '../../src/providers/spec.js';
import type { GenerationRequest } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { chatImageResponse, errorBody, imagesResponse } from './fixtures/openrouter/responses.js';
import { adapterFailure, runAdapter, upstreamRequest } from '../support/provider-requests.js';

let picture: Buffer;
let fake: FakeUpstream | undefined;

beforeAll(async () => {
  picture = await testPicture(64, 48, 'png');
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The adapter pointed at a fake answering with `handler`, mounted like OpenRouter under /api/v1. */
async function adapterAt(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<ImageProvider> {
  fake = await startFakeUpstream(handler);
  return openRouterProvider.create({ apiKey: 'test-key', baseUrl: `${fake.url}/api/v1`, fetch: globalThis.fetch, pollIntervalMs: 10 });
}

const requestFor = upstreamRequest;
const run = runAdapter;
const failure = (adapter: ImageProvider, request: GenerationRequest = nanoBananaPro()) => adapterFailure(adapter, request);

const nanoBananaPro = (params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  requestFor('google/gemini-3-pro-image-preview', { prompt: 'a lighthouse at dusk', aspectRatio: '16:9', resolution: '2K', tPose: false, sketchToRender: false, ...params }, extra);

describe('openrouter adapter: the image API', () => {
  it('posts the documented /images request and reports the cost OpenRouter charged', async () => {
    const adapter = await adapterAt(() => ({ json: imagesResponse([picture]) }));
    const { result, progress } = await run(adapter, nanoBananaPro({ styleId: '5f0c6a52-8f7e-4a57-9d1b-1f2a3b4c5d6e' }, { seed: 7 }));
    const [sent] = fake!.requests;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/api/v1/images');
    expect(sent.headers.authorization).toBe('Bearer test-key');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json).toEqual({ model: 'google/gemini-3-pro-image-preview', prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', resolution: '2K', n: 1, seed: 7 });

    expect(result.images.map((image) => Buffer.from(image.bytes!))).toEqual([picture]);
    expect(result.usage).toEqual({ costUsd: 0.134, inputTokens: 14, outputTokens: 1290, raw: { prompt_tokens: 14, completion_tokens: 1290, total_tokens: 1304, cost: 0.134, is_byok: false } });
    expect(result.warnings).toEqual(['styleId (a Wonda style) has no equivalent on OpenRouter and was ignored']);
    expect(progress).toEqual([{ progress: 0, stage: 'generating' }]);
  });

  it('sends reference images as data URLs in order with the output hints, and no usage when none is reported', async () => {
    const adapter = await adapterAt(() => ({ json: imagesResponse([picture], false) }));
    const first = await testPicture(32, 32, 'png', '#00aa00');
    const second = await testPicture(40, 30, 'webp', '#0000aa');
    const { result } = await run(
      adapter,
      requestFor(
        'google/gemini-2.5-flash-image',
        { prompt: 'combine [image 1] and [image 2]', aspectRatio: '21:9' },
        {
          references: [
            { bytes: first, format: 'png', width: 32, height: 32 },
            { bytes: second, format: 'webp', width: 40, height: 30 },
          ],
          output: { format: 'webp', compression: 80, background: 'opaque' },
        },
      ),
    );
    expect(fake!.requests[0].json).toEqual({
      model: 'google/gemini-2.5-flash-image',
      prompt: 'combine [image 1] and [image 2]',
      aspect_ratio: '21:9',
      n: 1,
      seed: 42,
      input_references: [
        { type: 'image_url', image_url: { url: `data:image/png;base64,${first.toString('base64')}` } },
        { type: 'image_url', image_url: { url: `data:image/webp;base64,${second.toString('base64')}` } },
      ],
      output_format: 'webp',
      output_compression: 80,
      background: 'opaque',
    });
    expect(result.usage).toBeUndefined();
    expect(result.warnings).toBeUndefined();
  });

  it('asks for n images, passes auto through and leaves compression off for png', async () => {
    const adapter = await adapterAt(() => ({ json: imagesResponse([picture, picture]) }));
    const { result } = await run(
      adapter,
      requestFor('google/gemini-3.1-flash-image-preview', { prompt: 'two posters', aspectRatio: 'auto', resolution: '4K' }, { n: 2, output: { format: 'png', compression: 50 } }),
    );
    expect(fake!.requests[0].json).toEqual({ model: 'google/gemini-3.1-flash-image-preview', prompt: 'two posters', aspect_ratio: 'auto', resolution: '4K', n: 2, seed: 42, output_format: 'png' });
    expect(result.images).toHaveLength(2);
  });

  it('falls back to chat completions when the image API does not serve the model', async () => {
    const reference = await testPicture(20, 20, 'jpeg', '#123456');
    const adapter = await adapterAt((request) =>
      request.path === '/api/v1/images'
        ? { status: 404, json: errorBody(404, 'No endpoints found for google/gemini-2.5-flash-image.') }
        : { json: chatImageResponse([picture], { content: 'Here you go.' }) },
    );
    const { result } = await run(
      adapter,
      requestFor('google/gemini-2.5-flash-image', { prompt: 'a teapot like [image 1]', aspectRatio: '3:4' }, { references: [{ bytes: reference, format: 'jpeg', width: 20, height: 20 }] }),
    );
    expect(fake!.requests.map((request) => request.path)).toEqual(['/api/v1/images', '/api/v1/chat/completions']);
    const chat = fake!.requests[1];
    expect(chat.headers.authorization).toBe('Bearer test-key');
    expect(chat.json).toEqual({
      model: 'google/gemini-2.5-flash-image',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a teapot like [image 1]' },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${reference.toString('base64')}` } },
          ],
        },
      ],
      modalities: ['image', 'text'],
      image_config: { aspect_ratio: '3:4' },
      seed: 42,
    });
    expect(result.images.map((image) => Buffer.from(image.bytes!))).toEqual([picture]);
    expect(result.usage).toMatchObject({ costUsd: 0.039, inputTokens: 10, outputTokens: 1300 });
  });
  it("forwards the client's provider object: whole to the image API, its routing preferences to chat completions", async () => {
    const providerPassthrough = { order: ['google-vertex'], allow_fallbacks: false, options: { 'google-vertex': { safety_tolerance: 'low' } } };
    const adapter = await adapterAt((request) =>
      request.path === '/api/v1/images' ? { status: 404, json: errorBody(404, 'No endpoints found.') } : { json: chatImageResponse([picture], { content: 'Here you go.' }) },
    );
    const { result } = await run(adapter, requestFor('google/gemini-2.5-flash-image', { prompt: 'a teapot' }, { providerPassthrough }));
    expect(fake!.requests[0]!.json).toMatchObject({ provider: providerPassthrough });
    expect(fake!.requests[1]!.json).toMatchObject({ provider: { order: ['google-vertex'], allow_fallbacks: false } });
    expect((fake!.requests[1]!.json as { provider: object }).provider).not.toHaveProperty('options');
    expect(result.warnings).toContain('provider.options is not available through OpenRouter chat completions and was not forwarded');
  });
});

describe('openrouter adapter: failures', () => {
  it('classifies 400 as invalid, 401 and 402 as configuration, 403 moderation as content policy', async () => {
    const answers: FakeResponse[] = [
      { status: 400, json: errorBody(400, 'aspect_ratio: Invalid option') },
      { status: 401, json: errorBody(401, 'No auth credentials found') },
      { status: 402, json: errorBody(402, 'Insufficient credits. Add more using https://openrouter.ai/credits') },
      { status: 403, json: errorBody(403, 'Your input was flagged by the moderation model', { reasons: ['sexual'], flagged_input: 'something' }) },
    ];
    const adapter = await adapterAt((_request, index) => answers[index]!);
    const errors = [await failure(adapter), await failure(adapter), await failure(adapter), await failure(adapter)];
    expect(errors.map((error) => [error.kind, error.details.statusCode])).toEqual([
      ['invalid_request', 400],
      ['authentication', 401],
      ['authentication', 402],
      ['content_policy', 403],
    ]);
    expect(errors[0].message).toBe('openrouter: aspect_ratio: Invalid option');
    expect(errors[0].details.responseBody).toContain('Invalid option');
    expect(errors[2].message).toContain('lack of credits');
  });

  it('retries 429 after Retry-After, 5xx, malformed 200s and empty results', async () => {
    const answers: FakeResponse[] = [
      { status: 429, headers: { 'retry-after': '3' }, json: errorBody(429, 'Rate limit exceeded') },
      { status: 502, json: errorBody(502, 'google is down') },
      { status: 524, body: 'edge timeout' },
      { status: 200, body: 'not json' },
      { status: 200, json: { data: 'nothing here' } },
      { status: 200, json: { created: 1, data: [] } },
    ];
    const adapter = await adapterAt((_request, index) => answers[index]!);
    const first = await failure(adapter);
    expect([first.kind, first.retryable, first.details.statusCode, first.details.retryAfterMs]).toEqual(['retryable', true, 429, 3000]);
    for (const status of [502, 524, 200, 200, 200]) {
      const error = await failure(adapter);
      expect([error.kind, error.details.statusCode]).toEqual(['retryable', status]);
    }
  });

  it('classifies an error carried in a 200 body by the code it names', async () => {
    const answers: FakeResponse[] = [{ json: errorBody(400, 'Image generation blocked by the provider safety filter') }, { json: errorBody(502, 'Provider returned error') }];
    const adapter = await adapterAt((_request, index) => answers[index]!);
    expect((await failure(adapter)).kind).toBe('content_policy');
    expect((await failure(adapter)).kind).toBe('retryable');
  });

  it('turns a chat-completions refusal into a content-policy failure', async () => {
    const adapter = await adapterAt((request) =>
      request.path === '/api/v1/images'
        ? { status: 404, json: errorBody(404, 'Not found') }
        : { json: chatImageResponse([], { content: 'I cannot create this image.', finishReason: 'content_filter', nativeFinishReason: 'IMAGE_SAFETY' }) },
    );
    const error = await failure(adapter);
    expect(error.kind).toBe('content_policy');
    expect(error.message).toBe('openrouter refused to generate the image (content_filter/IMAGE_SAFETY): I cannot create this image.');
  });

  it('stops waiting as soon as the signal fires and rethrows its reason', async () => {
    let arrived = () => {};
    const received = new Promise<void>((resolve) => (arrived = resolve));
    // The upstream never answers while the test runs.
    const adapter = await adapterAt(() => {
      arrived();
      return new Promise<FakeResponse>(() => {});
    });
    const controller = new AbortController();
    const pending = adapter.run(nanoBananaPro(), { signal: controller.signal, onProgress: () => {} });
    await received;
    const reason = new Error('canceled by the client');
    const startedAt = Date.now();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});

describe('openrouter end to end', () => {
  let test: TestApp;
  let key: string;
  let upstream: FakeUpstream;
  let answer: (request: RecordedRequest) => FakeResponse;

  beforeAll(async () => {
    upstream = await startFakeUpstream((request) => answer(request));
    test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: `${upstream.url}/api/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await test.createKey(1000)).key;
  });
  afterAll(async () => {
    await test?.stop();
    await upstream?.close();
  });

  const SUBMIT = `mutation($input: GenerateImageWithParamsInput!) {
    generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { code message } }
  }`;
  const DETAILS = `query($id: ID!) { job(id: $id) { usage { reported costUsd cost inputTokens outputTokens } providerAttempts { provider upstreamModel outcome statusCode } } }`;

  async function runJob(input: Record<string, unknown>) {
    const { body } = await test.graphql(SUBMIT, { input }, key);
    const submitted = body.data?.generateImageWithParams;
    expect(submitted?.__typename, JSON.stringify(body)).toBe('GenerateImageSuccess');
    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: submitted.job.id });
    const details = (await test.graphql(DETAILS, { id: submitted.job.id }, key)).body.data.job;
    return { finished: updates.at(-1).jobUpdated, details };
  }

  it('runs nano-banana-pro through OpenRouter, stores the image and records the cost', async () => {
    upstream.requests.length = 0;
    answer = () => ({ json: imagesResponse([picture]) });
    const { finished, details } = await runJob({ model: 'nano-banana-pro', prompt: 'a red panda astronaut', params: { aspectRatio: '4:3', resolution: '2K' }, seed: 99, output: { format: 'WEBP' } });
    expect(finished.type).toBe('SUCCEEDED');
    expect(finished.job.provider).toBe('openrouter');
    expect(finished.job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'WEBP']]);
    const stored = Buffer.from(await (await fetch(finished.job.images[0].url)).arrayBuffer());
    expect((await sharp(stored).metadata()).format).toBe('webp');

    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0].path).toBe('/api/v1/images');
    expect(upstream.requests[0].headers.authorization).toBe('Bearer test-key');
    expect(upstream.requests[0].json).toEqual({
      model: 'google/gemini-3-pro-image-preview',
      prompt: 'a red panda astronaut',
      aspect_ratio: '4:3',
      resolution: '2K',
      n: 1,
      seed: 99,
      output_format: 'webp',
    });
    expect(details.usage).toEqual({ reported: true, costUsd: 0.134, cost: '$0.1340', inputTokens: 14, outputTokens: 1290 });
  });

  it('retries after a 429 and succeeds', async () => {
    upstream.requests.length = 0;
    answer = () => (upstream.requests.length === 1 ? { status: 429, headers: { 'retry-after': '0' }, json: errorBody(429, 'Rate limit exceeded') } : { json: imagesResponse([picture]) });
    const { finished, details } = await runJob({ model: 'nano-banana', prompt: 'a kite' });
    expect(finished.job.status).toBe('SUCCEEDED');
    expect(finished.job.images).toHaveLength(1);
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1].json).toEqual(upstream.requests[0].json);
    expect(upstream.requests[1].json).toMatchObject({ model: 'google/gemini-2.5-flash-image', prompt: 'a kite', aspect_ratio: '1:1', n: 1 });
    expect(details.providerAttempts.map((attempt: any) => [attempt.provider, attempt.outcome, attempt.statusCode])).toEqual([
      ['openrouter', 'retryable', 429],
      ['openrouter', 'succeeded', null],
    ]);
  });
});

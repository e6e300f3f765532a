import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { XaiImageProvider } from '../../src/providers/xai/provider.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { submitWithParams } from './end-to-end.js';
import { twoCentsInTicks, xaiErrors, xaiImagesResponse } from './fixtures/xai/responses.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  cleanups.push(() => fake.close());
  return fake;
}

const adapter = (fake: FakeUpstream) => new XaiImageProvider({ apiKey: 'xai-test', baseUrl: `${fake.url}/v1`, fetch: globalThis.fetch, pollIntervalMs: 10 });

/** A request as the runner builds it: catalog defaults applied, the route's upstream model. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('xai', { prompt: 'a cat astronaut on the moon', seed: 11 }, modelId, params, extra);

const run = (fake: FakeUpstream, request: GenerationRequest) => runAdapter(adapter(fake), request);

const failure = (fake: FakeUpstream, request: GenerationRequest = requestFor('grok-imagine')) => adapterFailure(adapter(fake), request);

const bytesOf = (image: { bytes?: Uint8Array }) => Buffer.from(image.bytes!);
const dataUrl = (bytes: Buffer, format: string) => `data:image/${format};base64,${bytes.toString('base64')}`;

describe('xAI adapter: requests and outcomes', () => {
  it('generates with grok-imagine: aspect ratio, resolution, base64, and the cost xAI reports', async () => {
    const picture = await testPicture(36, 64, 'jpeg');
    const fake = await serve(() => ({ json: xaiImagesResponse([picture]) }));
    const { result, progress } = await run(fake, requestFor('grok-imagine'));

    const [sent] = fake.requests;
    expect([sent.method, sent.path, sent.headers.authorization, sent.headers['content-type']]).toEqual(['POST', '/v1/images/generations', 'Bearer xai-test', 'application/json']);
    expect(sent.json).toEqual({ model: 'grok-imagine-image', prompt: 'a cat astronaut on the moon', n: 1, response_format: 'b64_json', resolution: '1k', aspect_ratio: '9:16' });
    expect(result.images.map(bytesOf)).toEqual([picture]);
    expect(result.usage).toEqual({ costUsd: 0.02, raw: { cost_in_usd_ticks: twoCentsInTicks } });
    expect(result.warnings).toEqual([]);
    expect(progress).toEqual([{ progress: 0, stage: 'generating' }]);
  });

  it('asks grok-imagine-pro for n images in one call at 2k', async () => {
    const pictures = await Promise.all(['#110000', '#001100', '#000011', '#111111'].map((color) => testPicture(64, 36, 'jpeg', color)));
    const fake = await serve(() => ({ json: xaiImagesResponse(pictures, { costTicks: 2_800_000_000 }) }));
    const { result } = await run(fake, requestFor('grok-imagine-pro', { aspectRatio: '16:9', resolution: '2k' }, { n: 4 }));
    expect(fake.requests[0].json).toEqual({ model: 'grok-imagine-image-pro', prompt: 'a cat astronaut on the moon', n: 4, response_format: 'b64_json', resolution: '2k', aspect_ratio: '16:9' });
    expect(result.images.map(bytesOf)).toEqual(pictures);
    expect(result.usage?.costUsd).toBeCloseTo(0.28, 10);
  });

  it('edits one reference image through /images/edits with a data URI, and says the ratio follows the input', async () => {
    const [reference, output] = await Promise.all([testPicture(40, 30, 'png'), testPicture(40, 30, 'jpeg')]);
    const fake = await serve(() => ({ json: xaiImagesResponse([output]) }));
    const references: InputImage[] = [{ bytes: reference, format: 'png', width: 40, height: 30 }];
    const { result } = await run(fake, requestFor('grok-imagine', { prompt: 'make [image 1] a pencil sketch', aspectRatio: '1:1' }, { references }));

    expect(fake.requests[0].path).toBe('/v1/images/edits');
    expect(fake.requests[0].json).toEqual({
      model: 'grok-imagine-image',
      prompt: 'make [image 1] a pencil sketch',
      n: 1,
      response_format: 'b64_json',
      resolution: '1k',
      image: { url: dataUrl(reference, 'png'), type: 'image_url' },
    });
    expect(result.warnings).toEqual(["aspectRatio 1:1 was not applied: xAI keeps the reference image's shape when editing one image"]);
    expect(result.images.map(bytesOf)).toEqual([output]);

    await run(fake, requestFor('grok-imagine', { aspectRatio: 'auto' }, { references }));
    expect(fake.requests[1].json).not.toHaveProperty('aspect_ratio');
  });

  it('sends several references as `images`, naming them <IMAGE_n> in the prompt as xAI does', async () => {
    const [first, second, output] = await Promise.all([testPicture(16, 16, 'png'), testPicture(16, 16, 'webp'), testPicture()]);
    const fake = await serve(() => ({ json: xaiImagesResponse([output]) }));
    const references: InputImage[] = [
      { bytes: first, format: 'png', width: 16, height: 16 },
      { bytes: second, format: 'webp', width: 16, height: 16 },
    ];
    const { result } = await run(fake, requestFor('grok-imagine', { prompt: 'put [image 2] next to [image 1]', aspectRatio: '3:2' }, { references }));
    expect(fake.requests[0].json).toMatchObject({
      prompt: 'put <IMAGE_1> next to <IMAGE_0>',
      aspect_ratio: '3:2',
      images: [
        { url: dataUrl(first, 'png'), type: 'image_url' },
        { url: dataUrl(second, 'webp'), type: 'image_url' },
      ],
    });
    expect(fake.requests[0].json).not.toHaveProperty('image');
    expect(result.warnings).toEqual([]);
  });

  it('reports no usage when xAI does not, and passes URLs on when it answers with them', async () => {
    const fake = await serve(() => ({ json: { block_reason: null, data: [{ url: 'https://imgen.x.ai/xai-imgen/xai-tmp-imgen-1.jpeg', mime_type: 'image/jpeg', revised_prompt: '' }] } }));
    const { result } = await run(fake, requestFor('grok-imagine'));
    expect(result.images).toEqual([{ url: 'https://imgen.x.ai/xai-imgen/xai-tmp-imgen-1.jpeg' }]);
    expect(result.usage).toBeUndefined();
  });
});

describe('xAI adapter: failures', () => {
  it('classifies 400 and 422 as invalid requests with the upstream status and body', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { status: 400, json: xaiErrors.invalidArgument } : { status: 422, json: xaiErrors.missingField }));
    const invalid = await failure(fake);
    expect([invalid.kind, invalid.retryable, invalid.details.statusCode]).toEqual(['invalid_request', false, 400]);
    expect(JSON.parse(invalid.details.responseBody!)).toEqual(xaiErrors.invalidArgument);
    expect(invalid.message).toContain('Invalid aspect_ratio');
    const unprocessable = await failure(fake);
    expect([unprocessable.kind, unprocessable.details.statusCode]).toEqual(['invalid_request', 422]);
  });

  it('classifies a wrong key (xAI answers 400) and a 401/403 as authentication', async () => {
    const fake = await serve(
      (_request, index) =>
        [
          { status: 400, json: xaiErrors.incorrectApiKey },
          { status: 401, json: xaiErrors.incorrectApiKey },
          { status: 403, json: xaiErrors.noCredits },
        ][index],
    );
    const wrongKey = await failure(fake);
    expect([wrongKey.kind, wrongKey.details.statusCode]).toEqual(['authentication', 400]);
    expect(wrongKey.message).toBe('xai rejected the credentials: Incorrect API key provided: xa***st. You can obtain an API key from https://console.x.ai.');
    expect((await failure(fake)).kind).toBe('authentication');
    const noCredits = await failure(fake);
    expect([noCredits.kind, noCredits.details.statusCode]).toEqual(['authentication', 403]);
  });

  it('classifies 429 as retryable with Retry-After, and 5xx as retryable', async () => {
    const fake = await serve((_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3' }, json: xaiErrors.rateLimited } : { status: index === 1 ? 500 : 503, json: xaiErrors.unavailable },
    );
    const limited = await failure(fake);
    expect([limited.kind, limited.retryable, limited.details.statusCode, limited.details.retryAfterMs]).toEqual(['retryable', true, 429, 3000]);
    expect((await failure(fake)).details.statusCode).toBe(500);
    const unavailable = await failure(fake);
    expect([unavailable.kind, unavailable.details.statusCode]).toEqual(['retryable', 503]);
  });

  it('treats a malformed 200 as retryable, keeping the body', async () => {
    const fake = await serve(
      (_request, index) => [{ json: { data: 'not a list' } }, { body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } }, { json: { block_reason: null, data: [] } }][index],
    );
    const wrongShape = await failure(fake);
    expect([wrongShape.kind, wrongShape.details.statusCode, wrongShape.details.responseBody]).toEqual(['retryable', 200, '{"data":"not a list"}']);
    const notJson = await failure(fake);
    expect([notJson.kind, notJson.details.responseBody]).toEqual(['retryable', 'Bad Gateway']);
    const empty = await failure(fake);
    expect([empty.kind, empty.message]).toEqual(['retryable', 'xai returned no image']);
  });

  it('turns moderation refusals into content_policy: a 400, a block_reason, or withheld images', async () => {
    const picture = await testPicture(16, 16, 'jpeg');
    const fake = await serve(
      (_request, index) =>
        [
          { status: 400, json: xaiErrors.moderationRejected },
          { json: { block_reason: 'The prompt was blocked by input moderation.', data: [], usage: { cost_in_usd_ticks: 0 } } },
          { json: { block_reason: null, data: [{ b64_json: picture.toString('base64'), respect_moderation: false }] } },
          {
            json: {
              block_reason: null,
              data: [
                { b64_json: picture.toString('base64'), respect_moderation: true },
                { b64_json: picture.toString('base64'), respect_moderation: false },
              ],
            },
          },
        ][index],
    );
    const rejected = await failure(fake);
    expect([rejected.kind, rejected.code, rejected.details.statusCode]).toEqual(['content_policy', 'CONTENT_POLICY', 400]);
    const blocked = await failure(fake);
    expect([blocked.kind, blocked.details.statusCode]).toEqual(['content_policy', 200]);
    expect(blocked.message).toContain('blocked by input moderation');
    const withheld = await failure(fake, requestFor('grok-imagine'));
    expect(withheld.kind).toBe('content_policy');

    const { result } = await run(fake, requestFor('grok-imagine', {}, { n: 2 }));
    expect(result.images).toHaveLength(1);
    expect(result.warnings).toEqual(["1 of 2 images were withheld by xAI's content moderation"]);
  });

  it('stops waiting for a slow upstream as soon as the signal aborts', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const held = new Promise<FakeResponse>((resolve) => (release = () => resolve({ status: 500 })));
    cleanups.push(() => release());
    const fake = await serve(() => {
      arrived();
      return held;
    });
    const controller = new AbortController();
    const running = adapter(fake).run(requestFor('grok-imagine'), { signal: controller.signal, onProgress: () => undefined });
    await requestArrived;
    const reason = new Error('canceled by the client');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });
});

describe('xAI end to end', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let respond: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse> = () => ({ status: 500 });

  beforeAll(async () => {
    fake = await startFakeUpstream((request, index) => respond(request, index));
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', XAI_API_KEY: 'xai-test', XAI_BASE_URL: `${fake.url}/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await app.createKey(1000)).key;
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const JOB_DETAILS = `query Details($id: ID!) {
    job(id: $id) { provider providerAttempts { provider upstreamModel outcome statusCode } usage { reported costUsd cost } }
  }`;

  const submit = (input: Record<string, unknown>) => submitWithParams(app, key, input);

  it('runs a grok-imagine job on the fake xAI and records its cost', async () => {
    const picture = await testPicture(48, 64, 'jpeg');
    respond = () => ({ json: xaiImagesResponse([picture]) });
    const before = fake.requests.length;
    const id = await submit({ model: 'grok-imagine', prompt: 'a neon koi pond', params: { aspectRatio: '3:4' } });

    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('xai');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[48, 64, 'JPEG']]);

    const sent = fake.requests.slice(before);
    expect(sent.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([['POST', '/v1/images/generations', 'Bearer xai-test']]);
    expect(sent[0].json).toEqual({ model: 'grok-imagine-image', prompt: 'a neon koi pond', n: 1, response_format: 'b64_json', resolution: '1k', aspect_ratio: '3:4' });
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.usage).toEqual({ reported: true, costUsd: 0.02, cost: '$0.0200' });
  });

  it('retries after a 429 and succeeds on the second call', async () => {
    const picture = await testPicture(32, 32, 'jpeg');
    const before = fake.requests.length;
    respond = (_request, index) => (index === before ? { status: 429, headers: { 'retry-after': '0' }, json: xaiErrors.rateLimited } : { json: xaiImagesResponse([picture]) });
    const id = await submit({ model: 'grok-imagine-pro', prompt: 'a glass greenhouse', params: { aspectRatio: '1:1' } });

    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    expect(updates.at(-1).jobUpdated.job.status).toBe('SUCCEEDED');
    expect(fake.requests.slice(before).map((request) => request.json.model)).toEqual(['grok-imagine-image-pro', 'grok-imagine-image-pro']);
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.providerAttempts).toEqual([
      { provider: 'xai', upstreamModel: 'grok-imagine-image-pro', outcome: 'retryable', statusCode: 429 },
      { provider: 'xai', upstreamModel: 'grok-imagine-image-pro', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

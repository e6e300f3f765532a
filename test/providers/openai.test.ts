import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIImageProvider } from '../../src/providers/openai/provider.js';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { submitWithParams } from './end-to-end.js';
import { imagesResponse, openaiErrors, streamEvents } from './fixtures/openai/responses.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  cleanups.push(() => fake.close());
  return fake;
}

function adapter(fake: FakeUpstream, fetchImpl: typeof fetch = globalThis.fetch) {
  return new OpenAIImageProvider({ apiKey: 'sk-test', baseUrl: `${fake.url}/v1`, fetch: fetchImpl, pollIntervalMs: 10 });
}

/** A request as the runner builds it: catalog defaults applied, the route's upstream model. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('openai', { prompt: 'a red fox in the snow', seed: 7 }, modelId, params, extra);

const run = (fake: FakeUpstream, request: GenerationRequest, signal = new AbortController().signal) => runAdapter(adapter(fake), request, signal);

const failure = (fake: FakeUpstream, request: GenerationRequest) => adapterFailure(adapter(fake), request);

async function multipart(request: RecordedRequest): Promise<FormData> {
  return new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

/** Text fields of a multipart body, without the files. */
function textFields(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')) as Record<string, string>;
}

const bytesOf = (image: { bytes?: Uint8Array }) => Buffer.from(image.bytes!);

describe('OpenAI adapter: requests and outcomes', () => {
  it('streams a gpt-image-1 generation, turning partial images into previews', async () => {
    const [first, second, final] = await Promise.all([testPicture(16, 16, 'png', '#111111'), testPicture(16, 16, 'png', '#777777'), testPicture(64, 64)]);
    const fake = await serve(() => ({ sse: streamEvents('image_generation', [first, second], final) }));
    const { result, progress } = await run(fake, requestFor('gpt-image-1'));

    const [sent] = fake.requests;
    expect([sent.method, sent.path, sent.headers.authorization]).toEqual(['POST', '/v1/images/generations', 'Bearer sk-test']);
    expect(sent.json).toEqual({
      model: 'gpt-image-1',
      prompt: 'a red fox in the snow',
      n: 1,
      size: 'auto',
      quality: 'auto',
      background: 'auto',
      moderation: 'auto',
      stream: true,
      partial_images: 2,
    });
    expect(result.images.map(bytesOf)).toEqual([final]);
    expect(result.usage).toEqual({ inputTokens: 50, outputTokens: 272, raw: expect.objectContaining({ total_tokens: 322 }) });
    expect(result.warnings).toEqual([]);
    const previews = progress.filter((update) => update.preview);
    expect(previews.map((update) => Buffer.from(update.preview!))).toEqual([first, second]);
    expect(previews.map((update) => update.progress)).toEqual([1 / 3, 2 / 3]);
  });

  it('asks gpt-image-1.5 for n images at once with its size, quality, background and output encoding', async () => {
    const pictures = await Promise.all([testPicture(32, 32, 'webp', '#aa0000'), testPicture(32, 32, 'webp', '#00aa00'), testPicture(32, 32, 'webp', '#0000aa')]);
    const fake = await serve(() => ({ json: imagesResponse(pictures) }));
    const request = requestFor('gpt-image-1.5', { aspectRatio: '16:9', quality: 'high', background: 'transparent' }, { n: 3, output: { format: 'webp', compression: 80 } });
    const { result, progress } = await run(fake, request);

    expect(fake.requests[0].json).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 3,
      size: '1536x1024',
      quality: 'high',
      background: 'transparent',
      output_format: 'webp',
      output_compression: 80,
    });
    expect(result.images.map(bytesOf)).toEqual(pictures);
    expect(result.usage?.outputTokens).toBe(272);
    expect(progress.some((update) => update.preview)).toBe(false);
  });

  it('edits with gpt-image-1: reference images as multipart image[] parts, in order', async () => {
    const [png, jpeg, final] = await Promise.all([testPicture(20, 20, 'png'), testPicture(24, 24, 'jpeg'), testPicture(64, 64)]);
    const references: InputImage[] = [
      { bytes: png, format: 'png', width: 20, height: 20 },
      { bytes: jpeg, format: 'jpeg', width: 24, height: 24 },
    ];
    const fake = await serve(() => ({ sse: streamEvents('image_edit', [png], final) }));
    const request = requestFor('gpt-image-1', { prompt: 'put [image 1] on [image 2]', size: '1024x1536', inputFidelity: 'high', moderation: 'low' }, { references });
    const { result, progress } = await run(fake, request);

    const [sent] = fake.requests;
    expect([sent.method, sent.path, sent.headers.authorization]).toEqual(['POST', '/v1/images/edits', 'Bearer sk-test']);
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await multipart(sent);
    expect(textFields(form)).toEqual({
      model: 'gpt-image-1',
      prompt: 'put [image 1] on [image 2]',
      n: '1',
      size: '1024x1536',
      quality: 'auto',
      background: 'auto',
      input_fidelity: 'high',
      stream: 'true',
      partial_images: '2',
    });
    const files = form.getAll('image[]') as File[];
    expect(files.map((file) => [file.name, file.type])).toEqual([
      ['image-1.png', 'image/png'],
      ['image-2.jpg', 'image/jpeg'],
    ]);
    expect(await Promise.all(files.map(async (file) => Buffer.from(await file.arrayBuffer())))).toEqual([png, jpeg]);
    expect(form.has('moderation')).toBe(false);
    expect(result.warnings).toEqual(['moderation "low" applies only to generations; OpenAI used its default moderation for this edit']);
    expect(result.images.map(bytesOf)).toEqual([final]);
    expect(progress.filter((update) => update.preview)).toHaveLength(1);
  });

  it('warns instead of sending what gpt-image-2 or a generation cannot take', async () => {
    const pictures = await Promise.all([testPicture(), testPicture()]);
    const fake = await serve(() => ({ json: imagesResponse(pictures) }));
    // The catalog offers gpt-image-2 no transparent background: validation refuses it before any call.
    expect(() => requestFor('gpt-image-2', { background: 'transparent' })).toThrow();
    const request = requestFor('gpt-image-2', { size: '3840x2160', quality: 'medium', moderation: 'low' }, { n: 2 });
    const { result } = await run(fake, request);
    expect(fake.requests[0].json).toEqual({ model: 'gpt-image-2', prompt: 'a red fox in the snow', n: 2, size: '3840x2160', quality: 'medium', background: 'auto', moderation: 'low' });
    expect(result.warnings).toEqual([]);

    const fidelity = await run(fake, requestFor('gpt-image-1', { inputFidelity: 'high' }, { n: 2 }));
    expect(fake.requests[1].json).not.toHaveProperty('input_fidelity');
    expect(fidelity.result.warnings).toEqual(['inputFidelity applies only when reference images are given; it was not used']);
  });

  it('asks dall-e-3 for base64 with its size, quality and style; no usage is reported', async () => {
    const picture = await testPicture(64, 36);
    const fake = await serve(() => ({ json: imagesResponse([picture], { usage: false, revisedPrompt: 'A red fox standing in fresh snow.' }) }));
    const { result } = await run(fake, requestFor('dall-e-3', { size: '1792x1024', quality: 'hd', style: 'natural' }));
    expect(fake.requests[0].json).toEqual({
      model: 'dall-e-3',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1792x1024',
      quality: 'hd',
      response_format: 'b64_json',
      style: 'natural',
    });
    expect(result.images.map(bytesOf)).toEqual([picture]);
    expect(result.usage).toBeUndefined();
  });

  it('edits with dall-e-2: one `image` part, converted to an RGBA PNG as the API requires', async () => {
    const jpeg = await testPicture(32, 32, 'jpeg');
    const outputs = await Promise.all([testPicture(), testPicture()]);
    const fake = await serve(() => ({ json: imagesResponse(outputs, { usage: false }) }));
    const request = requestFor('dall-e-2', { size: '512x512' }, { n: 2, references: [{ bytes: jpeg, format: 'jpeg', width: 32, height: 32 }] });
    const { result } = await run(fake, request);

    const form = await multipart(fake.requests[0]);
    expect(fake.requests[0].path).toBe('/v1/images/edits');
    expect(textFields(form)).toEqual({ model: 'dall-e-2', prompt: 'a red fox in the snow', n: '2', size: '512x512', response_format: 'b64_json' });
    const file = form.get('image') as File;
    expect([file.name, file.type]).toEqual(['image-1.png', 'image/png']);
    const metadata = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect([metadata.format, metadata.hasAlpha, metadata.width]).toEqual(['png', true, 32]);
    expect(result.images).toHaveLength(2);
  });

  it('returns the URL when an OpenAI-compatible endpoint answers dall-e with links', async () => {
    const fake = await serve(() => ({ json: { created: 1, data: [{ url: 'https://images.example/fox.png' }] } }));
    const { result } = await run(fake, requestFor('dall-e-2'));
    expect(result.images).toEqual([{ url: 'https://images.example/fox.png' }]);
  });
});

describe('OpenAI adapter: failures', () => {
  it('classifies 400 as an invalid request with the upstream status and body', async () => {
    const fake = await serve(() => ({ status: 400, json: openaiErrors.invalidValue }));
    const error = await failure(fake, requestFor('dall-e-3', {}, { n: 1 }));
    expect(error.kind).toBe('invalid_request');
    expect(error.retryable).toBe(false);
    expect(error.details.statusCode).toBe(400);
    expect(JSON.parse(error.details.responseBody!)).toEqual(openaiErrors.invalidValue);
    expect(error.message).toContain("Invalid value: 'hd'");
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies 401 and 403 as authentication failures', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { status: 401, json: openaiErrors.invalidApiKey } : { status: 403, json: openaiErrors.organizationNotVerified }));
    const unauthorized = await failure(fake, requestFor('dall-e-2'));
    expect([unauthorized.kind, unauthorized.details.statusCode]).toEqual(['authentication', 401]);
    const forbidden = await failure(fake, requestFor('dall-e-2'));
    expect([forbidden.kind, forbidden.details.statusCode]).toEqual(['authentication', 403]);
    expect(forbidden.message).toContain('must be verified');
  });

  it('classifies 429 as retryable and keeps Retry-After (seconds or OpenAI milliseconds)', async () => {
    const headers: Record<string, string>[] = [{ 'retry-after': '7' }, { 'retry-after-ms': '1500' }];
    const fake = await serve((_request, index) => ({ status: 429, headers: headers[index], json: openaiErrors.rateLimited }));
    const seconds = await failure(fake, requestFor('dall-e-2'));
    expect([seconds.kind, seconds.retryable, seconds.details.statusCode, seconds.details.retryAfterMs]).toEqual(['retryable', true, 429, 7000]);
    const milliseconds = await failure(fake, requestFor('dall-e-2'));
    expect(milliseconds.details.retryAfterMs).toBe(1500);
  });

  it('classifies 5xx as retryable', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { status: 500, json: openaiErrors.serverError } : { status: 503, body: 'upstream connect error' }));
    const internal = await failure(fake, requestFor('gpt-image-1', {}, { n: 2 }));
    expect([internal.kind, internal.details.statusCode]).toEqual(['retryable', 500]);
    const unavailable = await failure(fake, requestFor('gpt-image-1', {}, { n: 2 }));
    expect([unavailable.kind, unavailable.details.statusCode, unavailable.details.responseBody]).toEqual(['retryable', 503, 'upstream connect error']);
  });

  it('treats a malformed 200 as retryable, keeping the body', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { json: { created: 1, data: [] } } : { status: 200, headers: { 'content-type': 'application/json' }, body: '<html>gateway</html>' }));
    const empty = await failure(fake, requestFor('dall-e-2'));
    expect([empty.kind, empty.details.statusCode, empty.details.responseBody]).toEqual(['retryable', 200, '{"created":1,"data":[]}']);
    const garbled = await failure(fake, requestFor('dall-e-2'));
    expect([garbled.kind, garbled.details.responseBody]).toEqual(['retryable', '<html>gateway</html>']);
  });

  it('turns safety-system refusals into content_policy, in a 400 or inside a stream', async () => {
    const fake = await serve((_request, index) =>
      index === 0 ? { status: 400, json: openaiErrors.moderationBlocked } : { sse: [{ event: 'error', data: { type: 'error', ...openaiErrors.moderationBlocked } }] },
    );
    const rejected = await failure(fake, requestFor('gpt-image-1', {}, { n: 2 }));
    expect([rejected.kind, rejected.code, rejected.details.statusCode]).toEqual(['content_policy', 'CONTENT_POLICY', 400]);
    const streamed = await failure(fake, requestFor('gpt-image-1'));
    expect([streamed.kind, streamed.details.statusCode]).toEqual(['content_policy', 200]);
    expect(streamed.message).toContain('safety system');
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
    const running = adapter(fake).run(requestFor('dall-e-3'), { signal: controller.signal, onProgress: () => undefined });
    await requestArrived;
    const reason = new Error('canceled by the client');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('stops reading a stream mid-way when the signal aborts after a preview', async () => {
    const partial = await testPicture(8, 8);
    const event = streamEvents('image_generation', [partial], partial)[0];
    // A stream that sends one preview and then stalls, as a slow render would; like fetch, it
    // ends with an error when the request's signal aborts.
    const stalled: typeof fetch = async (_input, init) =>
      new Response(
        new ReadableStream({
          start: (controller) => {
            controller.enqueue(new TextEncoder().encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`));
            init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason), { once: true });
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const fake = await serve(() => ({ status: 500 }));
    const controller = new AbortController();
    const reason = new Error('job timed out');
    const running = adapter(fake, stalled).run(requestFor('gpt-image-1.5'), {
      signal: controller.signal,
      onProgress: (update) => {
        if (update.preview) controller.abort(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
  });
});

describe('OpenAI end to end', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let respond: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse> = () => ({ status: 500 });

  beforeAll(async () => {
    fake = await startFakeUpstream((request, index) => respond(request, index));
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${fake.url}/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await app.createKey(1000)).key;
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const JOB_DETAILS = `query Details($id: ID!) {
    job(id: $id) { provider providerAttempts { provider upstreamModel outcome statusCode } usage { reported inputTokens outputTokens cost } }
  }`;

  const submit = (input: Record<string, unknown>) => submitWithParams(app, key, input);

  it('runs a gpt-image-1.5 job on the fake OpenAI, with streamed previews and usage', async () => {
    const [partial, final] = await Promise.all([testPicture(16, 16, 'png', '#222222'), testPicture(64, 64)]);
    respond = () => ({ sse: streamEvents('image_generation', [partial], final) });
    const before = fake.requests.length;
    const id = await submit({ model: 'gpt-image-1.5', prompt: 'a lighthouse at dusk', params: { aspectRatio: '1:1', quality: 'low' } });

    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('openai');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 64, 'PNG']]);
    expect(updates.some((update) => update.jobUpdated.preview)).toBe(true);

    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect([sent[0].method, sent[0].path, sent[0].headers.authorization]).toEqual(['POST', '/v1/images/generations', 'Bearer sk-test']);
    expect(sent[0].json).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a lighthouse at dusk',
      n: 1,
      size: '1024x1024',
      quality: 'low',
      background: 'auto',
      stream: true,
      partial_images: 2,
    });
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.usage).toEqual({ reported: true, inputTokens: 50, outputTokens: 272, cost: 'unknown' });
  });

  it('retries after a 429 and succeeds on the second call', async () => {
    const picture = await testPicture(48, 32);
    const before = fake.requests.length;
    respond = (_request, index) => (index === before ? { status: 429, headers: { 'retry-after': '0' }, json: openaiErrors.rateLimited } : { json: imagesResponse([picture], { usage: false }) });
    const id = await submit({ model: 'dall-e-3', prompt: 'a paper boat' });

    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.images.map((image: any) => [image.width, image.height])).toEqual([[48, 32]]);
    expect(fake.requests.slice(before).map((request) => request.json)).toEqual(
      Array(2).fill({ model: 'dall-e-3', prompt: 'a paper boat', n: 1, size: '1024x1024', quality: 'standard', response_format: 'b64_json', style: 'vivid' }),
    );
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.providerAttempts).toEqual([
      { provider: 'openai', upstreamModel: 'dall-e-3', outcome: 'retryable', statusCode: 429 },
      { provider: 'openai', upstreamModel: 'dall-e-3', outcome: 'succeeded', statusCode: null },
    ]);
    expect(details.usage.reported).toBe(false);
  });
});

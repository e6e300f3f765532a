import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../../src/catalog/index.js';
import { ApiframeImageProvider } from '../../src/providers/apiframe/provider.js';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { submitWithParams } from './end-to-end.js';
import { apiframe } from './fixtures/apiframe/fake.js';
import { accepted, apiframeErrors, job } from './fixtures/apiframe/responses.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  cleanups.push(() => fake.close());
  return fake;
}

const settings = (fake: FakeUpstream) => ({ apiKey: 'afk_test', baseUrl: fake.url, fetch: globalThis.fetch, pollIntervalMs: 5 });

/** A request as the runner builds it: catalog defaults applied, the Apiframe route's model. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('apiframe', { prompt: 'a futuristic city skyline at sunset', seed: 11 }, modelId, params, extra);

async function fakeApiframe(options: Parameters<typeof apiframe>[1] = {}): Promise<FakeUpstream> {
  let base = '';
  const handler = apiframe(() => base, options);
  const fake = await serve((request) => handler(request));
  base = fake.url;
  return fake;
}

const run = (fake: FakeUpstream, request: GenerationRequest, provider = new ApiframeImageProvider(settings(fake))) => runAdapter(provider, request);

const failure = (fake: FakeUpstream, request: GenerationRequest = requestFor('midjourney'), provider = new ApiframeImageProvider(settings(fake))) => adapterFailure(provider, request);

const submits = (fake: FakeUpstream) => fake.requests.filter((request) => request.path === '/v2/images/generate');
const uploadsOf = (fake: FakeUpstream) => fake.requests.filter((request) => request.path === '/v2/uploads');
const IdempotencyKey = /^pictor-[0-9a-f]{64}$/;
const picture = (bytes: Buffer, format = 'png'): InputImage => ({ bytes, format, width: 32, height: 32 });

describe('Apiframe adapter: requests and outcomes', () => {
  it('runs Midjourney: the documented body and headers, job polling with progress, the first n of its four images', async () => {
    const fake = await fakeApiframe();
    const { result, progress } = await run(fake, requestFor('midjourney', { aspectRatio: '16:9' }, { n: 2 }));

    const [submit, ...polls] = fake.requests;
    expect([submit.method, submit.path, submit.headers['x-api-key'], submit.headers['content-type']]).toEqual(['POST', '/v2/images/generate', 'afk_test', 'application/json']);
    expect(submit.headers['idempotency-key']).toMatch(IdempotencyKey);
    expect(submit.json).toEqual({ prompt: 'a futuristic city skyline at sunset', model: 'midjourney', midjourneyParams: { aspect_ratio: '16:9' } });
    expect(polls.map((poll) => [poll.method, poll.path, poll.headers['x-api-key']])).toEqual(Array(3).fill(['GET', '/v2/jobs/job-1', 'afk_test']));
    expect(result.images).toEqual([{ url: `${fake.url}/cdn/job-1-1.png` }, { url: `${fake.url}/cdn/job-1-2.png` }]);
    expect(result.usage).toEqual({ raw: { apiframeCredits: 16 } });
    expect(result.warnings).toEqual([]);
    expect(progress).toEqual([
      { progress: 0, stage: 'submitting' },
      { progress: 0, stage: 'queued' },
      { progress: 0.65, stage: 'processing' },
      { progress: 1, stage: 'completed' },
    ]);
  });

  it('uploads references as multipart files and edits with Nano Banana Pro, saying the seed cannot be honoured', async () => {
    const [first, second] = await Promise.all([testPicture(32, 32, 'png'), testPicture(32, 32, 'jpeg')]);
    const fake = await fakeApiframe({ creditCost: null });
    const request = requestFor('nano-banana-pro', { prompt: 'put [image 1] in [image 2]', resolution: '2K' }, { references: [picture(first), picture(second, 'jpeg')], output: { format: 'png' } });
    const { result } = await run(fake, request);

    const uploads = uploadsOf(fake);
    expect(uploads.map((upload) => [upload.headers['x-api-key'], upload.headers['content-type']?.split(';')[0]])).toEqual(Array(2).fill(['afk_test', 'multipart/form-data']));
    const files = await Promise.all(
      uploads.map(async (upload) => (await new Response(new Uint8Array(upload.body), { headers: { 'content-type': upload.headers['content-type']! } }).formData()).get('file') as File),
    );
    expect(files.map((file) => [file.name, file.type])).toEqual([
      ['reference-1.png', 'image/png'],
      ['reference-2.jpeg', 'image/jpeg'],
    ]);
    expect(await Promise.all(files.map(async (file) => Buffer.from(await file.arrayBuffer())))).toEqual([first, second]);
    expect(submits(fake)[0].json).toEqual({
      prompt: 'put [image 1] in [image 2]',
      model: 'nano-banana-pro',
      nanoBananaParams: { aspect_ratio: '9:16', resolution: '2K', output_format: 'png', image_input: [`${fake.url}/cdn/uploads/1.png`, `${fake.url}/cdn/uploads/2.png`] },
    });
    expect(result.warnings).toEqual(["seed was not applied: Apiframe's nano-banana-pro takes no seed, so this result cannot be reproduced"]);
    expect(result.usage).toBeUndefined();
  });

  it('maps GPT Image 1.5: Wonda ratios to OpenAI sizes, quality, transparency as PNG, n as number_of_images', async () => {
    const fake = await fakeApiframe();
    const { result } = await run(fake, requestFor('gpt-image-1.5', { aspectRatio: '16:9', quality: 'high', background: 'transparent' }, { n: 3 }));
    expect(submits(fake).map((submit) => submit.json)).toEqual([
      {
        prompt: 'a futuristic city skyline at sunset',
        model: 'gpt-image-1.5',
        gptImageParams: { aspect_ratio: '3:2', quality: 'high', background: 'transparent', output_format: 'png', number_of_images: 3 },
      },
    ]);
    expect(result.images).toHaveLength(3);
  });

  it('splits n over several jobs where Apiframe caps the count, and warns about what Kling cannot take', async () => {
    const fake = await fakeApiframe();
    const { result } = await run(fake, requestFor('kling-image', { aspectRatio: '21:9', resolution: '2K', negativePrompt: 'blur' }, { n: 6 }));
    expect(submits(fake).map((submit) => submit.json.klingImageParams)).toEqual([
      { model_name: 'kling-v2', aspect_ratio: '16:9', negative_prompt: 'blur', n: 4 },
      { model_name: 'kling-v2', aspect_ratio: '16:9', negative_prompt: 'blur', n: 2 },
    ]);
    expect(result.images.map((image) => image.url)).toEqual([1, 2, 3, 4].map((index) => `${fake.url}/cdn/job-1-${index}.png`).concat([1, 2].map((index) => `${fake.url}/cdn/job-2-${index}.png`)));
    expect(result.usage).toEqual({ raw: { apiframeCredits: 32 } });
    expect(result.warnings).toEqual([
      `resolution "2K" was not applied: Apiframe's kling-image renders at Kling's standard resolution`,
      "aspectRatio 21:9 is not offered by Apiframe's kling-image; 16:9 was used",
    ]);
  });

  it('runs one job per image with consecutive seeds where the model has no count (Imagen, FLUX.2)', async () => {
    const fake = await fakeApiframe();
    const { result } = await run(fake, requestFor('imagen-4', { aspectRatio: '16:9', resolution: '2K', personGeneration: 'dont_allow' }, { n: 2 }));
    expect(submits(fake).map((submit) => submit.json.imagenParams)).toEqual(Array(2).fill({ aspect_ratio: '16:9', image_size: '2K' }));
    expect(result.warnings).toEqual([`personGeneration "dont_allow" was not applied: Apiframe's Imagen models apply Google's default person policy`]);

    await run(fake, requestFor('flux-2-pro', { width: 1024, height: 768, safetyTolerance: 4 }, { n: 2, seed: 2 ** 31 - 1 }));
    expect(
      submits(fake)
        .slice(2)
        .map((submit) => submit.json.fluxParams),
    ).toEqual([
      { aspect_ratio: '4:3', width: 1024, height: 768, resolution: '1MP', prompt_upsampling: true, seed: 2 ** 31 - 1 },
      { aspect_ratio: '4:3', width: 1024, height: 768, resolution: '1MP', prompt_upsampling: true, seed: 0 },
    ]);
  });

  it('follows the input image with Seedream 4 auto sizes, and uses the nearest Ideogram ratio with its style names', async () => {
    const reference = await testPicture(32, 32, 'png');
    const fake = await fakeApiframe();
    const { result } = await run(fake, requestFor('seedream-4', { imageSize: 'auto_2K', enhancePromptMode: 'fast' }, { references: [picture(reference)] }));
    expect(submits(fake)[0].json.seedreamParams).toEqual({ aspect_ratio: 'match_input_image', size: '2K', enhance_prompt: true, image_input: [`${fake.url}/cdn/uploads/1.png`], seed: 11 });
    expect(result.warnings).toEqual([`enhancePromptMode "fast" was not applied: Apiframe's seedream-4 only switches prompt enhancement on (standard mode)`]);

    const ideogram = await run(fake, requestFor('ideogram-v3-balanced', { aspectRatio: '4:5', style: 'REALISTIC', expandPrompt: false, negativePrompt: 'text' }));
    expect(submits(fake)[1].json).toEqual({
      prompt: 'a futuristic city skyline at sunset',
      model: 'ideogram-v3-balanced',
      ideogramParams: { aspect_ratio: '3:4', style_type: 'Realistic', magic_prompt_option: 'Off', negative_prompt: 'text', seed: 11 },
    });
    expect(ideogram.result.warnings).toEqual(["aspectRatio 4:5 is not offered by Apiframe's ideogram-v3-balanced; 3:4 was used"]);
  });

  it('maps DALL-E 3 sizes and styles, and Qwen Image edits with task_type image-edit', async () => {
    const reference = await testPicture(32, 32, 'png');
    const fake = await fakeApiframe();
    const dalle = await run(fake, requestFor('dall-e-3', { size: '1792x1024', style: 'natural', quality: 'hd' }));
    expect(submits(fake)[0].json.dalleParams).toEqual({ aspect_ratio: '3:2', style: 'natural' });
    expect(dalle.result.warnings).toEqual([`quality "hd" was not applied: Apiframe's dall-e-3 renders standard quality`]);

    await run(fake, requestFor('qwen-image', { imageSize: 'square_hd', acceleration: 'high' }, { n: 2, references: [picture(reference)] }));
    expect(submits(fake)[1].json.qwenImageParams).toEqual({
      image_size: 'square_hd',
      num_inference_steps: 30,
      guidance_scale: 2.5,
      acceleration: 'high',
      task_type: 'image-edit',
      image_url: `${fake.url}/cdn/uploads/1.png`,
      seed: 11,
      num_images: 2,
    });
  });

  it('sends every catalog model routed to Apiframe with its own params block', async () => {
    const reference = await testPicture(32, 32, 'png');
    const expectedBlocks: Record<string, string | undefined> = { 'dall-e-2': undefined };
    const routed = models.filter((model) => model.routes.some((route) => route.provider === 'apiframe'));
    expect(routed).toHaveLength(40);
    const fake = await fakeApiframe();
    for (const model of routed) {
      const references = model.capabilities.requiresInputImage ? [picture(reference)] : [];
      const { result } = await run(fake, requestFor(model.id, {}, { references }));
      const body = submits(fake).at(-1)!.json;
      const blocks = Object.keys(body).filter((key) => key.endsWith('Params'));
      expect([model.id, body.model, blocks.length]).toEqual([model.id, model.routes.find((route) => route.provider === 'apiframe')!.upstreamModel, model.id in expectedBlocks ? 0 : 1]);
      expect(result.warnings?.filter((warning) => warning.includes('no parameter mapping'))).toEqual([]);
      expect(result.images.length).toBeGreaterThan(0);
    }
  });

  it('reuses the idempotency key when the same call is retried, and moves on after a failed job', async () => {
    let failNext = true;
    let base = '';
    const handler = apiframe(() => base, {
      final: (id) =>
        failNext
          ? job(id, { status: 'FAILED', error: 'Provider returned an error: upstream timeout', creditCost: 0 })
          : job(id, { status: 'COMPLETED', result: { images: [`${base}/cdn/${id}.png`] } }),
    });
    const fake = await serve((request) => handler(request));
    base = fake.url;
    const provider = new ApiframeImageProvider(settings(fake));
    const request = requestFor('reve-create', { aspectRatio: '16:9' });

    const failed = await failure(fake, request, provider);
    expect([failed.kind, failed.message]).toEqual(['retryable', 'apiframe: Provider returned an error: upstream timeout']);
    failNext = false;
    await run(fake, request, provider);
    await run(fake, request, provider);
    await run(fake, { ...request, seed: 12 }, provider);
    const keys = submits(fake).map((submit) => submit.headers['idempotency-key']);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe(keys[1]);
    expect(keys[3]).not.toBe(keys[2]);
  });
});

describe('Apiframe adapter: failures', () => {
  it('classifies a 400 validation error as an invalid request, with the status and body', async () => {
    const fake = await serve(() => ({ status: 400, json: apiframeErrors.validation }));
    const invalid = await failure(fake);
    expect([invalid.kind, invalid.retryable, invalid.details.statusCode, invalid.message]).toEqual(['invalid_request', false, 400, 'apiframe: Validation error']);
    expect(JSON.parse(invalid.details.responseBody!)).toEqual(apiframeErrors.validation);
  });

  it('classifies 401, 403 and 402 insufficient credits as authentication, so the router tries another route', async () => {
    const fake = await serve(
      (_request, index) =>
        [
          { status: 401, json: apiframeErrors.unauthorized },
          { status: 403, json: apiframeErrors.inactive },
          { status: 402, json: apiframeErrors.insufficientCredits },
        ][index],
    );
    expect([(await failure(fake)).kind, (await failure(fake)).kind]).toEqual(['authentication', 'authentication']);
    const broke = await failure(fake);
    expect([broke.kind, broke.retryable, broke.details.statusCode, broke.message]).toEqual([
      'authentication',
      false,
      402,
      'apiframe: the Apiframe account has insufficient credits (needs 16 credits, has 3)',
    ]);
  });

  it('classifies 429 as retryable with Retry-After, and 503 as retryable', async () => {
    const fake = await serve((_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '4' }, json: apiframeErrors.rateLimited } : { status: 503, json: apiframeErrors.unavailable },
    );
    const limited = await failure(fake);
    expect([limited.kind, limited.retryable, limited.details.statusCode, limited.details.retryAfterMs]).toEqual(['retryable', true, 429, 4000]);
    const down = await failure(fake);
    expect([down.kind, down.details.statusCode, down.message]).toEqual(['retryable', 503, 'apiframe: Service unavailable']);
  });

  it('treats malformed answers as retryable: a 202 without jobId, a completed job without images', async () => {
    const fake = await serve((request, index) =>
      index === 0
        ? { status: 202, json: { status: 'QUEUED' } }
        : request.method === 'POST'
          ? { status: 202, json: accepted('empty') }
          : { json: job('empty', { status: 'COMPLETED', result: { images: [] } }) },
    );
    const noJob = await failure(fake);
    expect([noJob.kind, noJob.details.statusCode, noJob.details.responseBody]).toEqual(['retryable', 202, '{"status":"QUEUED"}']);
    const noImages = await failure(fake);
    expect([noImages.kind, noImages.message]).toEqual(['retryable', 'apiframe returned an unexpected response: job empty completed without images']);
  });

  it('turns refused jobs into content_policy, and failed or cancelled jobs into retryable failures', async () => {
    const endings = [
      job('x', { status: 'FAILED', error: 'Provider returned an error: content policy violation', creditCost: 0 }),
      job('x', { status: 'FAILED', error: 'Image denied: banned prompt detected', creditCost: 0 }),
      job('x', { status: 'FAILED', error: 'Provider returned an error: internal error', creditCost: 0 }),
      job('x', { status: 'CANCELLED', creditCost: 0 }),
    ];
    let ended = 0;
    const fake = await serve((request) => (request.method === 'POST' ? { status: 202, json: accepted('x') } : { json: endings[ended++] }));
    const refused = await failure(fake);
    expect([refused.kind, refused.code, refused.details.statusCode, refused.message]).toEqual([
      'content_policy',
      'CONTENT_POLICY',
      200,
      'apiframe: Provider returned an error: content policy violation',
    ]);
    expect((await failure(fake)).kind).toBe('content_policy');
    expect((await failure(fake)).kind).toBe('retryable');
    expect((await failure(fake)).message).toBe('apiframe: job cancelled');
  });

  it('refuses, before any call, references a model cannot take and a missing required one', async () => {
    const reference = await testPicture(32, 32, 'png');
    const fake = await serve(() => ({ status: 500 }));
    const dalle = await failure(fake, requestFor('dall-e-2', {}, { references: [picture(reference)] }));
    expect([dalle.kind, dalle.message]).toEqual(['invalid_request', "apiframe: Apiframe's dall-e-2 takes no reference images"]);
    const character = await failure(fake, requestFor('ideogram-character'));
    expect([character.kind, character.message]).toEqual(['invalid_request', "apiframe: Apiframe's ideogram-character needs a reference image"]);
    expect(fake.requests).toHaveLength(0);
  });

  it('classifies a refused upload as an invalid request', async () => {
    const reference = await testPicture(32, 32, 'png');
    const fake = await serve(() => ({ status: 400, json: apiframeErrors.unsupportedFile }));
    const refused = await failure(fake, requestFor('grok-imagine', {}, { references: [picture(reference)] }));
    expect([refused.kind, refused.details.statusCode, refused.message, fake.requests[0].path]).toEqual(['invalid_request', 400, 'apiframe: Unsupported file type', '/v2/uploads']);
  });

  it('stops polling a slow queue as soon as the signal aborts', async () => {
    let pollArrived!: () => void;
    const firstPoll = new Promise<void>((resolve) => (pollArrived = resolve));
    const fake = await serve((request) => {
      if (request.method === 'POST') return { status: 202, json: accepted('slow') };
      pollArrived();
      return { json: job('slow', { status: 'QUEUED' }) };
    });
    const controller = new AbortController();
    const running = new ApiframeImageProvider(settings(fake)).run(requestFor('midjourney'), { signal: controller.signal, onProgress: () => undefined });
    await firstPoll;
    const reason = new Error('canceled by the client');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    const seen = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests.length).toBe(seen);
  });
});

describe('Apiframe end to end', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let output: Buffer;
  let respond: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse> = () => ({ status: 500 });

  beforeAll(async () => {
    output = await testPicture(64, 48, 'png');
    fake = await startFakeUpstream((request, index) => (request.path.startsWith('/cdn/') ? { body: output, headers: { 'content-type': 'image/png' } } : respond(request, index)));
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', APIFRAME_API_KEY: 'afk_test', APIFRAME_BASE_URL: fake.url, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await app.createKey(1000)).key;
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const JOB_DETAILS = `query Details($id: ID!) {
    job(id: $id) { provider providerAttempts { provider upstreamModel outcome statusCode } usage { reported costUsd } }
  }`;

  const submit = (input: Record<string, unknown>) => submitWithParams(app, key, input);

  it('runs a Midjourney job on the fake Apiframe and stores the image it asked for', async () => {
    respond = apiframe(() => fake.url);
    const before = fake.requests.length;
    const id = await submit({ model: 'midjourney', prompt: 'a lighthouse at dusk', params: { aspectRatio: '4:3' } });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('apiframe');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'PNG']]);

    const sent = fake.requests.slice(before);
    expect(sent.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/v2/images/generate'],
      ['GET', '/v2/jobs/job-1'],
      ['GET', '/v2/jobs/job-1'],
      ['GET', '/v2/jobs/job-1'],
      ['GET', '/cdn/job-1-1.png'],
    ]);
    expect(sent[0].json).toEqual({ prompt: 'a lighthouse at dusk', model: 'midjourney', midjourneyParams: { aspect_ratio: '4:3' } });
    expect(sent[0].headers['x-api-key']).toBe('afk_test');
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.usage).toMatchObject({ reported: true, costUsd: null });
  });

  it('retries after a 429 and succeeds on the second submit', async () => {
    const before = fake.requests.length;
    const flow = apiframe(() => fake.url);
    respond = (request, index) => (index === before ? { status: 429, headers: { 'retry-after': '0' }, json: apiframeErrors.rateLimited } : flow(request));
    const id = await submit({ model: 'reve-create', prompt: 'a glass greenhouse' });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    expect(updates.at(-1).jobUpdated.job.status).toBe('SUCCEEDED');
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.providerAttempts).toEqual([
      { provider: 'apiframe', upstreamModel: 'reve-create', outcome: 'retryable', statusCode: 429 },
      { provider: 'apiframe', upstreamModel: 'reve-create', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FalImageProvider } from '../../src/providers/fal/provider.js';
import type { ProgressUpdate } from '../../src/providers/spec.js';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { falErrors, falQueue, imagesOutput, isCancel, isResult, isStatus, isSubmit, statusCompleted, statusInProgress, statusInQueue, type FalScript } from './fixtures/fal/queue.js';

let picture: Buffer;
let reference: InputImage;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  picture = await testPicture(64, 48, 'png');
  const bytes = await testPicture(32, 32, 'jpeg');
  reference = { bytes, format: 'jpeg', width: 32, height: 32 };
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A fake fal playing `script`, and the adapter pointed at it (`FAL_BASE_URL=<fake>/fal`). */
async function falAt(script: FalScript): Promise<{ fake: FakeUpstream; adapter: FalImageProvider }> {
  let baseUrl = '';
  const fake = await startFakeUpstream(falQueue({ files: { 'out-1.png': picture, 'out-2.png': picture }, ...script }, () => baseUrl));
  baseUrl = fake.url;
  cleanups.push(() => fake.close());
  return { fake, adapter: new FalImageProvider({ apiKey: 'fal-key', baseUrl: `${fake.url}/fal`, fetch: globalThis.fetch, pollIntervalMs: 5 }) };
}

const oneImage: FalScript['output'] = (_index, base) => imagesOutput([`${base}/files/out-1.png`]);

/** A request as the runner builds it: catalog defaults applied, the fal route's endpoints. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('fal', { prompt: 'a lighthouse at dusk', seed: 42 }, modelId, params, extra);

const run = (adapter: FalImageProvider, request: GenerationRequest, signal = new AbortController().signal) => runAdapter(adapter, request, signal);

const failure = (adapter: FalImageProvider, request: GenerationRequest) => adapterFailure(adapter, request);

describe('fal adapter: the queue protocol', () => {
  it('submits nano-banana-pro text-to-image, reports queue position, logs and step progress, and returns the image URLs', async () => {
    const { fake, adapter } = await falAt({
      statuses: [statusInQueue(2), statusInProgress(['Loading model']), statusInProgress(['Loading model', ' 45%|####5     | 9/20 [00:02<00:02]']), statusCompleted(3.25)],
      output: oneImage,
    });
    const { result, progress } = await run(adapter, requestFor('nano-banana-pro', { aspectRatio: '16:9', resolution: '2K' }, { output: { format: 'webp' } }));

    const submit = fake.requests.find(isSubmit)!;
    expect(submit.path).toBe('/fal/fal-ai/gemini-3-pro-image-preview');
    expect(submit.headers.authorization).toBe('Key fal-key');
    expect(submit.json).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', resolution: '2K', num_images: 1, seed: 42, output_format: 'webp' });
    const status = fake.requests.find(isStatus)!;
    expect(status.path).toBe('/fal/fal-ai/gemini-3-pro-image-preview/requests/req-1/status');
    expect(status.query.get('logs')).toBe('1');
    expect(fake.requests.find(isResult)!.path).toBe('/fal/fal-ai/gemini-3-pro-image-preview/requests/req-1');

    expect(result.images).toEqual([{ url: `${fake.url}/files/out-1.png` }]);
    expect(result.warnings).toEqual([]);
    expect(result.usage).toEqual({ raw: { inference_time: 3.25 } });
    expect(progress.find((update) => update.queuePosition === 2)).toMatchObject({ stage: 'queued' });
    // Logs are reported once each, as they arrive.
    expect(progress.flatMap((update) => update.logs ?? [])).toEqual(['Loading model', ' 45%|####5     | 9/20 [00:02<00:02]']);
    expect(progress.find((update) => update.logs?.[0]?.includes('45%'))?.progress).toBeCloseTo(0.45);
    const values = progress.map((update) => update.progress);
    expect(values).toEqual([...values].sort((left, right) => left - right));
  });

  it('polls status and result at the app id without the endpoint sub-path, and has no usage when fal reports no metrics', async () => {
    const { fake, adapter } = await falAt({ statuses: [{ status: 'COMPLETED' }], output: oneImage });
    const { result } = await run(adapter, requestFor('flux-1.1-pro-ultra', { aspectRatio: '21:9', raw: true, safetyTolerance: 0 }));

    expect(fake.requests.find(isSubmit)!.path).toBe('/fal/fal-ai/flux-pro/v1.1-ultra');
    expect(fake.requests.find(isSubmit)!.json).toEqual({
      prompt: 'a lighthouse at dusk',
      aspect_ratio: '21:9',
      raw: true,
      enhance_prompt: false,
      safety_tolerance: '1',
      num_images: 1,
      seed: 42,
    });
    expect(fake.requests.find(isStatus)!.path).toBe('/fal/fal-ai/flux-pro/requests/req-1/status');
    expect(result.usage).toBeUndefined();
    expect(result.warnings).toEqual(["safetyTolerance 0 is outside fal's range 1-6 for flux-1.1-pro-ultra; 1 was used"]);
  });

  it('sends reference images as data URIs to the edit endpoint', async () => {
    const { fake, adapter } = await falAt({ output: oneImage });
    await run(adapter, requestFor('nano-banana-2', { aspectRatio: 'auto' }, { references: [reference, reference] }));

    const submit = fake.requests.find(isSubmit)!;
    expect(submit.path).toBe('/fal/fal-ai/gemini-3.1-flash-image-preview/edit');
    const dataUrl = `data:image/jpeg;base64,${Buffer.from(reference.bytes).toString('base64')}`;
    expect(submit.json).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: 'auto', resolution: '1K', image_urls: [dataUrl, dataUrl], num_images: 1, seed: 42 });
    expect(fake.requests.find(isStatus)!.path).toBe('/fal/fal-ai/gemini-3.1-flash-image-preview/requests/req-1/status');
  });

  it('cancels a slow queue through the AbortSignal: polling stops, the request is cancelled at fal, the run rejects with the reason', async () => {
    const { fake, adapter } = await falAt({ statuses: [statusInQueue(40)], output: oneImage });
    const controller = new AbortController();
    const progress: ProgressUpdate[] = [];
    const running = adapter.run(requestFor('z-image'), { signal: controller.signal, onProgress: (update) => progress.push(update) });
    await expect.poll(() => progress.some((update) => update.queuePosition === 40)).toBe(true);
    const reason = new Error('job canceled');
    controller.abort(reason);

    await expect(running).rejects.toBe(reason);
    await expect.poll(() => fake.requests.find(isCancel)?.path).toBe('/fal/fal-ai/z-image/requests/req-1/cancel');
    const polls = fake.requests.filter(isStatus).length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.requests.filter(isStatus)).toHaveLength(polls);
  });
});

describe('fal adapter: per-model input mapping', () => {
  it('maps FLUX.2 [dev] pixel sizes to an image_size object, steps and guidance to fal names, n to num_images', async () => {
    const { fake, adapter } = await falAt({ output: (_index, base) => imagesOutput([`${base}/files/out-1.png`, `${base}/files/out-2.png`, `${base}/files/out-1.png`]) });
    const { result } = await run(adapter, requestFor('flux-2-dev', { width: 1536, height: 1024, steps: 20, guidance: 4 }, { n: 3, seed: 7, output: { format: 'jpeg' } }));

    expect(fake.requests.find(isSubmit)!.json).toEqual({
      enable_safety_checker: true,
      prompt: 'a lighthouse at dusk',
      image_size: { width: 1536, height: 1024 },
      num_inference_steps: 20,
      guidance_scale: 4,
      output_format: 'jpeg',
      num_images: 3,
      seed: 7,
    });
    expect(result.images).toHaveLength(3);
  });

  it('spells GPT Image 1.5 shapes as pixel sizes and auto quality as medium (fal has no auto); it takes no seed', async () => {
    const { fake, adapter } = await falAt({ output: (_index, base) => imagesOutput([`${base}/files/out-1.png`, `${base}/files/out-2.png`]) });
    await run(adapter, requestFor('gpt-image-1.5', { aspectRatio: '16:9', quality: 'auto', background: 'transparent' }, { n: 2, output: { format: 'png' } }));
    expect(fake.requests.find(isSubmit)!.json).toEqual({ prompt: 'a lighthouse at dusk', image_size: '1536x1024', quality: 'medium', background: 'transparent', output_format: 'png', num_images: 2 });
  });

  it('runs the Ideogram V3 speeds on one endpoint with rendering_speed, shapes as fal presets or pixel sizes', async () => {
    const { fake, adapter } = await falAt({ output: oneImage });
    await run(adapter, requestFor('ideogram-v3-quality', { aspectRatio: '16:9', style: 'DESIGN', negativePrompt: 'blur' }));
    await run(adapter, requestFor('ideogram-v3-turbo', { aspectRatio: '4:5', expandPrompt: false }));

    const [quality, turbo] = fake.requests.filter(isSubmit);
    expect(quality.path).toBe('/fal/fal-ai/ideogram/v3');
    expect(quality.json).toEqual({
      rendering_speed: 'QUALITY',
      prompt: 'a lighthouse at dusk',
      image_size: 'landscape_16_9',
      style: 'DESIGN',
      expand_prompt: true,
      negative_prompt: 'blur',
      num_images: 1,
      seed: 42,
    });
    expect(turbo.json).toMatchObject({ rendering_speed: 'TURBO', image_size: { width: 912, height: 1152 }, expand_prompt: false });
  });

  it("sends Wan 2.7 edits to fal's wan/v2.7/edit with num_images, and text-to-image with max_images and a pixel size", async () => {
    const { fake, adapter } = await falAt({ output: oneImage });
    await run(adapter, requestFor('wan-image-2.7', { aspectRatio: '16:9', resolution: '2K' }));
    await run(adapter, requestFor('wan-image-2.7', {}, { references: [reference] }));

    const [generate, edit] = fake.requests.filter(isSubmit);
    expect(generate.path).toBe('/fal/wan/v2.7/text-to-image');
    expect(generate.json).toEqual({ enable_safety_checker: true, prompt: 'a lighthouse at dusk', image_size: { width: 2048, height: 1152 }, max_images: 1, seed: 42 });
    expect(edit.path).toBe('/fal/wan/v2.7/edit');
    expect(edit.json).toMatchObject({ image_urls: [expect.stringMatching(/^data:image\/jpeg;base64,/)], num_images: 1 });
    expect(fake.requests.filter(isStatus).at(-1)!.path).toBe('/fal/wan/v2.7/requests/req-2/status');
  });

  it("removes backgrounds with BiRefNet: one image_url, Wonda options in fal's spelling, the single `image` output", async () => {
    const { fake, adapter } = await falAt({ output: (_index, base) => ({ image: { url: `${base}/files/out-1.png`, width: 32, height: 32, content_type: 'image/png' } }) });
    const { result } = await run(adapter, requestFor('birefnet-bg-removal', { bgRemovalModel: 'general-premium', quality: 'high' }, { references: [reference], output: { format: 'webp' } }));

    expect(fake.requests.find(isSubmit)!.path).toBe('/fal/fal-ai/birefnet/v2');
    expect(fake.requests.find(isSubmit)!.json).toEqual({
      model: 'General Use (Heavy)',
      operating_resolution: '2048x2048',
      image_url: `data:image/jpeg;base64,${Buffer.from(reference.bytes).toString('base64')}`,
      output_format: 'webp',
    });
    expect(result.images).toEqual([{ url: `${fake.url}/files/out-1.png` }]);
  });

  it('warns about settings fal cannot honour instead of dropping them silently', async () => {
    const { fake, adapter } = await falAt({ output: oneImage });
    const kontext = await run(adapter, requestFor('flux-kontext-pro', { aspectRatio: '3:2' }, { references: [reference, reference] }));
    const dev = await run(adapter, requestFor('flux-1-dev', { promptUpsampling: true }));
    const pro = await run(adapter, requestFor('flux-1.1-pro', {}, { references: [reference] }));

    const [kontextSubmit, devSubmit] = fake.requests.filter(isSubmit);
    expect(kontextSubmit.path).toBe('/fal/fal-ai/flux-pro/kontext');
    expect(kontextSubmit.json.image_url).toMatch(/^data:image\/jpeg;base64,/);
    expect(kontext.result.warnings).toEqual(['flux-kontext-pro on fal takes at most 1 reference image; only the first 1 were used']);
    expect(devSubmit.json).not.toHaveProperty('prompt_upsampling');
    expect(dev.result.warnings).toEqual(['flux-1-dev on fal has no promptUpsampling setting; true was not applied']);
    expect(pro.result.warnings).toEqual(['flux-1.1-pro on fal takes no reference images; 1 were not used']);
  });
});

describe('fal adapter: failures', () => {
  const submitFails = (status: number, json: unknown, headers: Record<string, string> = {}): FalScript => ({ submit: () => ({ status, json, headers }), output: oneImage });

  it('classifies 422, 401, 429 with Retry-After and 5xx with the status and body', async () => {
    const invalid = await failure((await falAt(submitFails(422, falErrors.validation))).adapter, requestFor('z-image'));
    expect(invalid).toMatchObject({ kind: 'invalid_request', retryable: false, details: { statusCode: 422 } });
    expect(invalid.details.responseBody).toContain('literal_error');

    const unauthorized = await failure((await falAt(submitFails(401, falErrors.unauthorized))).adapter, requestFor('z-image'));
    expect(unauthorized).toMatchObject({ kind: 'authentication', details: { statusCode: 401 } });

    const limited = await failure((await falAt(submitFails(429, falErrors.rateLimited, { 'retry-after': '3' }))).adapter, requestFor('z-image'));
    expect(limited).toMatchObject({ kind: 'retryable', retryable: true, details: { statusCode: 429, retryAfterMs: 3000 } });

    const down = await failure((await falAt(submitFails(503, falErrors.server))).adapter, requestFor('z-image'));
    expect(down).toMatchObject({ kind: 'retryable', details: { statusCode: 503 } });
  });

  it('treats a malformed 200 (no request_id, or an output without images) as a retryable upstream fault', async () => {
    const noId = await failure((await falAt({ submit: () => ({ json: { status: 'IN_QUEUE' } }), output: oneImage })).adapter, requestFor('z-image'));
    expect(noId).toMatchObject({ kind: 'retryable', details: { statusCode: 200 } });
    expect(noId.message).toContain('request_id');

    const noImages = await failure((await falAt({ output: () => ({ seed: 1, timings: {} }) })).adapter, requestFor('z-image'));
    expect(noImages).toMatchObject({ kind: 'retryable' });
    expect(noImages.message).toContain('unexpected output');
  });

  it("turns fal content-policy refusals into content_policy: a failed request's 422 and images flagged NSFW", async () => {
    const refused = await failure(
      (await falAt({ statuses: [{ status: 'COMPLETED', error: 'content_policy_violation' }], result: () => ({ status: 422, json: falErrors.contentPolicy }), output: oneImage })).adapter,
      requestFor('flux-2-pro'),
    );
    expect(refused).toMatchObject({ kind: 'content_policy', retryable: false, details: { statusCode: 422 } });

    const flagged = await failure((await falAt({ output: (_index, base) => imagesOutput([`${base}/files/out-1.png`], { nsfw: [true] }) })).adapter, requestFor('flux-1-dev'));
    expect(flagged).toMatchObject({ kind: 'content_policy' });
    expect(flagged.message).toContain('NSFW');
  });

  it('keeps the clean images of a partly flagged batch and says how many were withheld', async () => {
    const { adapter, fake } = await falAt({ output: (_index, base) => imagesOutput([`${base}/files/out-1.png`, `${base}/files/out-2.png`], { nsfw: [false, true] }) });
    const { result } = await run(adapter, requestFor('z-image', {}, { n: 2 }));
    expect(result.images).toEqual([{ url: `${fake.url}/files/out-1.png` }]);
    expect(result.warnings).toEqual(["fal's safety checker withheld 1 of 2 images"]);
  });
});

describe('fal end to end: a job through the whole app', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  /** Lets each test script the fake; the default plays a successful queue run. */
  let respond: (request: RecordedRequest) => FakeResponse;
  let queue: (request: RecordedRequest) => FakeResponse;

  beforeAll(async () => {
    fake = await startFakeUpstream((request) => respond(request));
    queue = falQueue({ files: { 'out-1.png': picture }, output: oneImage }, () => fake.url);
    respond = queue;
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', FAL_API_KEY: 'fal-key', FAL_BASE_URL: `${fake.url}/fal`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
    key = (await app.createKey(1000)).key;
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const SUBMIT = `mutation Submit($input: GenerateImageWithParamsInput!) {
    generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { code message } }
  }`;
  const DETAILS = `query Details($id: ID!) {
    job(id: $id) { provider providerAttempts { provider upstreamModel outcome statusCode } usage { reported cost raw } }
  }`;

  async function runJob(input: Record<string, unknown>) {
    const { body } = await app.graphql(SUBMIT, { input }, key);
    const submitted = body.data?.generateImageWithParams;
    if (submitted?.__typename !== 'GenerateImageSuccess') throw new Error(`submit failed: ${JSON.stringify(body)}`);
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id: submitted.job.id });
    const details = (await app.graphql(DETAILS, { id: submitted.job.id }, key)).body.data.job;
    return { job: updates.at(-1).jobUpdated.job, details };
  }

  it('runs a z-image job on the fake fal and stores the downloaded image', async () => {
    respond = queue;
    const before = fake.requests.length;
    const { job, details } = await runJob({ model: 'z-image', prompt: 'a paper boat', params: { aspectRatio: '1:1' }, seed: 1234, output: { format: 'WEBP' } });

    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('fal');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'WEBP']]);
    const sent = fake.requests.slice(before);
    const submit = sent.find(isSubmit)!;
    expect([submit.path, submit.headers.authorization]).toEqual(['/fal/fal-ai/z-image/turbo', 'Key fal-key']);
    expect(submit.json).toEqual({ enable_safety_checker: true, prompt: 'a paper boat', image_size: 'square_hd', num_images: 1, seed: 1234, output_format: 'webp' });
    expect(sent.some((request) => request.path === '/files/out-1.png')).toBe(true);
    // fal's compute time is kept as reported (the job store normalizes key case); no price, so "unknown".
    expect(details.usage).toMatchObject({ reported: true, cost: 'unknown' });
    expect(Object.values(details.usage.raw[0])).toEqual([2.5]);
  });

  it('retries after a 429 on submit and succeeds on the second attempt', async () => {
    const before = fake.requests.length;
    let limited = false;
    respond = (request) => {
      if (isSubmit(request) && !limited) {
        limited = true;
        return { status: 429, headers: { 'retry-after': '0' }, json: falErrors.rateLimited };
      }
      return queue(request);
    };
    const { job, details } = await runJob({ model: 'z-image', prompt: 'a paper boat', params: { aspectRatio: '16:9' }, seed: 5 });

    expect(job.status).toBe('SUCCEEDED');
    expect(job.images).toHaveLength(1);
    const submits = fake.requests.slice(before).filter(isSubmit);
    expect(submits.map((request) => request.json)).toEqual(Array(2).fill({ enable_safety_checker: true, prompt: 'a paper boat', image_size: 'landscape_16_9', num_images: 1, seed: 5 }));
    expect(details.providerAttempts).toEqual([
      { provider: 'fal', upstreamModel: 'fal-ai/z-image/turbo', outcome: 'retryable', statusCode: 429 },
      { provider: 'fal', upstreamModel: 'fal-ai/z-image/turbo', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

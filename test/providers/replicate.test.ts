import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReplicateImageProvider } from '../../src/providers/replicate/provider.js';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { isCancel, isCreate, isPoll, isUpload, replicateApi, replicateErrors, type PredictionState, type ReplicateScript } from './fixtures/replicate/predictions.js';

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

/** A fake Replicate playing `script`, and the adapter pointed at it (`REPLICATE_BASE_URL=<fake>/v1`). */
async function replicateAt(script: Partial<ReplicateScript>): Promise<{ fake: FakeUpstream; adapter: ReplicateImageProvider }> {
  let baseUrl = '';
  const fake = await startFakeUpstream(replicateApi({ files: { 'out-1.png': picture }, states: succeeds(), ...script }, () => baseUrl));
  baseUrl = fake.url;
  cleanups.push(() => fake.close());
  return { fake, adapter: new ReplicateImageProvider({ apiKey: 'r8-key', baseUrl: `${fake.url}/v1`, fetch: globalThis.fetch, pollIntervalMs: 5 }) };
}

/** starting -> processing -> succeeded with `output(base)`. */
function succeeds(output: (base: string) => unknown = (base) => `${base}/files/out-1.png`): ReplicateScript['states'] {
  return (_index, base) => [
    { status: 'processing', logs: 'Using seed: 42\n' },
    { status: 'succeeded', logs: 'Using seed: 42\nGenerated image in 4.1s\n', output: output(base) },
  ];
}

/** A request as the runner builds it: catalog defaults applied, the Replicate route's model. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('replicate', { prompt: 'a lighthouse at dusk', seed: 42 }, modelId, params, extra);

const run = (adapter: ReplicateImageProvider, request: GenerationRequest) => runAdapter(adapter, request);

const failure = (adapter: ReplicateImageProvider, request: GenerationRequest) => adapterFailure(adapter, request);

const dataUrlOf = (image: InputImage) => `data:image/${image.format};base64,${Buffer.from(image.bytes).toString('base64')}`;

describe('replicate adapter: the predictions protocol', () => {
  it('creates a FLUX.2 [pro] prediction with a custom size, follows its logs to the output URL and reports predict_time', async () => {
    const states: PredictionState[] = [
      { status: 'starting' },
      { status: 'processing', logs: 'Using seed: 42\n' },
      { status: 'processing', logs: 'Using seed: 42\n 45%|####5     | 9/20 [00:02<00:02,  4.01it/s]\n' },
    ];
    const { fake, adapter } = await replicateAt({ states: (_index, base) => [...states, { status: 'succeeded', logs: states[2].logs, output: `${base}/files/out-1.png` }] });
    const { result, progress } = await run(adapter, requestFor('flux-2-pro', { width: 1536, height: 1024, safetyTolerance: 0 }, { output: { format: 'webp' } }));

    const create = fake.requests.find(isCreate)!;
    expect([create.path, create.headers.authorization]).toEqual(['/v1/models/black-forest-labs/flux-2-pro/predictions', 'Bearer r8-key']);
    expect(create.json).toEqual({ input: { prompt: 'a lighthouse at dusk', aspect_ratio: 'custom', width: 1536, height: 1024, safety_tolerance: 1, seed: 42, output_format: 'webp' } });
    expect(fake.requests.find(isPoll)!.path).toBe('/v1/predictions/pred-1');

    expect(result.images).toEqual([{ url: `${fake.url}/files/out-1.png` }]);
    expect(result.usage).toEqual({ raw: { predict_time: 4.2, total_time: 5.1 } });
    expect(result.warnings).toEqual(["safetyTolerance 0 is outside Replicate's range 1-5 for flux-2-pro; 1 was used"]);
    expect(progress[0]).toMatchObject({ progress: 0, stage: 'starting' });
    expect(progress.flatMap((update) => update.logs ?? [])).toEqual(['Using seed: 42', ' 45%|####5     | 9/20 [00:02<00:02,  4.01it/s]']);
    expect(progress.find((update) => update.logs?.[0]?.includes('45%'))).toMatchObject({ stage: 'rendering', progress: 0.45 });
  });

  it('sends small reference images as data URIs and uploads large ones through the files API', async () => {
    const { fake, adapter } = await replicateAt({});
    const large: InputImage = { bytes: Buffer.alloc(1_100_000, 7), format: 'png', width: 2000, height: 2000 };
    await run(adapter, requestFor('nano-banana-pro', { aspectRatio: 'auto', resolution: '4K' }, { references: [reference, large], output: { format: 'jpeg' } }));

    const upload = fake.requests.find(isUpload)!;
    expect(upload.path).toBe('/v1/files');
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body.includes(Buffer.from('name="content"; filename="reference.png"'))).toBe(true);
    expect(fake.requests.find(isCreate)!.json).toEqual({
      input: {
        prompt: 'a lighthouse at dusk',
        aspect_ratio: 'match_input_image',
        resolution: '4K',
        image_input: [dataUrlOf(reference), 'https://api.replicate.com/v1/files/file-1/download?expiry=1&signature=abc'],
        output_format: 'jpg',
      },
    });
  });

  it('runs n images as parallel predictions when the model has no count field, each with its own seed', async () => {
    const { fake, adapter } = await replicateAt({});
    const { result, progress } = await run(adapter, requestFor('ideogram-v3-turbo', { aspectRatio: '2:1', style: 'REALISTIC', expandPrompt: false, negativePrompt: 'blur' }, { n: 3 }));

    const creates = fake.requests.filter(isCreate);
    expect(creates.map((request) => request.path)).toEqual(Array(3).fill('/v1/models/ideogram-ai/ideogram-v3-turbo/predictions'));
    expect(creates.map((request) => request.json.input.seed).sort()).toEqual([42, 43, 44]);
    expect(creates[0].json.input).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: '2:1', style_type: 'Realistic', magic_prompt_option: 'Off', seed: expect.any(Number) });
    expect(result.images).toHaveLength(3);
    expect(result.usage).toEqual({ raw: { predict_time: expect.closeTo(12.6), total_time: expect.closeTo(15.3) } });
    expect(result.warnings).toEqual(['ideogram-v3-turbo on Replicate has no negativePrompt setting; "blur" was not applied']);
    expect(progress.at(-1)!.progress).toBe(1);
  });

  it('maps GPT Image 1.5 to number_of_images, ratio names, output format and compression in one prediction', async () => {
    const { fake, adapter } = await replicateAt({ states: succeeds((base) => [`${base}/files/out-1.png`, `${base}/files/out-1.png`]) });
    const { result } = await run(adapter, requestFor('gpt-image-1.5', { aspectRatio: '9:16', quality: 'high' }, { n: 2, output: { format: 'webp', compression: 80 } }));

    expect(fake.requests.filter(isCreate)).toHaveLength(1);
    expect(fake.requests.find(isCreate)!.json.input).toEqual({
      prompt: 'a lighthouse at dusk',
      aspect_ratio: '2:3',
      quality: 'high',
      background: 'auto',
      output_format: 'webp',
      output_compression: 80,
      number_of_images: 2,
    });
    expect(result.images).toHaveLength(2);
  });

  it('turns FLUX.1 [dev] pixel sizes into its nearest aspect ratio, with a warning when the shape changes', async () => {
    const { fake, adapter } = await replicateAt({});
    const { result } = await run(adapter, requestFor('flux-1-dev', { width: 1344, height: 768, steps: 30, guidance: 3.5 }));
    expect(fake.requests.find(isCreate)!.json.input).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', num_inference_steps: 30, guidance: 3.5, num_outputs: 1, seed: 42 });
    expect(result.warnings).toEqual(['flux-1-dev on Replicate takes an aspect ratio, not a pixel size: 1344x768 ran as 16:9 at about one megapixel']);
  });

  it('cancels a slow prediction through the AbortSignal: polling stops, Replicate gets the cancel, the run rejects with the reason', async () => {
    const { fake, adapter } = await replicateAt({ states: () => [{ status: 'starting' }] });
    const controller = new AbortController();
    const running = adapter.run(requestFor('imagen-4-fast'), { signal: controller.signal, onProgress: () => {} });
    await expect.poll(() => fake.requests.filter(isPoll).length).toBeGreaterThan(1);
    const reason = new Error('job timed out');
    controller.abort(reason);

    await expect(running).rejects.toBe(reason);
    await expect.poll(() => fake.requests.find(isCancel)?.path).toBe('/v1/predictions/pred-1/cancel');
    const polls = fake.requests.filter(isPoll).length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.requests.filter(isPoll)).toHaveLength(polls);
  });
});

describe('replicate adapter: failures', () => {
  const createFails = (status: number, json: unknown, headers: Record<string, string> = {}): Partial<ReplicateScript> => ({ create: () => ({ status, json, headers }) });

  it('classifies 422, 401, 429 with Retry-After and 5xx with the status and body', async () => {
    const invalid = await failure((await replicateAt(createFails(422, replicateErrors.validation))).adapter, requestFor('imagen-4'));
    expect(invalid).toMatchObject({ kind: 'invalid_request', retryable: false, details: { statusCode: 422 } });
    expect(invalid.message).toContain('aspect_ratio must be one of');

    const unauthenticated = await failure((await replicateAt(createFails(401, replicateErrors.unauthenticated))).adapter, requestFor('imagen-4'));
    expect(unauthenticated).toMatchObject({ kind: 'authentication', details: { statusCode: 401 } });

    const throttled = await failure((await replicateAt(createFails(429, replicateErrors.throttled, { 'retry-after': '3' }))).adapter, requestFor('imagen-4'));
    expect(throttled).toMatchObject({ kind: 'retryable', details: { statusCode: 429, retryAfterMs: 3000 } });

    const down = await failure((await replicateAt(createFails(500, replicateErrors.server))).adapter, requestFor('imagen-4'));
    expect(down).toMatchObject({ kind: 'retryable', details: { statusCode: 500 } });
  });

  it('treats malformed 200s (no prediction id, a success without image URLs) as retryable', async () => {
    const noId = await failure((await replicateAt({ create: () => ({ status: 201, json: { status: 'starting' } }) })).adapter, requestFor('imagen-4'));
    expect(noId).toMatchObject({ kind: 'retryable', details: { statusCode: 201 } });

    const noOutput = await failure((await replicateAt({ states: () => [{ status: 'succeeded', output: null }] })).adapter, requestFor('imagen-4'));
    expect(noOutput).toMatchObject({ kind: 'retryable' });
    expect(noOutput.message).toContain('without an image');

    const notUrls = await failure((await replicateAt({ states: () => [{ status: 'succeeded', output: { image: 42 } }] })).adapter, requestFor('imagen-4'));
    expect(notUrls.message).toContain('not image URLs');
  });

  it("refuses gpt-image-1 before calling: Replicate runs it only with the caller's own OpenAI key, so the router moves on", async () => {
    const { fake, adapter } = await replicateAt({});
    const refused = await failure(adapter, requestFor('gpt-image-1'));
    expect(refused).toMatchObject({ kind: 'authentication', retryable: false });
    expect(refused.message).toContain('openai_api_key');
    expect(fake.requests).toHaveLength(0);
  });

  it('turns safety refusals in a failed prediction into content_policy and other model failures into retryable ones', async () => {
    const nsfw = await failure((await replicateAt({ states: () => [{ status: 'failed', error: replicateErrors.nsfw }] })).adapter, requestFor('flux-2-pro'));
    expect(nsfw).toMatchObject({ kind: 'content_policy', retryable: false });
    expect(nsfw.message).toContain('NSFW content detected');

    const sensitive = await failure((await replicateAt({ states: () => [{ status: 'failed', error: replicateErrors.googleSensitive }] })).adapter, requestFor('imagen-4'));
    expect(sensitive).toMatchObject({ kind: 'content_policy' });

    const crashed = await failure((await replicateAt({ states: () => [{ status: 'failed', error: 'CUDA out of memory' }] })).adapter, requestFor('imagen-4'));
    expect(crashed).toMatchObject({ kind: 'retryable', retryable: true });
    expect(crashed.details.responseBody).toContain('CUDA out of memory');
  });
});

describe('replicate end to end: a job through the whole app', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let respond: (request: RecordedRequest) => FakeResponse;
  let api: (request: RecordedRequest) => FakeResponse;

  beforeAll(async () => {
    fake = await startFakeUpstream((request) => respond(request));
    api = replicateApi({ files: { 'out-1.png': picture }, states: succeeds() }, () => fake.url);
    respond = api;
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', REPLICATE_API_TOKEN: 'r8-key', REPLICATE_BASE_URL: `${fake.url}/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
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
    job(id: $id) { provider providerAttempts { provider upstreamModel outcome statusCode } usage { reported cost } }
  }`;

  async function runJob(input: Record<string, unknown>) {
    const { body } = await app.graphql(SUBMIT, { input }, key);
    const submitted = body.data?.generateImageWithParams;
    if (submitted?.__typename !== 'GenerateImageSuccess') throw new Error(`submit failed: ${JSON.stringify(body)}`);
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id: submitted.job.id });
    const details = (await app.graphql(DETAILS, { id: submitted.job.id }, key)).body.data.job;
    return { job: updates.at(-1).jobUpdated.job, details };
  }

  it('runs an imagen-4-fast job on the fake Replicate and stores the downloaded image', async () => {
    respond = api;
    const before = fake.requests.length;
    const { job, details } = await runJob({ model: 'imagen-4-fast', prompt: 'a paper boat', params: { aspectRatio: '16:9' }, output: { format: 'PNG' } });

    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('replicate');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'PNG']]);
    const create = fake.requests.slice(before).find(isCreate)!;
    expect([create.path, create.headers.authorization]).toEqual(['/v1/models/google/imagen-4-fast/predictions', 'Bearer r8-key']);
    expect(create.json).toEqual({ input: { prompt: 'a paper boat', aspect_ratio: '16:9', output_format: 'png' } });
    expect(details.usage).toEqual({ reported: true, cost: 'unknown' });
  });

  it('retries after a 429 on create and succeeds on the second attempt', async () => {
    const before = fake.requests.length;
    let throttled = false;
    respond = (request) => {
      if (isCreate(request) && !throttled) {
        throttled = true;
        return { status: 429, headers: { 'retry-after': '0' }, json: replicateErrors.throttled };
      }
      return api(request);
    };
    const { job, details } = await runJob({ model: 'ideogram-v2a-turbo', prompt: 'a paper boat', seed: 9 });

    expect(job.status).toBe('SUCCEEDED');
    expect(job.images).toHaveLength(1);
    expect(
      fake.requests
        .slice(before)
        .filter(isCreate)
        .map((request) => request.json),
    ).toEqual(Array(2).fill({ input: { prompt: 'a paper boat', aspect_ratio: '1:1', style_type: 'Auto', magic_prompt_option: 'On', seed: 9 } }));
    expect(details.providerAttempts).toEqual([
      { provider: 'replicate', upstreamModel: 'ideogram-ai/ideogram-v2a-turbo', outcome: 'retryable', statusCode: 429 },
      { provider: 'replicate', upstreamModel: 'ideogram-ai/ideogram-v2a-turbo', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findModel } from '../../src/catalog/index.js';
import { RunwareImageProvider } from '../../src/providers/runware/provider.js';
import type { GenerationRequest } from '../../src/catalog/request.js';
import { adapterFailure, runAdapter } from '../support/provider-requests.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { submitWithParams } from './end-to-end.js';
import { backgroundRemovalResult, inferenceResult, runwareErrors, svgDocument, vectorizeResult } from './fixtures/runware/responses.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  cleanups.push(() => fake.close());
  return fake;
}

const adapter = (fake: FakeUpstream) => new RunwareImageProvider({ apiKey: 'rw-test', baseUrl: `${fake.url}/v1`, fetch: globalThis.fetch, pollIntervalMs: 5 });

/** A request as the runner builds it; models not routed to Runware get `upstreamModel`. */
function requestFor(modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  const model = findModel(modelId)!;
  const route = model.routes.find((candidate) => candidate.provider === 'runware');
  const prompt = 'prompt' in model.params.shape ? { prompt: 'a paper boat on a pond' } : {};
  return {
    modelId: model.id,
    upstreamModel: route?.upstreamModel ?? 'runware:112@5',
    params: model.params.parse({ ...prompt, ...params }),
    n: 1,
    seed: 11,
    references: [],
    output: {},
    ...extra,
  };
}

const run = (fake: FakeUpstream, request: GenerationRequest) => runAdapter(adapter(fake), request);

const failure = (fake: FakeUpstream, request: GenerationRequest = requestFor('flux-1-dev')) => adapterFailure(adapter(fake), request);

/** The one task of a recorded request. */
const taskOf = (request: RecordedRequest) => request.json[0];
const dataUrl = (bytes: Buffer, format: string) => `data:image/${format};base64,${bytes.toString('base64')}`;
const Uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Runware adapter: requests and outcomes', () => {
  it('runs FLUX.1 [dev] as an imageInference task and reports the cost', async () => {
    const fake = await serve((request) => ({ json: inferenceResult(taskOf(request).taskUUID, ['https://im.runware.ai/image/ws/2/ii/b7db282d.png']) }));
    const { result, progress } = await run(fake, requestFor('flux-1-dev', { steps: 20, guidance: 3.5 }));

    const [sent] = fake.requests;
    expect([sent.method, sent.path, sent.headers.authorization, sent.headers['content-type']]).toEqual(['POST', '/v1', 'Bearer rw-test', 'application/json']);
    expect(sent.json).toHaveLength(1);
    expect(taskOf(sent)).toEqual({
      taskType: 'imageInference',
      taskUUID: expect.stringMatching(Uuid),
      model: 'runware:101@1',
      positivePrompt: 'a paper boat on a pond',
      seed: 11,
      numberResults: 1,
      outputType: 'URL',
      outputFormat: 'PNG',
      includeCost: true,
      width: 1024,
      height: 768,
      steps: 20,
      CFGScale: 3.5,
    });
    expect(result.images).toEqual([{ url: 'https://im.runware.ai/image/ws/2/ii/b7db282d.png' }]);
    expect(result.usage).toEqual({ costUsd: 0.0038, raw: { costs: [0.0038] } });
    expect(result.warnings).toEqual([]);
    expect(progress).toEqual([
      { progress: 0, stage: 'running' },
      { progress: 1, stage: 'done' },
    ]);
  });

  it('asks for n results, rounds sizes to multiples of 64 and warns about the FLUX settings Runware lacks', async () => {
    const fake = await serve((request) => ({ json: inferenceResult(taskOf(request).taskUUID, ['https://im.runware.ai/a.jpg', 'https://im.runware.ai/b.jpg'], 0.0038) }));
    const request = requestFor('flux-1-dev', { width: 800, height: 1440, promptUpsampling: true, safetyTolerance: 6 }, { n: 2, output: { format: 'jpeg' } });
    const { result } = await run(fake, request);
    expect(taskOf(fake.requests[0])).toMatchObject({ numberResults: 2, outputFormat: 'JPG', width: 832, height: 1472 });
    expect(result.images).toHaveLength(2);
    expect(result.usage?.costUsd).toBeCloseTo(0.0076, 10);
    expect(result.warnings).toEqual([
      "promptUpsampling is not supported by Runware's runware:101@1 and was ignored",
      "safetyTolerance is not supported by Runware's runware:101@1 and was ignored",
      'width 800 was rounded to 832: Runware takes multiples of 64',
      'height 1440 was rounded to 1472: Runware takes multiples of 64',
    ]);
  });

  it('vectorizes with Recraft by default and returns the SVG document itself', async () => {
    const input = await testPicture(300, 300, 'png');
    const fake = await serve((request) => ({ json: vectorizeResult(taskOf(request).taskUUID, svgDocument) }));
    const { result } = await run(fake, requestFor('runware-vectorize', {}, { references: [{ bytes: input, format: 'png', width: 300, height: 300 }] }));
    expect(taskOf(fake.requests[0])).toEqual({
      taskType: 'vectorize',
      taskUUID: expect.stringMatching(Uuid),
      model: 'recraft:1@1',
      outputType: 'base64Data',
      outputFormat: 'SVG',
      includeCost: true,
      inputs: { image: dataUrl(input, 'png') },
    });
    expect(Buffer.from(result.images[0].bytes!).toString('utf8')).toBe(svgDocument);
    expect(result.usage?.costUsd).toBe(0.01);
  });

  it('vectorizes with Picsart when asked, fetching the SVG when Runware answers with a URL', async () => {
    const input = await testPicture(300, 300, 'jpeg');
    const fake = await serve((request) =>
      request.method === 'GET'
        ? { body: svgDocument, headers: { 'content-type': 'image/svg+xml' } }
        : { json: { data: [{ taskType: 'vectorize', taskUUID: taskOf(request).taskUUID, imageURL: `${fake.url}/files/vector.svg` }] } },
    );
    const { result } = await run(fake, requestFor('runware-vectorize', { vectorizeModel: 'picsart:1@1' }, { references: [{ bytes: input, format: 'jpeg', width: 300, height: 300 }] }));
    expect(taskOf(fake.requests[0]).model).toBe('picsart:1@1');
    expect(fake.requests[1].path).toBe('/files/vector.svg');
    expect(Buffer.from(result.images[0].bytes!).toString('utf8')).toBe(svgDocument);
    expect(result.usage).toBeUndefined();
  });

  it.each([
    { bgRemovalModel: 'general-fast', quality: 'low', model: 'runware:112@6', warnings: [] },
    { bgRemovalModel: 'general-premium', quality: 'high', model: 'runware:112@7', warnings: [] },
    { bgRemovalModel: 'portrait', quality: 'high', model: 'runware:112@10', warnings: ["quality high was not applied: Runware's BiRefNet Portrait has one resolution"] },
  ])('removes a background with BiRefNet ($bgRemovalModel, $quality -> $model)', async ({ bgRemovalModel, quality, model, warnings }) => {
    const input = await testPicture(40, 30, 'webp');
    const fake = await serve((request) => ({ json: backgroundRemovalResult(taskOf(request).taskUUID, 'https://im.runware.ai/image/ii/aa418b0f.png') }));
    const { result } = await run(fake, requestFor('birefnet-bg-removal', { bgRemovalModel, quality }, { references: [{ bytes: input, format: 'webp', width: 40, height: 30 }] }));
    expect(taskOf(fake.requests[0])).toEqual({
      taskType: 'removeBackground',
      taskUUID: expect.stringMatching(Uuid),
      model,
      inputImage: dataUrl(input, 'webp'),
      outputType: 'URL',
      outputFormat: 'PNG',
      includeCost: true,
    });
    expect(result.images).toEqual([{ url: 'https://im.runware.ai/image/ii/aa418b0f.png' }]);
    expect(result.warnings).toEqual(warnings);
  });

  it('refuses a background removal without an input image, before calling Runware', async () => {
    const fake = await serve(() => ({ status: 500 }));
    const missing = await failure(fake, requestFor('birefnet-bg-removal'));
    expect([missing.kind, missing.message, fake.requests.length]).toEqual(['invalid_request', 'runware: birefnet-bg-removal needs one input image', 0]);
  });
});

describe('Runware adapter: failures', () => {
  it('classifies 400 with a task error as an invalid request, with the status and body', async () => {
    const fake = await serve((request) => ({ status: 400, json: runwareErrors.invalidPrompt(taskOf(request).taskUUID) }));
    const invalid = await failure(fake);
    expect([invalid.kind, invalid.retryable, invalid.details.statusCode]).toEqual(['invalid_request', false, 400]);
    expect(invalid.message).toContain('invalidPositivePrompt: Invalid value for positivePrompt parameter');
    expect(JSON.parse(invalid.details.responseBody!).errors[0].code).toBe('invalidPositivePrompt');
  });

  it('classifies a bad key, a 403, an empty wallet (402 or its error code) as authentication', async () => {
    const fake = await serve(
      (request, index) =>
        [
          { status: 401, json: runwareErrors.invalidApiKey },
          { status: 403, json: { errors: [{ code: 'forbidden', message: 'This API key cannot use this model.' }] } },
          { status: 402, json: { errors: [{ code: 'paymentRequired', message: 'Top up your wallet.' }] } },
          { status: 400, json: runwareErrors.insufficientCredits(taskOf(request).taskUUID) },
        ][index],
    );
    const badKey = await failure(fake);
    expect([badKey.kind, badKey.details.statusCode, badKey.message]).toEqual(['authentication', 401, 'runware: invalidApiKey: Invalid API key. Get one at https://my.runware.ai/signup']);
    expect((await failure(fake)).kind).toBe('authentication');
    const noCredits = await failure(fake);
    expect([noCredits.kind, noCredits.details.statusCode]).toEqual(['authentication', 402]);
    const wallet = await failure(fake);
    expect([wallet.kind, wallet.details.statusCode]).toEqual(['authentication', 400]);
  });

  it('classifies 429 as retryable with Retry-After, and 5xx as retryable', async () => {
    const fake = await serve((request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' }, json: runwareErrors.rateLimited } : { status: 500, json: runwareErrors.timeoutProvider(taskOf(request).taskUUID) },
    );
    const limited = await failure(fake);
    expect([limited.kind, limited.retryable, limited.details.statusCode, limited.details.retryAfterMs]).toEqual(['retryable', true, 429, 2000]);
    const timedOut = await failure(fake);
    expect([timedOut.kind, timedOut.details.statusCode]).toEqual(['retryable', 500]);
    expect(timedOut.message).toContain('timeoutProvider');
  });

  it('treats malformed 200s as retryable: a wrong shape, no result for the task, an image-less result, a non-SVG vector', async () => {
    const input = await testPicture(300, 300, 'png');
    const fake = await serve((request, index) => {
      const taskUUID = taskOf(request).taskUUID;
      return [
        { json: { data: 'nope' } },
        { json: inferenceResult('someone-elses-task', ['https://im.runware.ai/x.png']) },
        { json: { data: [{ taskType: 'imageInference', taskUUID }] } },
        { json: vectorizeResult(taskUUID, '<html>not a vector</html>') },
      ][index];
    });
    const wrongShape = await failure(fake);
    expect([wrongShape.kind, wrongShape.details.statusCode, wrongShape.details.responseBody]).toEqual(['retryable', 200, '{"data":"nope"}']);
    expect((await failure(fake)).message).toBe('runware returned an unexpected response: no result for the task that was sent');
    expect((await failure(fake)).message).toBe('runware returned an unexpected response: a result without imageURL, imageBase64Data or imageDataURI');
    const notSvg = await failure(fake, requestFor('runware-vectorize', {}, { references: [{ bytes: input, format: 'png', width: 300, height: 300 }] }));
    expect([notSvg.kind, notSvg.message]).toEqual(['retryable', 'runware returned an unexpected response: the vectorize result is not an SVG document']);
  });

  it('turns moderation into content_policy: a 400 error, a task error next to a 200, a flagged image', async () => {
    const fake = await serve((request, index) => {
      const taskUUID = taskOf(request).taskUUID;
      return [
        { status: 400, json: runwareErrors.contentModerated(taskUUID) },
        { json: { data: [], ...runwareErrors.contentModerated(taskUUID) } },
        { json: { data: [{ taskType: 'imageInference', taskUUID, imageURL: 'https://im.runware.ai/black.png', NSFWContent: true }] } },
      ][index];
    });
    const moderated = await failure(fake);
    expect([moderated.kind, moderated.code, moderated.details.statusCode]).toEqual(['content_policy', 'CONTENT_POLICY', 400]);
    const inline = await failure(fake);
    expect([inline.kind, inline.details.statusCode]).toEqual(['content_policy', 200]);
    expect(inline.message).toContain('flagged by content moderation');
    expect((await failure(fake)).message).toBe("runware: Runware's safety check flagged the generated image");
  });

  it('stops waiting for a slow task as soon as the signal aborts', async () => {
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
    const running = adapter(fake).run(requestFor('flux-1-dev'), { signal: controller.signal, onProgress: () => undefined });
    await requestArrived;
    const reason = new Error('canceled by the client');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });
});

describe('Runware end to end', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let picture: Buffer;
  let respond: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse> = () => ({ status: 500 });

  beforeAll(async () => {
    picture = await testPicture(64, 48, 'png');
    fake = await startFakeUpstream((request, index) => (request.path.startsWith('/image/') ? { body: picture, headers: { 'content-type': 'image/png' } } : respond(request, index)));
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', RUNWARE_API_KEY: 'rw-test', RUNWARE_BASE_URL: `${fake.url}/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
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

  const inference = (request: RecordedRequest): FakeResponse => ({ json: inferenceResult(taskOf(request).taskUUID, [`${fake.url}/image/ws/2/ii/out.png`]) });

  it('runs a FLUX.1 [dev] job on the fake Runware and records the cost', async () => {
    respond = inference;
    const before = fake.requests.length;
    const id = await submit({ model: 'flux-1-dev', prompt: 'a paper boat on a pond', params: { width: 768, height: 512 } });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('runware');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'PNG']]);

    const sent = fake.requests.slice(before);
    expect(sent.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/v1'],
      ['GET', '/image/ws/2/ii/out.png'],
    ]);
    expect(sent[0].headers.authorization).toBe('Bearer rw-test');
    expect(taskOf(sent[0])).toMatchObject({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a paper boat on a pond', width: 768, height: 512, numberResults: 1 });
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.usage).toMatchObject({ reported: true, costUsd: 0.0038 });
  });

  it('vectorizes a data-URL image into a stored SVG', async () => {
    respond = (request) => ({ json: vectorizeResult(taskOf(request).taskUUID, svgDocument) });
    const input = await testPicture(300, 300, 'png');
    const id = await submit({ model: 'runware-vectorize', references: [{ dataUrl: `data:image/png;base64,${input.toString('base64')}` }] });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect([job.status, job.provider, job.error]).toEqual(['SUCCEEDED', 'runware', null]);
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'SVG']]);
  });

  it('retries after a 429 and succeeds on the second call', async () => {
    const before = fake.requests.length;
    respond = (request, index) => (index === before ? { status: 429, headers: { 'retry-after': '0' }, json: runwareErrors.rateLimited } : inference(request));
    const id = await submit({ model: 'flux-1-dev', prompt: 'a glass greenhouse' });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    expect(updates.at(-1).jobUpdated.job.status).toBe('SUCCEEDED');
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.providerAttempts).toEqual([
      { provider: 'runware', upstreamModel: 'runware:101@1', outcome: 'retryable', statusCode: 429 },
      { provider: 'runware', upstreamModel: 'runware:101@1', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

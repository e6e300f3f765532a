import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BflImageProvider } from '../../src/providers/bfl/provider.js';
import type { GenerationRequest, InputImage } from '../../src/catalog/request.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream.js';
import { adapterFailure, routedRequest, runAdapter } from '../support/provider-requests.js';
import { submitWithParams } from './end-to-end.js';
import { bflErrors, finished, pending, ready, submitted } from './fixtures/bfl/responses.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  cleanups.push(() => fake.close());
  return fake;
}

const adapter = (fake: FakeUpstream) => new BflImageProvider({ apiKey: 'bfl-test', baseUrl: `${fake.url}/v1`, fetch: globalThis.fetch, pollIntervalMs: 5 });

/** A request as the runner builds it: catalog defaults applied, the BFL route's upstream model. */
const requestFor = (modelId: string, params: Record<string, unknown> = {}, extra: Partial<GenerationRequest> = {}) =>
  routedRequest('bfl', { prompt: 'a red fox in the snow', seed: 11 }, modelId, params, extra);

/**
 * A fake BFL: every submit gets a task on the (regional) polling host; each task is Pending
 * `pendingPolls` times (with progress), then Ready with a sample URL.
 */
function bfl(options: { pendingPolls?: number; cost?: number | null } = {}) {
  let tasks = 0;
  const polls = new Map<string, number>();
  return (request: RecordedRequest, url: string): FakeResponse => {
    if (request.method === 'POST') {
      tasks += 1;
      return { json: submitted(`task-${tasks}`, `${url}/eu/v1/get_result?id=task-${tasks}`, options.cost === undefined ? 3 : options.cost) };
    }
    const id = request.query.get('id')!;
    const seen = (polls.get(id) ?? 0) + 1;
    polls.set(id, seen);
    if (seen <= (options.pendingPolls ?? 1)) return { json: pending(id, seen * 0.25) };
    return { json: ready(id, `https://delivery-eu1.bfl.ai/results/${id}/sample.jpeg?se=2026-01-01`) };
  };
}

const run = (fake: FakeUpstream, request: GenerationRequest) => runAdapter(adapter(fake), request);

const failure = (fake: FakeUpstream, request: GenerationRequest = requestFor('flux-2-pro')) => adapterFailure(adapter(fake), request);

const base64 = (bytes: Buffer) => bytes.toString('base64');
const posts = (fake: FakeUpstream) => fake.requests.filter((request) => request.method === 'POST');

describe('BFL adapter: requests and outcomes', () => {
  it('submits FLUX.2 [pro], follows the regional polling URL, reports progress and the cost', async () => {
    let fakeUrl = '';
    const handler = bfl({ pendingPolls: 2, cost: 4.5 });
    const fake = await serve((request) => handler(request, fakeUrl));
    fakeUrl = fake.url;
    const { result, progress } = await run(fake, requestFor('flux-2-pro'));

    const [submit, ...polls] = fake.requests;
    expect([submit.method, submit.path, submit.headers['x-key'], submit.headers['content-type']]).toEqual(['POST', '/v1/flux-2-pro', 'bfl-test', 'application/json']);
    expect(submit.json).toEqual({ prompt: 'a red fox in the snow', width: 1024, height: 1024, prompt_upsampling: true, safety_tolerance: 2, seed: 11 });
    expect(polls.map((poll) => [poll.method, poll.path, poll.query.get('id'), poll.headers['x-key']])).toEqual([
      ['GET', '/eu/v1/get_result', 'task-1', 'bfl-test'],
      ['GET', '/eu/v1/get_result', 'task-1', 'bfl-test'],
      ['GET', '/eu/v1/get_result', 'task-1', 'bfl-test'],
    ]);
    expect(result.images).toEqual([{ url: 'https://delivery-eu1.bfl.ai/results/task-1/sample.jpeg?se=2026-01-01' }]);
    expect(result.warnings).toEqual([]);
    expect(result.usage).toEqual({ costUsd: 0.045, raw: { credits: 4.5, tasks: [{ id: 'task-1', cost: 4.5, inputMp: 0, outputMp: 1.05 }] } });
    expect(progress).toEqual([
      { progress: 0, stage: 'submitting' },
      { progress: 0.25, stage: 'pending' },
      { progress: 0.5, stage: 'pending' },
      { progress: 1, stage: 'ready' },
    ]);
  });

  it('edits with FLUX.2 [flex]: references as input_image, input_image_2 (base64), steps, guidance, output format', async () => {
    const [first, second] = await Promise.all([testPicture(32, 32, 'png'), testPicture(24, 24, 'jpeg')]);
    const references: InputImage[] = [
      { bytes: first, format: 'png', width: 32, height: 32 },
      { bytes: second, format: 'jpeg', width: 24, height: 24 },
    ];
    const handler = bfl();
    const fake = await serve((request) => handler(request, fake.url));
    const request = requestFor(
      'flux-2-flex',
      { prompt: 'put the cat of [image 1] on the sofa of [image 2]', width: 1536, height: 1024, steps: 30, guidance: 6 },
      { references, output: { format: 'png' } },
    );
    const { result } = await run(fake, request);
    expect(posts(fake)[0].path).toBe('/v1/flux-2-flex');
    expect(posts(fake)[0].json).toEqual({
      prompt: 'put the cat of [image 1] on the sofa of [image 2]',
      width: 1536,
      height: 1024,
      prompt_upsampling: true,
      safety_tolerance: 2,
      steps: 30,
      guidance: 6,
      input_image: base64(first),
      input_image_2: base64(second),
      output_format: 'png',
      seed: 11,
    });
    expect(result.warnings).toEqual([]);
  });

  it('gives Kontext its four input images and says which references were left out', async () => {
    const picture = await testPicture(16, 16, 'png');
    const references: InputImage[] = Array.from({ length: 5 }, () => ({ bytes: picture, format: 'png', width: 16, height: 16 }));
    const handler = bfl();
    const fake = await serve((request) => handler(request, fake.url));
    const { result } = await run(fake, requestFor('flux-kontext-pro', { aspectRatio: '21:9', safetyTolerance: 5 }, { references }));
    const body = posts(fake)[0].json;
    expect(posts(fake)[0].path).toBe('/v1/flux-kontext-pro');
    expect(Object.keys(body).filter((key) => key.startsWith('input_image'))).toEqual(['input_image', 'input_image_2', 'input_image_3', 'input_image_4']);
    expect(body).toMatchObject({ aspect_ratio: '21:9', prompt_upsampling: false, safety_tolerance: 5, seed: 11 });
    expect(result.warnings).toEqual(["BFL's flux-kontext-pro takes 4 reference images; the other 1 were ignored"]);
  });

  it('sends FLUX1.1 [pro] Ultra an image prompt with its strength, and warns when the strength has nothing to act on', async () => {
    const picture = await testPicture(20, 20, 'webp');
    const handler = bfl();
    const fake = await serve((request) => handler(request, fake.url));
    await run(fake, requestFor('flux-1.1-pro-ultra', { raw: true, imagePromptStrength: 0.4 }, { references: [{ bytes: picture, format: 'webp', width: 20, height: 20 }] }));
    expect(posts(fake)[0].path).toBe('/v1/flux-pro-1.1-ultra');
    expect(posts(fake)[0].json).toEqual({
      prompt: 'a red fox in the snow',
      aspect_ratio: '16:9',
      raw: true,
      image_prompt_strength: 0.4,
      prompt_upsampling: false,
      safety_tolerance: 2,
      image_prompt: base64(picture),
      seed: 11,
    });

    const { result } = await run(fake, requestFor('flux-1.1-pro-ultra', { imagePromptStrength: 0.4 }));
    expect(posts(fake)[1].json).not.toHaveProperty('image_prompt_strength');
    expect(result.warnings).toEqual(['imagePromptStrength was not applied: it needs a reference image']);
  });

  it('runs n tasks with consecutive seeds, and reports no usage when BFL gives no cost', async () => {
    const handler = bfl({ pendingPolls: 0, cost: null });
    const fake = await serve((request) => handler(request, fake.url));
    const { result } = await run(fake, requestFor('flux-1.1-pro', { width: 1440, height: 800 }, { n: 2, seed: 41 }));
    expect(posts(fake).map((request) => [request.path, request.json.seed, request.json.width, request.json.height])).toEqual([
      ['/v1/flux-pro-1.1', 41, 1440, 800],
      ['/v1/flux-pro-1.1', 42, 1440, 800],
    ]);
    expect(result.images).toHaveLength(2);
    expect(result.usage).toBeUndefined();
  });

  it('maps FLUX.1 [dev] steps and guidance', async () => {
    const handler = bfl();
    const fake = await serve((request) => handler(request, fake.url));
    await run(fake, requestFor('flux-1-dev', { steps: 20, guidance: 4 }, { output: { format: 'webp' } }));
    expect(posts(fake)[0].path).toBe('/v1/flux-dev');
    expect(posts(fake)[0].json).toEqual({
      prompt: 'a red fox in the snow',
      width: 1024,
      height: 768,
      steps: 20,
      guidance: 4,
      prompt_upsampling: false,
      safety_tolerance: 2,
      output_format: 'webp',
      seed: 11,
    });
  });
});

describe('BFL adapter: failures', () => {
  it('classifies 400 and 422 as invalid requests with the upstream status and body', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { status: 400, json: bflErrors.validation } : { status: 422, json: bflErrors.unprocessable }));
    const invalid = await failure(fake);
    expect([invalid.kind, invalid.retryable, invalid.details.statusCode]).toEqual(['invalid_request', false, 400]);
    expect(JSON.parse(invalid.details.responseBody!)).toEqual(bflErrors.validation);
    expect(invalid.message).toContain('multiple of 32');
    expect([(await failure(fake)).kind, fake.requests.length]).toEqual(['invalid_request', 2]);
  });

  it('classifies 401, 403 and an account without credits (402) as authentication', async () => {
    const fake = await serve(
      (_request, index) =>
        [
          { status: 401, json: bflErrors.notAuthenticated },
          { status: 403, json: bflErrors.forbidden },
          { status: 402, json: bflErrors.noCredits },
        ][index],
    );
    const unauthenticated = await failure(fake);
    expect([unauthenticated.kind, unauthenticated.details.statusCode]).toEqual(['authentication', 401]);
    expect((await failure(fake)).kind).toBe('authentication');
    const broke = await failure(fake);
    expect([broke.kind, broke.retryable, broke.details.statusCode, broke.message]).toEqual(['authentication', false, 402, 'bfl: the BFL account has no credits left (HTTP 402)']);
  });

  it('classifies 429 as retryable with Retry-After, and 5xx as retryable', async () => {
    const fake = await serve((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '7' }, json: bflErrors.tooManyTasks } : { status: 502, json: bflErrors.internal }));
    const limited = await failure(fake);
    expect([limited.kind, limited.retryable, limited.details.statusCode, limited.details.retryAfterMs]).toEqual(['retryable', true, 429, 7000]);
    const bad = await failure(fake);
    expect([bad.kind, bad.details.statusCode]).toEqual(['retryable', 502]);
  });

  it('treats malformed 200s as retryable: a submit without polling_url, a Ready task without a sample', async () => {
    const fake = await serve((request) =>
      request.method === 'POST'
        ? request.path.endsWith('flux-2-pro')
          ? { json: { id: 'task-1' } }
          : { json: submitted('task-2', `${fake.url}/v1/get_result?id=task-2`) }
        : { json: { id: 'task-2', status: 'Ready', result: {} } },
    );
    const noPolling = await failure(fake);
    expect([noPolling.kind, noPolling.details.statusCode, noPolling.details.responseBody]).toEqual(['retryable', 200, '{"id":"task-1"}']);
    const noSample = await failure(fake, requestFor('flux-2-max'));
    expect([noSample.kind, noSample.message]).toEqual(['retryable', 'bfl returned an unexpected response: task task-2 is Ready without result.sample']);
  });

  it('turns moderated tasks into content_policy and task errors into retryable failures', async () => {
    const outcomes = [
      finished('t', 'Request Moderated', { 'Moderation Reasons': ['Derivative Works Filter'] }),
      finished('t', 'Content Moderated', { 'Moderation Reasons': ['NSFW'] }),
      finished('t', 'Error', { error: 'GPU worker crashed' }),
      finished('t', 'Task not found'),
    ];
    let polls = 0;
    const fake = await serve((request) => (request.method === 'POST' ? { json: submitted('t', `${fake.url}/v1/get_result?id=t`) } : { json: outcomes[polls++] }));
    const refused = await failure(fake);
    expect([refused.kind, refused.code, refused.details.statusCode]).toEqual(['content_policy', 'CONTENT_POLICY', 200]);
    expect(refused.message).toBe('bfl: BFL\'s moderation refused the request (prompt or input images): {"Moderation Reasons":["Derivative Works Filter"]}');
    const filtered = await failure(fake);
    expect([filtered.kind, filtered.message]).toEqual(['content_policy', 'bfl: BFL\'s moderation refused the generated image: {"Moderation Reasons":["NSFW"]}']);
    const crashed = await failure(fake);
    expect([crashed.kind, crashed.retryable]).toEqual(['retryable', true]);
    expect(crashed.message).toContain('GPU worker crashed');
    expect((await failure(fake)).message).toBe('bfl: task t ended with status Task not found');
  });

  it('stops polling a slow queue as soon as the signal aborts', async () => {
    let pollArrived!: () => void;
    const firstPoll = new Promise<void>((resolve) => (pollArrived = resolve));
    const fake = await serve((request) => {
      if (request.method === 'POST') return { json: submitted('slow', `${fake.url}/v1/get_result?id=slow`) };
      pollArrived();
      return { json: pending('slow', 0.1) };
    });
    const controller = new AbortController();
    const running = adapter(fake).run(requestFor('flux-2-pro'), { signal: controller.signal, onProgress: () => undefined });
    await firstPoll;
    const reason = new Error('canceled by the client');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    const pollsAtAbort = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests.length).toBe(pollsAtAbort);
  });
});

describe('BFL end to end', () => {
  let app: TestApp;
  let key: string;
  let fake: FakeUpstream;
  let picture: Buffer;
  let respond: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse> = () => ({ status: 500 });

  beforeAll(async () => {
    picture = await testPicture(64, 48, 'jpeg');
    fake = await startFakeUpstream((request, index) => (request.path.startsWith('/samples/') ? { body: picture, headers: { 'content-type': 'image/jpeg' } } : respond(request, index)));
    app = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', BFL_API_KEY: 'bfl-test', BFL_BASE_URL: `${fake.url}/v1`, PROVIDER_RETRY_BASE_MS: '10', PROVIDER_POLL_MS: '10' });
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

  /** BFL's flow on the fake: submit, one Pending poll, Ready with a sample the fake serves. */
  const flow = (request: RecordedRequest): FakeResponse => {
    if (request.method === 'POST') return { json: submitted('e2e', `${fake.url}/eu/v1/get_result?id=e2e`, 3) };
    return fake.requests.filter((seen) => seen.path === '/eu/v1/get_result').length === 1 ? { json: pending('e2e', 0.5) } : { json: ready('e2e', `${fake.url}/samples/e2e.jpeg`) };
  };

  it('runs a FLUX.2 [pro] job on the fake BFL, downloads the sample and records the cost', async () => {
    respond = flow;
    const before = fake.requests.length;
    const id = await submit({ model: 'flux-2-pro', prompt: 'a lighthouse at dusk', params: { width: 1024, height: 768 } });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('bfl');
    expect(job.images.map((image: any) => [image.width, image.height, image.format])).toEqual([[64, 48, 'JPEG']]);

    const sent = fake.requests.slice(before);
    expect(sent.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/v1/flux-2-pro'],
      ['GET', '/eu/v1/get_result'],
      ['GET', '/eu/v1/get_result'],
      ['GET', '/samples/e2e.jpeg'],
    ]);
    expect(sent[0].headers['x-key']).toBe('bfl-test');
    expect(sent[0].json).toMatchObject({ prompt: 'a lighthouse at dusk', width: 1024, height: 768, prompt_upsampling: true, safety_tolerance: 2 });
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.usage).toMatchObject({ reported: true, costUsd: 0.03 });
  });

  it('retries after a 429 and succeeds on the second submit', async () => {
    const before = fake.requests.length;
    respond = (request, index) => (index === before ? { status: 429, headers: { 'retry-after': '0' }, json: bflErrors.tooManyTasks } : flow(request));
    const id = await submit({ model: 'flux-1.1-pro', prompt: 'a glass greenhouse' });
    const updates = await collect<any>(app.wsClient(key), JOB_UPDATED, { id });
    expect(updates.at(-1).jobUpdated.job.status).toBe('SUCCEEDED');
    expect(
      fake.requests
        .slice(before)
        .filter((request) => request.method === 'POST')
        .map((request) => request.path),
    ).toEqual(['/v1/flux-pro-1.1', '/v1/flux-pro-1.1']);
    const details = (await app.graphql(JOB_DETAILS, { id }, key)).body.data.job;
    expect(details.providerAttempts).toEqual([
      { provider: 'bfl', upstreamModel: 'flux-pro-1.1', outcome: 'retryable', statusCode: 429 },
      { provider: 'bfl', upstreamModel: 'flux-pro-1.1', outcome: 'succeeded', statusCode: null },
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/api-keys.js';
import { collect, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';
import { startFakeUpstream, testPicture, type FakeResponse, type FakeUpstream } from './support/fake-upstream.js';
import { imagesResponse } from './providers/fixtures/openrouter/responses.js';

/**
 * Routing across real adapters: nano-banana-2 routes gemini -> fal -> openrouter -> apiframe.
 * Gemini and OpenRouter are configured against local fakes; what each answers decides the path.
 */
const upstreams: FakeUpstream[] = [];
let test: TestApp | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

type Submit = (app: TestApp, key: string) => Promise<string>;

const submitWithParams: Submit = async (app, key) => {
  const submitted = await app.graphql(
    'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { message } } }',
    { input: { model: 'nano-banana-2', prompt: 'a lighthouse', params: { aspectRatio: '1:1' } } },
    key,
  );
  return submitted.body.data.generateImageWithParams.job.id as string;
};

async function setup(gemini: (index: number) => FakeResponse, submit: Submit = submitWithParams) {
  const picture = await testPicture(64, 64, 'png');
  const geminiFake = await startFakeUpstream((_request, index) => gemini(index));
  const openrouterFake = await startFakeUpstream(() => ({ json: imagesResponse([picture]) }));
  upstreams.push(geminiFake, openrouterFake);
  test = await startTestApp({
    GEMINI_API_KEY: 'gemini-key',
    GEMINI_BASE_URL: geminiFake.url,
    OPENROUTER_API_KEY: 'openrouter-key',
    OPENROUTER_BASE_URL: `${openrouterFake.url}/api/v1`,
    PROVIDER_MAX_RETRIES: '2',
    PROVIDER_RETRY_BASE_MS: '10',
    PROVIDER_POLL_MS: '10',
  });
  const { key } = await test.createKey(1000);
  const jobId = await submit(test, key);
  const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: jobId });
  const details = await test.graphql(
    'query($id: ID!) { job(id: $id) { status provider warnings attempts error { code message } providerAttempts { provider outcome statusCode } images { width } } }',
    { id: jobId },
    key,
  );
  return { geminiFake, openrouterFake, updates, job: details.body.data.job };
}

const geminiError = (status: number, message: string, extra: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: extra,
  json: { error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT' } },
});

const geminiPicture = async (): Promise<FakeResponse> => ({
  json: { candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: (await testPicture(64, 64, 'png')).toString('base64') } }] }, finishReason: 'STOP' }] },
});

/** OpenRouter's image API on /v1/images/generations with a `provider` object; answers once the job has ended. */
const submitWithPassthrough: Submit = async (app, key) => {
  const response = await fetch(`${app.url}/v1/images/generations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'nano-banana-2', prompt: 'a lighthouse', aspect_ratio: '1:1', provider: { order: ['google-vertex'], allow_fallbacks: false } }),
  });
  await response.body?.cancel();
  return response.headers.get('x-pictor-job-id')!;
};

describe('provider passthrough across routes', () => {
  it('forwards the provider object when the job falls back to OpenRouter', async () => {
    const { openrouterFake, job } = await setup(() => geminiError(503, 'The model is overloaded.'), submitWithPassthrough);
    expect(job.provider).toBe('openrouter');
    expect(openrouterFake.requests[0]!.json).toMatchObject({ provider: { order: ['google-vertex'], allow_fallbacks: false } });
    expect(job.warnings.join(' ')).not.toMatch(/not forwarded/);
  });

  it('says on the job that it was not forwarded when another upstream ran it', async () => {
    const picture = await geminiPicture();
    const { geminiFake, job } = await setup(() => picture, submitWithPassthrough);
    expect(job.provider).toBe('gemini');
    expect(JSON.stringify(geminiFake.requests[0]!.json)).not.toContain('google-vertex');
    expect(job.warnings).toContain('provider.order, provider.allow_fallbacks were not forwarded: the job ran on gemini, which takes no passthrough settings');
  });
});

describe('routing between providers', () => {
  it('retries a failing route with backoff, then falls back to the next configured one', async () => {
    const { geminiFake, openrouterFake, job } = await setup(() => geminiError(503, 'The model is overloaded.'));
    // Operators see the calls in the providers query (operator keys only).
    const { key: operator } = await test!.createKey(0, { operator: true });
    const providers = (await test!.graphql('{ providers { id configured credentialVariable recentCalls recentErrorRate latencyP50Ms models { id } } }', {}, operator)).body.data.providers;
    const byId = new Map(providers.map((provider: { id: string }) => [provider.id, provider]));
    expect(byId.get('gemini')).toMatchObject({ configured: true, credentialVariable: 'GEMINI_API_KEY', recentCalls: 3, recentErrorRate: 1 });
    expect(byId.get('openrouter')).toMatchObject({ configured: true, recentCalls: 1, recentErrorRate: 0 });
    expect(byId.get('fal')).toMatchObject({ configured: false, recentCalls: 0, recentErrorRate: null });
    expect((byId.get('gemini') as { latencyP50Ms: number }).latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect((byId.get('openrouter') as { models: { id: string }[] }).models.map((model) => model.id)).toContain('nano-banana-2');
    const reader = await createApiKey(test!.app.services.database.sql, (await test!.createKey(0)).accountId, { scopes: ['read'] });
    expect((await test!.graphql('{ providers { id } }', {}, reader.key)).body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('openrouter');
    expect(geminiFake.requests).toHaveLength(3); // the first call and two retries
    expect(openrouterFake.requests).toHaveLength(1);
    expect(job.providerAttempts.map((attempt: { provider: string; outcome: string }) => [attempt.provider, attempt.outcome])).toEqual([
      ['gemini', 'retryable'],
      ['gemini', 'retryable'],
      ['gemini', 'retryable'],
      ['openrouter', 'succeeded'],
    ]);
  });

  it('honours Retry-After on 429 and succeeds on the same route', async () => {
    const picture = (await testPicture(64, 64, 'png')).toString('base64');
    const { openrouterFake, job } = await setup((index) =>
      index === 0
        ? geminiError(429, 'Resource exhausted', { 'retry-after': '0' })
        : {
            json: {
              candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: picture } }] }, finishReason: 'STOP' }],
              usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1290 },
            },
          },
    );
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('gemini');
    expect(openrouterFake.requests).toHaveLength(0);
    expect(job.providerAttempts.map((attempt: { outcome: string; statusCode: number | null }) => [attempt.outcome, attempt.statusCode])).toEqual([
      ['retryable', 429],
      ['succeeded', null],
    ]);
  });

  it('skips a provider whose credentials are refused, without retrying it', async () => {
    const { geminiFake, job } = await setup(() => geminiError(403, 'Permission denied: API key not valid'));
    expect(job.status).toBe('SUCCEEDED');
    expect(job.provider).toBe('openrouter');
    expect(geminiFake.requests).toHaveLength(1);
  });

  it('fails at once on an invalid request, with the upstream message, trying no other route', async () => {
    const { geminiFake, openrouterFake, job, updates } = await setup(() => geminiError(400, 'Unsupported aspect ratio for this model'));
    // The job can fail before the subscription opens: then its only message is a SNAPSHOT of it.
    expect(updates.at(-1).jobUpdated.job.status).toBe('FAILED');
    expect(['FAILED', 'SNAPSHOT']).toContain(updates.at(-1).jobUpdated.type);
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(1);
    expect(job.error.code).toBe('UPSTREAM_INVALID_REQUEST');
    expect(job.error.message).toContain('Unsupported aspect ratio');
    expect(geminiFake.requests).toHaveLength(1);
    expect(openrouterFake.requests).toHaveLength(0);
  });
});

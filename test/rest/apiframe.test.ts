import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
import { accountState, graphqlJob, limitRequests } from './support.js';

/** Apiframe's unified endpoint, driven with fetch as Apiframe's docs show (X-API-Key, 202, polling). */

let test: TestApp;
let key: { key: string; accountId: string };
let receiver: Server;
let receiverUrl: string;
const deliveries: { type: string; data: { status?: string } }[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      deliveries.push(JSON.parse(body) as never);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true' });
  key = await test.createKey(1000);
});
afterAll(async () => {
  await test?.stop();
  receiver?.close();
});

function post(body: unknown, headers: Record<string, string> = { 'X-API-Key': key.key }) {
  return fetch(`${test.url}/v2/images/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
function poll(jobId: string, headers: Record<string, string> = { 'X-API-Key': key.key }) {
  return fetch(`${test.url}/v2/jobs/${encodeURIComponent(jobId)}`, { headers });
}
const placeholderBody = (extra: Record<string, unknown> = {}) => ({ model: 'placeholder', prompt: 'a red kite over dunes', placeholderParams: { steps: 2, step_ms: 0, resolution: '512' }, ...extra });

describe('POST /v2/images/generate and GET /v2/jobs/:jobId', () => {
  it('accepts with 202 { jobId, status: QUEUED }, then polls to COMPLETED with result URLs and a webhook', async () => {
    const response = await post(placeholderBody({ webhookUrl: receiverUrl, webhookEvents: ['completed'] }));
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { jobId: string; status: string };
    expect(accepted.status).toBe('QUEUED');
    const job = await waitFor(async () => {
      const polled = (await (await poll(accepted.jobId)).json()) as { status: string; progress: number; result: { images: string[] } | null };
      return polled.status === 'COMPLETED' && polled;
    }, 'the job to complete');
    expect(job).toMatchObject({ id: accepted.jobId, model: 'placeholder', progress: 100, error: null, creditCost: 1 });
    const image = await fetch(job.result!.images[0]!);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(512);
    await waitFor(() => deliveries.some((delivery) => delivery.type === 'job.succeeded'), 'the completed webhook');
    expect((await graphqlJob(test, key.key, accepted.jobId))?.status).toBe('SUCCEEDED');
  });

  it('takes Bearer keys too; the same Idempotency-Key returns the same job and charges once', async () => {
    const before = await accountState(test, key.accountId);
    const headers = { Authorization: `Bearer ${key.key}`, 'Idempotency-Key': 'apiframe-key-1' };
    const [first, second] = await Promise.all([post(placeholderBody(), headers), post(placeholderBody(), headers)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    const [a, b] = [(await first.json()) as { jobId: string }, (await second.json()) as { jobId: string }];
    expect(a.jobId).toBe(b.jobId);
    expect(await accountState(test, key.accountId)).toMatchObject({ jobs: before.jobs + 1 });
  });

  it('reports PROCESSING with progress on the 0-100 scale while running', async () => {
    const response = await post({ ...placeholderBody(), placeholderParams: { steps: 4, step_ms: 150, resolution: '512' } });
    const { jobId } = (await response.json()) as { jobId: string };
    const running = await waitFor(async () => {
      const polled = (await (await poll(jobId)).json()) as { status: string; progress: number };
      return polled.status === 'PROCESSING' && polled.progress > 0 && polled;
    }, 'progress');
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(100);
    expect(Number.isInteger(running.progress)).toBe(true);
  });
});

describe('errors as Apiframe answers them', () => {
  it('400 Validation error with details per field, writing nothing', async () => {
    const before = await accountState(test, key.accountId);
    for (const [body, field] of [
      [{ model: 'placeholder' }, 'prompt'],
      [placeholderBody({ placeholderParams: { aspect_ratio: '5:1' } }), 'aspectRatio'],
      [placeholderBody({ webhookUrl: 'not a url' }), 'webhookUrl'],
      [placeholderBody({ webhookEvents: ['exploded'] }), 'webhookEvents.0'],
      [placeholderBody({ model: 'no-such-model' }), 'model'],
      [placeholderBody({ prompt: `nul\u0000` }), 'prompt'],
    ] as const) {
      const response = await post(body);
      expect(response.status, field).toBe(400);
      const answer = (await response.json()) as { error: string; details: Record<string, string[]> };
      expect(answer.error).toBe('Validation error');
      expect(Object.keys(answer.details), field).toContain(field);
    }
    expect((await post('x'.repeat(10))).status).toBe(400);
    expect(await accountState(test, key.accountId)).toEqual(before);
  });

  it('401 without a valid key, 402 without credits, 404 for unknown jobs, 429 with Retry-After', async () => {
    expect((await post(placeholderBody(), { 'X-API-Key': 'wrong' })).status).toBe(401);
    expect(await (await post(placeholderBody(), {})).json()).toEqual({ error: 'Invalid API key' });

    const poor = await test.createKey(0);
    const refused = await post(placeholderBody(), { 'X-API-Key': poor.key });
    expect(refused.status).toBe(402);
    expect(await refused.json()).toEqual({ error: 'Insufficient credits', creditsRequired: 1, creditsAvailable: 0 });

    expect((await poll('00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await poll('not-a-job')).status).toBe(404);
    const other = await test.createKey(10);
    const theirs = (await (await post(placeholderBody(), { 'X-API-Key': other.key })).json()) as { jobId: string };
    expect((await poll(theirs.jobId)).status).toBe(404);

    const limited = await test.createKey(10);
    await limitRequests(test, limited.accountId, 1);
    expect((await poll('00000000-0000-0000-0000-000000000000', { 'X-API-Key': limited.key })).status).toBe(404);
    const tooMany = await post(placeholderBody(), { 'X-API-Key': limited.key });
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await tooMany.json()).toEqual({ error: 'Rate limit exceeded' });
  });
});

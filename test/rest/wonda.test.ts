import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
import { accountState, graphqlJob, limitRequests, pixelAt, solidPng } from './support.js';

/** Wonda's image endpoint, driven with fetch as Wonda's docs show: media upload, generate, poll. */

let test: TestApp;
let key: { key: string; accountId: string };

beforeAll(async () => {
  test = await startTestApp();
  key = await test.createKey(1000);
});
afterAll(() => test?.stop());

const auth = (apiKey = key.key) => ({ Authorization: `Bearer ${apiKey}` });
const generate = (body: unknown, apiKey?: string) =>
  fetch(`${test.url}/api/v1/image/generate`, { method: 'POST', headers: { ...auth(apiKey), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const poll = (id: string, apiKey?: string) => fetch(`${test.url}/api/v1/image/jobs/${encodeURIComponent(id)}`, { headers: auth(apiKey) });

async function upload(png: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'attachment.png');
  const response = await fetch(`${test.url}/v1/media`, { method: 'POST', headers: auth(), body: form });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

type Job = { inferenceJobId: string; status: string; progress: number; outputs: { url: string; width: number; height: number }[] };

describe('POST /api/v1/image/generate and GET /api/v1/image/jobs/:inferenceJobId', () => {
  it('generates with params and uploaded attachments, and polls to a finished image', async () => {
    const mediaId = await upload(await solidPng(48, 48, { r: 0, g: 0, b: 255 }));
    const response = await generate({ model: 'placeholder', prompt: 'a product shot', params: { aspectRatio: '1:1', resolution: '1K', steps: 2, stepMs: 0 }, attachmentMediaIds: [mediaId] });
    expect(response.status).toBe(200);
    const { inferenceJobId } = (await response.json()) as { inferenceJobId: string };
    const job = await waitFor(async () => {
      const polled = (await (await poll(inferenceJobId)).json()) as Job;
      return polled.status === 'succeeded' && polled;
    }, 'the inference job');
    expect(job.progress).toBe(1);
    expect(job.outputs[0]).toMatchObject({ width: 1024, height: 1024 });
    const picture = Buffer.from(await (await fetch(job.outputs[0]!.url)).arrayBuffer());
    expect((await pixelAt(picture, 132, 891))[2]).toBeGreaterThan(200);
    expect((await sharp(picture).metadata()).format).toBe('png');
    expect((await graphqlJob(test, key.key, inferenceJobId))?.status).toBe('SUCCEEDED');
  });
});

describe('errors', () => {
  it('400 naming the field for bad params and attachments, writing nothing', async () => {
    const before = await accountState(test, key.accountId);
    for (const [body, path] of [
      [{ model: 'placeholder', prompt: 'x', params: { aspectRatio: '5:1' } }, 'params.aspectRatio'],
      [{ model: 'placeholder', prompt: 'x', params: { styleId: 'y' } }, 'params.styleId'],
      [{ model: 'placeholder', prompt: 'x', attachmentMediaIds: ['nope'] }, 'attachmentMediaIds.0.mediaId'],
      [{ model: 'placeholder' }, 'prompt'],
      [{ model: 'placeholder', prompt: 'x', params: { stepMs: 2 ** 53 } }, 'params.stepMs'],
    ] as const) {
      const response = await generate(body);
      expect(response.status, path).toBe(400);
      const answer = (await response.json()) as { error: { code: string; issues: { path: string[] }[] } };
      expect(answer.error.code).toBe('VALIDATION_FAILED');
      expect(answer.error.issues.map((issue) => issue.path.join('.'))).toContain(path);
    }
    expect(await accountState(test, key.accountId)).toEqual(before);
  });

  it('401, 402, 404 (unknown model and job), 429 with Retry-After', async () => {
    expect((await generate({ model: 'placeholder', prompt: 'x' }, 'wrong')).status).toBe(401);
    const poor = await test.createKey(0);
    const refused = await generate({ model: 'placeholder', prompt: 'x' }, poor.key);
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INSUFFICIENT_CREDITS');
    expect((await generate({ model: 'no-such-model', prompt: 'x' })).status).toBe(404);
    expect((await poll('00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const limited = await test.createKey(10);
    await limitRequests(test, limited.accountId, 1);
    await poll('00000000-0000-0000-0000-000000000000', limited.key);
    const tooMany = await poll('00000000-0000-0000-0000-000000000000', limited.key);
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

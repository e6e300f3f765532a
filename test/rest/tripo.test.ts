import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
import { startFakeUpstream, testPicture, type FakeUpstream } from '../support/fake-upstream.js';
import { pending, ready, submitted } from '../providers/fixtures/bfl/responses.js';
import { accountState, graphqlJob, limitRequests, solidPng } from './support.js';

/**
 * Tripo's generate_image task, driven with fetch as Tripo's docs show. The default model
 * (flux.1_kontext_pro) runs on a local fake of BFL's API; the placeholder covers the rest.
 */

let test: TestApp;
let fake: FakeUpstream;
let key: { key: string; accountId: string };

beforeAll(async () => {
  const picture = await testPicture(64, 48, 'jpeg');
  fake = await startFakeUpstream((request) => {
    if (request.path.startsWith('/samples/')) return { body: picture, headers: { 'content-type': 'image/jpeg' } };
    if (request.method === 'POST') return { json: submitted('tripo-default', `${fake.url}/v1/get_result?id=tripo-default`, 4) };
    return fake.requests.filter((seen) => seen.path === '/v1/get_result').length === 1 ? { json: pending('tripo-default', 0.5) } : { json: ready('tripo-default', `${fake.url}/samples/out.jpeg`) };
  });
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', BFL_API_KEY: 'bfl-test', BFL_BASE_URL: `${fake.url}/v1`, PROVIDER_POLL_MS: '10' });
  key = await test.createKey(1000);
});
afterAll(async () => {
  await test?.stop();
  await fake?.close();
});

const headers = (apiKey = key.key) => ({ Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' });
const createTask = (body: unknown, apiKey?: string) => fetch(`${test.url}/v2/openapi/task`, { method: 'POST', headers: headers(apiKey), body: JSON.stringify(body) });
const getTask = (taskId: string, apiKey?: string) => fetch(`${test.url}/v2/openapi/task/${encodeURIComponent(taskId)}`, { headers: headers(apiKey) });

type Task = { code: number; data: { task_id: string; status: string; progress: number; input: { model_version: string }; output: { generated_image?: string } } };

async function finished(taskId: string): Promise<Task> {
  return waitFor(async () => {
    const task = (await (await getTask(taskId)).json()) as Task;
    return ['success', 'failed', 'cancelled'].includes(task.data.status) && task;
  }, 'the task to finish');
}

describe('POST /v2/openapi/task and GET /v2/openapi/task/:task_id', () => {
  it('runs the documented default flux.1_kontext_pro without model_version, with an uploaded file as file_token', async () => {
    const upload = await fetch(`${test.url}/v1/media`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key.key}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(await solidPng(64, 64, { r: 9, g: 9, b: 9 })),
    });
    const media = (await upload.json()) as { id: string };
    const response = await createTask({ type: 'generate_image', prompt: 'make it a bronze statue', file: { type: 'png', file_token: media.id } });
    expect(response.status).toBe(200);
    const submittedTask = (await response.json()) as { code: number; data: { task_id: string } };
    expect(submittedTask.code).toBe(0);
    const task = await finished(submittedTask.data.task_id);
    expect(task.data).toMatchObject({ status: 'success', progress: 100, input: { model_version: 'flux-kontext-pro' } });
    expect(fake.requests[0]!.path).toBe('/v1/flux-kontext-pro');
    const image = await fetch(task.data.output.generated_image!);
    expect(image.status).toBe(200);
  });

  it('runs any Pictor model as model_version, with files by URL, and reports Tripo status words', async () => {
    const dataUrl = `data:image/png;base64,${(await solidPng(32, 32, { r: 0, g: 0, b: 255 })).toString('base64')}`;
    const response = await createTask({ type: 'generate_image', prompt: 'tiles', model_version: 'placeholder', files: [{ type: 'png', url: dataUrl }] });
    const { data } = (await response.json()) as { data: { task_id: string } };
    const task = await finished(data.task_id);
    expect(task.data.status).toBe('success');
    const picture = Buffer.from(await (await fetch(task.data.output.generated_image!)).arrayBuffer());
    expect((await sharp(picture).metadata()).width).toBe(1024);
    expect((await graphqlJob(test, key.key, data.task_id))?.status).toBe('SUCCEEDED');
  });
});

describe("Tripo's error codes", () => {
  it('400 with code 1004 naming the parameter, writing nothing', async () => {
    const before = await accountState(test, key.accountId);
    for (const [body, field] of [
      [{ type: 'generate_video', prompt: 'x' }, 'type'],
      [{ type: 'generate_image', prompt: 'x', model_version: 'nope' }, 'model_version'],
      [{ type: 'generate_image', prompt: 'a cat 🐱' }, 'prompt'],
      [{ type: 'generate_image', prompt: 'x', model_version: 'placeholder', t_pose: true }, 't_pose'],
      [{ type: 'generate_image', prompt: 'x', file: { url: 'https://example.com/a.png', file_token: 'y' } }, 'file'],
      [{ type: 'generate_image', prompt: 'x', model_version: 'placeholder', template: 'no_such_template' }, 'template'],
    ] as const) {
      const response = await createTask(body);
      expect(response.status, field).toBe(400);
      const answer = (await response.json()) as { code: number; message: string };
      expect(answer.code).toBe(1004);
      expect(answer.message, field).toContain(`${field}`);
    }
    expect(await accountState(test, key.accountId)).toEqual(before);
  });

  it('401 code 1002, 403 code 2010 (insufficient credits, as Tripo documents), 404 code 2001, 429 code 2000 with Retry-After', async () => {
    const unauthorized = await createTask({ type: 'generate_image', prompt: 'x' }, 'wrong');
    expect([unauthorized.status, ((await unauthorized.json()) as { code: number }).code]).toEqual([401, 1002]);

    const poor = await test.createKey(0);
    const noCredits = await createTask({ type: 'generate_image', prompt: 'x', model_version: 'placeholder' }, poor.key);
    expect([noCredits.status, ((await noCredits.json()) as { code: number }).code]).toEqual([403, 2010]);

    const missing = await getTask('00000000-0000-0000-0000-000000000000');
    expect([missing.status, ((await missing.json()) as { code: number }).code]).toEqual([404, 2001]);

    const limited = await test.createKey(10);
    await limitRequests(test, limited.accountId, 1);
    await getTask('00000000-0000-0000-0000-000000000000', limited.key);
    const tooMany = await getTask('00000000-0000-0000-0000-000000000000', limited.key);
    expect([tooMany.status, ((await tooMany.json()) as { code: number }).code]).toEqual([429, 2000]);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

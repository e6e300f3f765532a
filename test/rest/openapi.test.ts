import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Operations } from '../../src/rest/openapi.js';
import { CompletedEvent, PartialImageEvent } from '../../src/rest/openai/schemas.js';
import { restRoutes } from '../../src/rest/router.js';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
import { limitRequests, solidPng } from './support.js';

/** /openapi.json covers every REST route, and every real response validates against it. */

let test: TestApp;
let key: { key: string; accountId: string };
const checked = new Set<string>();

beforeAll(async () => {
  test = await startTestApp();
  key = await test.createKey(1000);
});
afterAll(() => test?.stop());

/** Validates a real response against the documented schema of (method, path template, status). */
async function conforms(method: 'get' | 'post', template: string, response: Response): Promise<unknown> {
  const operation = Operations.find((candidate) => candidate.method === method && candidate.path === template);
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const documented = operation!.responses[response.status];
  expect(documented, `${method} ${template} documents status ${response.status}`).toBeDefined();
  checked.add(`${method} ${template} ${response.status}`);
  if (!documented!.schema) {
    expect(response.headers.get('content-type') ?? '').toMatch(documented!.contentType === 'image/*' ? /^image\// : /^text\/plain/);
    return undefined;
  }
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body: unknown = await response.json();
  const parsed = documented!.schema.safeParse(body);
  expect(parsed.success, `${method} ${template} ${response.status}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  return body;
}

const auth = (apiKey = key.key) => ({ Authorization: `Bearer ${apiKey}` });
const json = (apiKey?: string) => ({ ...auth(apiKey), 'Content-Type': 'application/json' });
const post = (path: string, body: unknown, apiKey?: string) => fetch(`${test.url}${path}`, { method: 'POST', headers: json(apiKey), body: JSON.stringify(body) });
const get = (path: string, apiKey?: string) => fetch(`${test.url}${path}`, { headers: auth(apiKey) });
const fast = { steps: 2, stepMs: 0, resolution: '512' };
const nobody = '00000000-0000-0000-0000-000000000000';

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 and documents every REST route plus /v1/media and /files', async () => {
    const document = (await conforms('get', '/openapi.json', await fetch(`${test.url}/openapi.json`))) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    for (const route of restRoutes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    expect(document.paths['/v1/media']?.post).toBeDefined();
    expect(document.paths['/files/{path}']?.get).toBeDefined();
  });

  it('every route answers what it documents, on success and on each error', async () => {
    const poor = await test.createKey(0);
    const limited = await test.createKey(10);
    await limitRequests(test, limited.accountId, 1);
    await get(`/v2/jobs/${nobody}`, limited.key);

    // OpenAI / OpenRouter
    const generations = '/v1/images/generations';
    await conforms('post', generations, await post(generations, { model: 'placeholder', prompt: 'x', provider: { steps: 2, step_ms: 0 }, size: '512x512' }));
    await conforms('post', generations, await post(generations, { model: 'placeholder', prompt: 'x', n: 0 }));
    await conforms('post', generations, await post(generations, { model: 'placeholder', prompt: 'x' }, 'wrong'));
    await conforms('post', generations, await post(generations, { model: 'placeholder', prompt: 'x' }, poor.key));
    await conforms('post', generations, await post(generations, { model: 'nope', prompt: 'x' }));
    await conforms('post', generations, await post(generations, { model: 'placeholder', prompt: 'x' }, limited.key));
    const form = new FormData();
    form.append('model', 'placeholder');
    form.append('prompt', 'edit');
    form.append('steps', '2');
    form.append('step_ms', '0');
    form.append('size', '512x512');
    form.append('image', await toFile(await solidPng(32, 32, { r: 1, g: 2, b: 3 }), 'a.png', { type: 'image/png' }));
    await conforms('post', '/v1/images/edits', await fetch(`${test.url}/v1/images/edits`, { method: 'POST', headers: auth(), body: form }));
    await conforms('post', '/v1/images/edits', await fetch(`${test.url}/v1/images/edits`, { method: 'POST', headers: auth(), body: new FormData() }));
    const client = new OpenAI({ apiKey: key.key, baseURL: `${test.url}/v1`, maxRetries: 0 });
    const stream = await client.images.generate({ model: 'placeholder', prompt: 'x', stream: true, partial_images: 1, provider: { steps: 2, step_ms: 0 }, size: '512x512' } as never);
    for await (const event of stream as unknown as AsyncIterable<{ type: string }>) {
      const schema = event.type.endsWith('partial_image') ? PartialImageEvent : CompletedEvent;
      expect(schema.safeParse(event).success).toBe(true);
    }

    // Apiframe
    const accepted = (await conforms('post', '/v2/images/generate', await post('/v2/images/generate', { model: 'placeholder', prompt: 'x', placeholderParams: fast }))) as { jobId: string };
    await conforms('post', '/v2/images/generate', await post('/v2/images/generate', { model: 'placeholder' }));
    await conforms('post', '/v2/images/generate', await post('/v2/images/generate', { model: 'placeholder', prompt: 'x' }, 'wrong'));
    await conforms('post', '/v2/images/generate', await post('/v2/images/generate', { model: 'placeholder', prompt: 'x' }, poor.key));
    await conforms('post', '/v2/images/generate', await post('/v2/images/generate', { model: 'placeholder', prompt: 'x' }, limited.key));
    await waitFor(async () => ((await (await get(`/v2/jobs/${accepted.jobId}`)).json()) as { status: string }).status === 'COMPLETED', 'apiframe job');
    await conforms('get', '/v2/jobs/{jobId}', await get(`/v2/jobs/${accepted.jobId}`));
    await conforms('get', '/v2/jobs/{jobId}', await get(`/v2/jobs/${nobody}`));
    await conforms('get', '/v2/jobs/{jobId}', await get(`/v2/jobs/${nobody}`, 'wrong'));

    // Wonda
    const inference = (await conforms('post', '/api/v1/image/generate', await post('/api/v1/image/generate', { model: 'placeholder', prompt: 'x', params: fast }))) as { inferenceJobId: string };
    await conforms('post', '/api/v1/image/generate', await post('/api/v1/image/generate', { model: 'placeholder', prompt: 'x', params: { steps: -1 } }));
    await conforms('post', '/api/v1/image/generate', await post('/api/v1/image/generate', { model: 'nope', prompt: 'x' }));
    await conforms('post', '/api/v1/image/generate', await post('/api/v1/image/generate', { model: 'placeholder', prompt: 'x' }, poor.key));
    await conforms('get', '/api/v1/image/jobs/{inferenceJobId}', await get(`/api/v1/image/jobs/${inference.inferenceJobId}`));
    await conforms('get', '/api/v1/image/jobs/{inferenceJobId}', await get(`/api/v1/image/jobs/${nobody}`));

    // Tripo
    const task = (await conforms('post', '/v2/openapi/task', await post('/v2/openapi/task', { type: 'generate_image', prompt: 'x', model_version: 'placeholder' }))) as { data: { task_id: string } };
    await conforms('post', '/v2/openapi/task', await post('/v2/openapi/task', { type: 'generate_image' }));
    await conforms('post', '/v2/openapi/task', await post('/v2/openapi/task', { type: 'generate_image', prompt: 'x', model_version: 'placeholder' }, poor.key));
    await conforms('get', '/v2/openapi/task/{taskId}', await get(`/v2/openapi/task/${task.data.task_id}`));
    await conforms('get', '/v2/openapi/task/{taskId}', await get(`/v2/openapi/task/${nobody}`));
    await conforms('get', '/v2/openapi/task/{taskId}', await get(`/v2/openapi/task/${nobody}`, 'wrong'));

    // Media and files
    const media = (await conforms(
      'post',
      '/v1/media',
      await fetch(`${test.url}/v1/media`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'image/png' }, body: new Uint8Array(await solidPng(16, 16, { r: 5, g: 5, b: 5 })) }),
    )) as { url: string };
    await conforms('post', '/v1/media', await fetch(`${test.url}/v1/media`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'image/png' }, body: 'not an image' }));
    await conforms('post', '/v1/media', await fetch(`${test.url}/v1/media`, { method: 'POST', headers: auth('wrong'), body: 'x' }));
    await conforms('get', '/files/{path}', await fetch(media.url));
    await conforms('get', '/files/{path}', await fetch(media.url.replace(/sig=[^&]+/, 'sig=forged')));

    // Each REST operation had at least its success and one error checked.
    for (const operation of Operations) {
      const statuses = [...checked].filter((entry) => entry.startsWith(`${operation.method} ${operation.path} `));
      expect(statuses.length, `${operation.method} ${operation.path}`).toBeGreaterThanOrEqual(operation.path === '/openapi.json' ? 1 : 2);
    }
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { accountState } from './support.js';

/** Fuzzed bodies and ids on the Apiframe, Wonda and Tripo routes: never a crash, refusals write nothing. */

let test: TestApp;
let key: { key: string; accountId: string };

beforeAll(async () => {
  test = await startTestApp();
  key = await test.createKey(100_000);
});
afterAll(() => test?.stop());

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('placeholder', '16:9', '2K', '\u0000', '\ud800', 'x'.repeat(100_000), 'data:image/png;base64,AAAA', 'http://127.0.0.1/x.png'),
);
const number = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, 1e21, 0.5));
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), leaf, { maxKeys: 4 }));

const routes = [
  {
    path: '/v2/images/generate',
    body: fc.record(
      {
        model: fc.oneof(fc.constant('placeholder'), text),
        prompt: fc.oneof(fc.constant('fuzz'), text),
        webhookUrl: value,
        webhookEvents: value,
        n: value,
        seed: value,
        placeholderParams: value,
        aspectRatio: value,
      },
      { requiredKeys: ['model', 'prompt'] },
    ),
  },
  {
    path: '/api/v1/image/generate',
    body: fc.record(
      { model: fc.oneof(fc.constant('placeholder'), text), prompt: fc.oneof(fc.constant('fuzz'), text), params: value, attachmentMediaIds: value, n: value, seed: value },
      { requiredKeys: ['model'] },
    ),
  },
  {
    path: '/v2/openapi/task',
    body: fc.record(
      {
        type: fc.oneof(fc.constant('generate_image'), text),
        prompt: fc.oneof(fc.constant('fuzz'), text),
        model_version: fc.oneof(fc.constant('placeholder'), text),
        template: value,
        file: value,
        files: value,
        t_pose: value,
        sketch_to_render: value,
      },
      { requiredKeys: ['type', 'prompt'] },
    ),
  },
] as const;

describe('fuzzed REST input', () => {
  for (const route of routes) {
    it(`POST ${route.path} never crashes and writes nothing when it refuses`, async () => {
      await fc.assert(
        fc.asyncProperty(route.body, async (body) => {
          const before = await accountState(test, key.accountId);
          const response = await fetch(`${test.url}${route.path}`, { method: 'POST', headers: { Authorization: `Bearer ${key.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          expect(response.status).toBeLessThan(500);
          const text = await response.text();
          expect(text.length).toBeLessThan(10_000);
          if (response.status >= 400) expect(await accountState(test, key.accountId)).toEqual(before);
        }),
        { numRuns: 30 },
      );
    });
  }

  it("GET routes answer 404 for any id that is not one of the account's jobs", async () => {
    // A lone '.' is a dot segment, not an id: URL parsing (fetch's, the server's) removes it, and
    // `/v2/openapi/task/.` is the submission route itself (405 for a GET). '..' leaves the routes.
    const anyId = fc.string({ minLength: 1 }).filter((value) => value !== '.');
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyId, fc.uuid(), fc.constantFrom('%00', '..', 'x'.repeat(5000), '%F0%9F')), async (id) => {
        for (const path of ['/v2/jobs/', '/api/v1/image/jobs/', '/v2/openapi/task/']) {
          const response = await fetch(`${test.url}${path}${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${key.key}` } });
          expect(response.status, `${path}${id.slice(0, 20)}`).toBe(404);
          await response.body?.cancel();
        }
      }),
      { numRuns: 25 },
    );
  });
});

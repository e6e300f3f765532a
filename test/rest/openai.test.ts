import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
import { accountState, graphqlJob, halfMask, limitRequests, pixelAt, solidPng } from './support.js';

/** The OpenAI Images API, driven by the official `openai` SDK against Pictor's placeholder model. */

let test: TestApp;
let key: { key: string; accountId: string };
let client: OpenAI;
/** Fast placeholder settings, sent as extra body fields (model params by name). */
const fast = { steps: 2, step_ms: 0 } as Record<string, unknown>;

beforeAll(async () => {
  test = await startTestApp();
  key = await test.createKey(1000);
  client = new OpenAI({ apiKey: key.key, baseURL: `${test.url}/v1`, maxRetries: 0 });
});
afterAll(() => test?.stop());

describe('POST /v1/images/generations', () => {
  it('returns a finished image as b64_json and creates a normal job visible in GraphQL', async () => {
    const { data: result, response } = await client.images
      .generate({ model: 'placeholder', prompt: 'a lighthouse at dusk', size: '1024x1536', output_format: 'webp', ...fast } as OpenAI.ImageGenerateParamsNonStreaming)
      .withResponse();
    expect(result.data).toHaveLength(1);
    const bytes = Buffer.from(result.data![0]!.b64_json!, 'base64');
    const metadata = await sharp(bytes).metadata();
    expect(metadata.format).toBe('webp');
    expect(result.output_format).toBe('webp');
    expect(result.usage?.total_tokens).toBe(0);
    expect((result.usage as unknown as { credits: number }).credits).toBe(1);
    // 1024x1536 is 2:3 at 1K: the placeholder keeps the area of its 1K tier.
    expect(metadata.width! / metadata.height!).toBeCloseTo(2 / 3, 2);
    const jobId = response.headers.get('x-pictor-job-id')!;
    const job = await graphqlJob(test, key.key, jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', modelId: 'placeholder' });
    expect(job!.images[0]).toMatchObject({ width: metadata.width, height: metadata.height, format: 'WEBP' });
  });

  it('answers with signed URLs for response_format url and n images', async () => {
    const result = await client.images.generate({ model: 'placeholder', prompt: 'two moons', n: 2, size: '1024x1024', response_format: 'url', ...fast } as OpenAI.ImageGenerateParamsNonStreaming);
    expect(result.data).toHaveLength(2);
    const pictures = await Promise.all(result.data!.map(async (image) => Buffer.from(await (await fetch(image.url!)).arrayBuffer())));
    expect((await sharp(pictures[0]).metadata()).width).toBe(1024);
    expect(pictures[0]!.equals(pictures[1]!)).toBe(false);
  });

  it('streams partial images as image_generation.partial_image, then image_generation.completed', async () => {
    const stream = await client.images.generate({
      model: 'placeholder',
      prompt: 'a streamed picture',
      size: '1024x1024',
      stream: true,
      partial_images: 2,
      steps: 4,
      step_ms: 0,
    } as OpenAI.ImageGenerateParamsStreaming);
    const events: OpenAI.ImageGenStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    const partials = events.filter((event): event is OpenAI.ImageGenPartialImageEvent => event.type === 'image_generation.partial_image');
    expect(partials.map((event) => event.partial_image_index)).toEqual([0, 1]);
    expect((await sharp(Buffer.from(partials[0]!.b64_json, 'base64')).metadata()).width).toBeGreaterThan(0);
    const completed = events.at(-1) as OpenAI.ImageGenCompletedEvent;
    expect((await sharp(Buffer.from(completed.b64_json, 'base64')).metadata()).width).toBe(1024);
    expect(completed.usage.total_tokens).toBe(0);
  });
});

describe('a stream the client leaves', () => {
  it('stops streaming without harm; the job still finishes and shows in GraphQL', async () => {
    const controller = new AbortController();
    const { data: stream, response } = await client.images
      .generate({ model: 'placeholder', prompt: 'left early', size: '512x512', stream: true, partial_images: 3, steps: 4, step_ms: 150 } as OpenAI.ImageGenerateParamsStreaming, {
        signal: controller.signal,
      })
      .withResponse();
    for await (const event of stream) {
      expect(event.type).toBe('image_generation.partial_image');
      controller.abort();
      break;
    }
    const jobId = response.headers.get('x-pictor-job-id')!;
    const finished = await waitFor(async () => {
      const job = await graphqlJob(test, key.key, jobId);
      return job?.status === 'SUCCEEDED' && job;
    }, 'the abandoned job to finish');
    expect(finished.images).toHaveLength(1);
  });
});

describe('POST /v1/images/edits', () => {
  it('edits an uploaded image with a mask: the opaque part of the mask keeps the original', async () => {
    const red = await solidPng(512, 512, { r: 255, g: 0, b: 0 });
    const result = await client.images.edit({
      model: 'placeholder',
      image: await toFile(red, 'red.png', { type: 'image/png' }),
      mask: await toFile(await halfMask(512, 512), 'mask.png', { type: 'image/png' }),
      prompt: 'paint the right half',
      size: '1024x1024',
      ...fast,
    } as OpenAI.ImageEditParamsNonStreaming);
    const bytes = Buffer.from(result.data![0]!.b64_json!, 'base64');
    expect(await pixelAt(bytes, 100, 100)).toEqual([255, 0, 0]);
    expect(await pixelAt(bytes, 900, 500)).not.toEqual([255, 0, 0]);
  });

  it('takes several images as image[] and streams image_edit events', async () => {
    const images = await Promise.all(
      [
        { r: 0, g: 0, b: 255 },
        { r: 0, g: 255, b: 0 },
      ].map(async (color, index) => toFile(await solidPng(64, 64, color), `ref-${index}.png`, { type: 'image/png' })),
    );
    const stream = await client.images.edit({ model: 'placeholder', image: images, prompt: 'tiles', size: '1024x1024', stream: true, partial_images: 1, ...fast } as OpenAI.ImageEditParamsStreaming);
    const events: OpenAI.ImageEditStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['image_edit.partial_image', 'image_edit.completed']);
    // The references are laid out as tiles along the bottom edge, in order.
    const picture = Buffer.from((events[1] as OpenAI.ImageEditCompletedEvent).b64_json, 'base64');
    const first = await pixelAt(picture, 40 + 60, 1024 - 40 - 60);
    expect(first[2]).toBeGreaterThan(200);
  });

  it('refuses a file that is not an image, naming the field', async () => {
    const error = await client.images.edit({ model: 'placeholder', image: await toFile(Buffer.from('not an image'), 'a.png', { type: 'image/png' }), prompt: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('image');
  });
});

describe('errors in OpenAI envelopes, as the SDK classes', () => {
  it('400 names the field and writes nothing', async () => {
    const before = await accountState(test, key.accountId);
    for (const [body, param] of [
      [{ model: 'placeholder', prompt: 'x', n: 11 }, 'n'],
      [{ model: 'placeholder', prompt: '' }, 'prompt'],
      [{ model: 'placeholder', prompt: 'x', steps: 0 }, 'steps'],
      [{ model: 'placeholder', prompt: 'x', background: 'x'.repeat(100_000) }, 'background'],
      [{ model: 'placeholder', prompt: 'x\u0000' }, 'prompt'],
      [{ model: 'placeholder', prompt: 'lone \ud800 surrogate' }, 'prompt'],
      [{ model: 'placeholder', prompt: 'x', size: 'banana' }, 'size'],
      [{ model: 'placeholder', prompt: 'x', n: 2 ** 53 }, 'n'],
    ] as const) {
      const error = (await client.images.generate(body as never).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.BadRequestError>;
      expect(error, JSON.stringify(param)).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe(param);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message.length).toBeLessThan(2000);
    }
    expect(await accountState(test, key.accountId)).toEqual(before);
  });

  it('401 for a missing or wrong key', async () => {
    const stranger = new OpenAI({ apiKey: 'pk_wrong', baseURL: `${test.url}/v1`, maxRetries: 0 });
    await expect(stranger.images.generate({ model: 'placeholder', prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('402 when the balance does not cover the job, moving no credits', async () => {
    const poor = await test.createKey(0);
    const poorClient = new OpenAI({ apiKey: poor.key, baseURL: `${test.url}/v1`, maxRetries: 0 });
    const error = (await poorClient.images.generate({ model: 'placeholder', prompt: 'x' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    expect(error.type).toBe('insufficient_quota');
    expect(await accountState(test, poor.accountId)).toEqual({ jobs: 0, balance: 0 });
  });

  it('404 for an unknown model', async () => {
    const error = (await client.images.generate({ model: 'no-such-model', prompt: 'x' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.NotFoundError>;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.param).toBe('model');
  });

  it('429 with Retry-After once the per-minute budget is spent', async () => {
    const limited = await test.createKey(10);
    await limitRequests(test, limited.accountId, 1);
    const limitedClient = new OpenAI({ apiKey: limited.key, baseURL: `${test.url}/v1`, maxRetries: 0 });
    await limitedClient.images.generate({ model: 'placeholder', prompt: 'first', ...fast } as never);
    const error = (await limitedClient.images.generate({ model: 'placeholder', prompt: 'second' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('504 with the job id when the job outlives REST_SYNC_TIMEOUT_MS, and the job keeps running', async () => {
    const slow = await startTestApp({ REST_SYNC_TIMEOUT_MS: '50' });
    try {
      const slowKey = await slow.createKey(10);
      const slowClient = new OpenAI({ apiKey: slowKey.key, baseURL: `${slow.url}/v1`, maxRetries: 0 });
      const error = (await slowClient.images.generate({ model: 'placeholder', prompt: 'slow', steps: 3, step_ms: 300 } as never).catch((caught: unknown) => caught)) as InstanceType<
        typeof OpenAI.APIError
      >;
      expect(error.status).toBe(504);
      const jobId = error.headers?.get('x-pictor-job-id');
      expect(jobId).toBeTruthy();
      expect((await graphqlJob(slow, slowKey.key, jobId!))?.status).toMatch(/QUEUED|RUNNING|SUCCEEDED/);
    } finally {
      await slow.stop();
    }
  });
});

describe('fuzzed bodies', () => {
  it('never crash the route: every answer is an OpenAI envelope or images, and refusals write nothing', async () => {
    const fc = await import('fast-check');
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('1024x1024', '2K', '16:9', 'auto', 'high', '\u0000', '\ud800', 'x'.repeat(100_000)));
    const number = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1e21, 0.5, Number.MAX_SAFE_INTEGER));
    const value = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }));
    const body = fc.record(
      {
        model: fc.oneof(fc.constant('placeholder'), text),
        prompt: fc.oneof(fc.constant('a fuzzed picture'), text),
        n: fc.oneof(fc.constant(1), number, value),
        size: fc.oneof(fc.constant('512x512'), value),
        aspect_ratio: value,
        resolution: value,
        quality: value,
        seed: fc.oneof(number, value),
        input_references: fc.oneof(fc.array(text, { maxLength: 2 }), value),
        provider: value,
        response_format: value,
      },
      { requiredKeys: ['model', 'prompt'] },
    );
    const fuzzKey = await test.createKey(10_000);
    await fc.assert(
      fc.asyncProperty(body, async (fuzzed) => {
        const before = await accountState(test, fuzzKey.accountId);
        // Fast placeholder runs whatever else is sent, so accepted bodies finish quickly.
        const response = await fetch(`${test.url}/v1/images/generations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${fuzzKey.key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...fuzzed, steps: 1, step_ms: 0, resolution: '512' }),
        });
        expect(response.status).not.toBe(500);
        const answer = (await response.json()) as { data?: unknown[]; error?: { message: string; type: string } };
        if (response.status === 200) expect(answer.data?.length).toBeGreaterThan(0);
        else {
          expect(typeof answer.error?.message).toBe('string');
          expect(answer.error!.message.length).toBeLessThan(5_000);
          if (response.status === 400 || response.status === 404) expect(await accountState(test, fuzzKey.accountId)).toEqual(before);
        }
      }),
      { numRuns: 40 },
    );
  });
});

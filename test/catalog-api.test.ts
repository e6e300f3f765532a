import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeParameters } from '../src/catalog/listing/describe.js';
import { models } from '../src/catalog/index.js';
import { enumValueName, modelFieldName } from '../src/catalog/listing/names.js';
import { templates } from '../src/catalog/rules/templates.js';
import { collect, GENERATE, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';

let test: TestApp;
let key: string;

beforeAll(async () => {
  // One query resolves every alias at once: allow more aliases than the default limit.
  test = await startTestApp({ MAX_ALIASES: '1000', MAX_QUERY_COST: '1000000' });
  key = (await test.createKey(1000)).key;
});
afterAll(() => test?.stop());

const WITH_PARAMS = `mutation($input: GenerateImageWithParamsInput!) {
  generateImageWithParams(input: $input) {
    __typename
    ... on GenerateImageSuccess { job { id modelId n params warnings } }
    ... on Error { code message }
    ... on ValidationError { issues { path message } }
  }
}`;

const withParams = async (input: Record<string, unknown>) => (await test.graphql(WITH_PARAMS, { input }, key)).body.data.generateImageWithParams;
const balance = async () => (await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance as number;

describe('discovery (generated from the catalog)', () => {
  it('lists every catalog model, each reachable by its id and every alias', async () => {
    const { body } = await test.graphql('{ models { id inputField parameters { name required allowedValues graphqlValues default } } }', {}, key);
    expect(body.data.models.map((model: { id: string }) => model.id)).toEqual(models.map((model) => model.id));
    for (const listed of body.data.models) {
      const model = models.find((candidate) => candidate.id === listed.id)!;
      expect(listed.inputField).toBe(modelFieldName(model.id));
      expect(listed.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(describeParameters(model).map((parameter) => parameter.name));
      for (const parameter of listed.parameters) {
        if (parameter.allowedValues) expect(parameter.graphqlValues).toEqual(parameter.allowedValues.map(enumValueName));
      }
    }
    const aliases = models.flatMap((model) => model.aliases.map((alias) => [alias, model.id] as const));
    const query = `{ ${aliases.map(([alias], index) => `a${index}: model(id: ${JSON.stringify(alias)}) { id }`).join(' ')} }`;
    const resolved = (await test.graphql(query, {}, key)).body.data;
    aliases.forEach(([alias, id], index) => expect([alias, resolved[`a${index}`].id]).toEqual([alias, id]));
  });

  it('filters by capability, vendor, availability and words', async () => {
    const run = async (filter: Record<string, unknown>) =>
      (await test.graphql('query($filter: ModelFilter) { models(filter: $filter) { id vendor available capabilities { transparentBackground } } }', { filter }, key)).body.data.models as any[];
    const transparent = await run({ capability: 'TRANSPARENT_BACKGROUND' });
    expect(transparent.length).toBeGreaterThan(0);
    expect(transparent.every((model) => model.capabilities.transparentBackground)).toBe(true);
    const google = await run({ vendor: 'google' });
    expect(google.map((model) => model.id)).toContain('nano-banana-2');
    expect(google.every((model) => model.vendor.toLowerCase().startsWith('google'))).toBe(true);
    // Offline, the development model and the local engines (and the models that fall back to them) can run.
    expect((await run({ available: true })).map((model) => model.id)).toEqual(['placeholder', 'birefnet-bg-removal', 'runware-vectorize', 'local-background-removal', 'local-vectorize']);
    expect((await run({ search: 'seedream 4.5' })).map((model) => model.id)).toContain('seedream-4.5');
  });

  it('says why a model cannot run, and refuses to queue it without charging', async () => {
    const { body } = await test.graphql('{ model(id: "nano-banana-2") { available unavailableReason routes { provider configured } } }', {}, key);
    expect(body.data.model.available).toBe(false);
    expect(body.data.model.unavailableReason).toMatch(/gemini|fal|openrouter/);
    const before = await balance();
    const result = await test.graphql(GENERATE, { input: { model: { nanoBanana2: { prompt: 'a mug', aspectRatio: 'RATIO_16_9', resolution: 'RES_2K' } } } }, key);
    expect(result.body.data.generateImage).toMatchObject({ __typename: 'ModelUnavailableError', code: 'MODEL_UNAVAILABLE' });
    expect(await balance()).toBe(before);
  });

  it('lists the templates', async () => {
    const { body } = await test.graphql('{ templates { slug promptPrefix requiresInputImage models { id } } }', {}, key);
    expect(body.data.templates.map((template: { slug: string }) => template.slug)).toEqual(templates.map((template) => template.slug));
    expect(body.data.templates).toHaveLength(8);
  });
});

describe('validation errors name the exact input path', () => {
  it('points into the typed model input', async () => {
    const { body } = await test.graphql(GENERATE, { input: { model: { nanoBanana2: { prompt: 'x'.repeat(2001) } } } }, key);
    expect(body.data.generateImage.__typename).toBe('ValidationError');
    expect(body.data.generateImage.issues[0].path).toEqual(['model', 'nanoBanana2', 'prompt']);
  });

  it('names the allowed values of an enum on the model-agnostic path', async () => {
    const result = await withParams({ model: 'seedream-4-5', prompt: 'a cat', params: { resolution: '8K' } });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toEqual(['params', 'resolution']);
    expect(result.issues[0].message).toContain('2K');
    expect(result.issues[0].message).toContain('4K');
  });

  it('refuses characters a model rejects and [image N] beyond the references given', async () => {
    const emoji = await withParams({ model: 'gpt_4o', prompt: 'a cat 🐱' });
    expect(emoji.issues.map((issue: { path: string[] }) => issue.path)).toContainEqual(['prompt']);
    const beyond = await withParams({ model: 'nano-banana-2', prompt: 'use the style of [image 2]', references: [{ url: 'https://example.com/a.png' }] });
    expect(beyond.issues.map((issue: { path: string[] }) => issue.path)).toContainEqual(['prompt']);
  });

  it('rejects a size that conflicts with the aspect ratio, and transparency in jpeg', async () => {
    const conflict = await withParams({ model: 'placeholder', prompt: 'x', size: '2048x1024', aspectRatio: '1:1' });
    expect(conflict.issues.map((issue: { path: string[] }) => issue.path[0])).toContain('size');
    const transparent = await withParams({ model: 'gpt-image-1.5', prompt: 'x', output: { format: 'JPEG', background: 'TRANSPARENT' } });
    expect(transparent.__typename).toBe('ValidationError');
    expect(transparent.issues.map((issue: { path: string[] }) => issue.path[0])).toContain('output');
  });

  it('rejects an unknown model id', async () => {
    expect((await withParams({ model: 'no-such-model', prompt: 'x' })).issues[0].path).toEqual(['model']);
  });
});

describe('normalized options on a runnable model', () => {
  it('maps an aspect ratio it lacks to the nearest one, with a warning on the job', async () => {
    const result = await withParams({ model: 'dev-placeholder', prompt: 'wide', aspectRatio: '16:10', resolution: '1K', params: { stepMs: 0, steps: 1 } });
    expect(result.__typename).toBe('GenerateImageSuccess');
    // 16:10 (1.6) is nearer 3:2 (1.5) than 16:9 (1.78) by log distance.
    expect(result.job.params.aspectRatio).toBe('3:2');
    expect(result.job.warnings.join(' ')).toMatch(/16:10/);
  });

  it('splits n above the model maximum into several calls and re-encodes the output', async () => {
    const before = await balance();
    const result = await withParams({ model: 'placeholder', prompt: 'many', n: 6, params: { stepMs: 0, steps: 1, resolution: '512' }, output: { format: 'JPEG', compression: 60 } });
    expect(result.__typename).toBe('GenerateImageSuccess');
    const updates = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: result.job.id });
    const job = updates.at(-1).jobUpdated.job;
    expect(job.status).toBe('SUCCEEDED');
    expect(job.images).toHaveLength(6);
    expect(new Set(job.images.map((image: { sha256: string }) => image.sha256)).size).toBe(6);
    expect(job.images.every((image: { format: string }) => image.format === 'JPEG')).toBe(true);
    expect(await balance()).toBe(before - 6);
  });
});

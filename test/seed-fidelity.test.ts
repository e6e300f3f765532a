import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTripoGenerateImage } from '../src/catalog/rules/tripo-request.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The seed rules as a GraphQL client sees them: the price shown before submitting equals the
 * credits the job holds, per name and per input case; one seed mistake gives one message.
 * Workers do not run here (ROLE=api): only submission is under test, and queued jobs stay put.
 */

let test: TestApp;
let key: string;

// A 1x1 PNG and a 1x1 WebP, as clients send references inline.
const PngDataUrl = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WebpDataUrl = 'data:image/webp;base64,UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA';

beforeAll(async () => {
  // Providers configured (never called: no worker) so the Tripo versions can be submitted.
  test = await startTestApp({ ROLE: 'api', BFL_API_KEY: 'bfl-test', OPENAI_API_KEY: 'openai-test', APIFRAME_API_KEY: 'apiframe-test', GEMINI_API_KEY: 'gemini-test' });
  key = (await test.createKey(10_000)).key;
});
afterAll(() => test?.stop());

const SUBMIT = `mutation($input: GenerateImageWithParamsInput!) {
  generateImageWithParams(input: $input) {
    __typename
    ... on GenerateImageSuccess { job { id modelId requestedModelId creditsHeld warnings } }
    ... on ValidationError { issues { path message } }
    ... on Error { code message }
  }
}`;
const submit = async (input: Record<string, unknown>) => (await test.graphql(SUBMIT, { input }, key)).body.data.generateImageWithParams;

describe('price shown = price held', () => {
  // Seed 004: "midjourney(unable to use with image file)" ... "it will upgraded to default version";
  // flux.1_kontext_pro costs 5 credits, midjourney 10.
  it('tripo:midjourney shows 10 without files and 5 with one, and the jobs hold exactly that', async () => {
    const { body } = await test.graphql(`{ model(id: "tripo:midjourney") { id namedBy rules price withFile: price(references: 1) pricing { condition credits runsModelId references } } }`, {}, key);
    const model = body.data.model;
    expect(model).toMatchObject({ id: 'midjourney', namedBy: 'tripo', price: 10, withFile: 5 });
    expect(model.rules[0]).toContain('10 credits per image whatever the parameters');
    expect(model.pricing).toEqual([
      { condition: 'default parameters', credits: 10, runsModelId: 'midjourney', references: 0 },
      { condition: 'with reference images (runs flux.1_kontext_pro (tripo))', credits: 5, runsModelId: 'flux-kontext-pro', references: 1 },
    ]);
    const plain = await submit({ model: 'tripo:midjourney', prompt: 'a castle' });
    expect(plain.job).toMatchObject({ modelId: 'midjourney', creditsHeld: 10 });
    const upgraded = await submit({ model: 'tripo:midjourney', prompt: 'a castle', references: [{ dataUrl: PngDataUrl }] });
    expect(upgraded.job).toMatchObject({ modelId: 'flux-kontext-pro', requestedModelId: 'midjourney', creditsHeld: 5 });
  });

  it("Pictor's own midjourney lists its upgrade case too", async () => {
    const { body } = await test.graphql(`{ model(id: "midjourney") { namedBy price withFile: price(references: 1) pricing { condition credits } } }`, {}, key);
    expect(body.data.model.namedBy).toBeNull();
    expect(body.data.model.pricing.at(-1)).toEqual({ condition: 'with reference images (runs flux-kontext-pro)', credits: 5 });
    expect(body.data.model.withFile).toBe(5);
  });

  // Seed 004: "No additional credits cost by parameters."
  it("gpt_4o at high quality and 1536x1024 shows and holds 5; Pictor's gpt-image-1 lists its quality cases", async () => {
    const { body } = await test.graphql(
      `{ tripo: model(id: "gpt_4o") { price(params: { quality: "high", size: "1536x1024" }) pricing { condition } }
         own: model(id: "gpt-image-1") { high: price(params: { quality: "high" }) pricing { condition credits } } }`,
      {},
      key,
    );
    expect(body.data.tripo.price).toBe(5);
    expect(body.data.tripo.pricing).toEqual([{ condition: 'default parameters' }]);
    expect(body.data.own.pricing.map((entry: { condition: string }) => entry.condition)).toContain('quality = high');
    const job = await submit({ model: 'gpt_4o', prompt: 'a vase', params: { quality: 'high', size: '1536x1024' } });
    expect(job.job.creditsHeld).toBe(5);
  });

  it('an invalid estimate is null, never an error', async () => {
    const { body } = await test.graphql(`{ model(id: "gpt_4o") { a: price(references: -1) b: price(params: [1]) c: price(params: { quality: "ultra" }) } }`, {}, key);
    expect(body.data.model).toEqual({ a: null, b: null, c: null });
  });
});

describe('Tripo prompt rules in GraphQL', () => {
  // Seed 004: "emojis and certain special Unicode characters are not supported."
  it('gemini_3_pro_image_preview refuses an emoji naming it and holds nothing', async () => {
    const before = (await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance;
    const result = await submit({ model: 'gemini_3_pro_image_preview', prompt: 'a cat 🐱 on a mat' });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toEqual([{ path: ['prompt'], message: expect.stringContaining('"🐱" (U+1F431) at position 7; gemini_3_pro_image_preview (tripo)') }]);
    expect((await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance).toBe(before);
  });
});

describe('seed', () => {
  it('a negative seed gets exactly one message', async () => {
    const result = await submit({ model: 'nano-banana', prompt: 'x', seed: -1 });
    expect(result.issues).toEqual([{ path: ['seed'], message: 'seed must be an integer from 0 to 4294967295 (got -1)' }]);
  });
});

describe('WebP references', () => {
  // Seed 004: "flux.1_kontext_pro does not support WebP input images." README: converted to PNG when the job runs.
  it('a WebP data URL for kontext is accepted with a warning that it is converted', async () => {
    const result = await submit({ model: 'flux.1_kontext_pro', prompt: 'make it night', references: [{ dataUrl: WebpDataUrl }] });
    expect(result.__typename).toBe('GenerateImageSuccess');
    expect(result.job.warnings).toEqual(['references[0] is webp, which flux.1_kontext_pro (tripo) does not accept; it is converted to PNG']);
  });
});

describe('templates', () => {
  // Seed 004: "the system prepends the template prompt before your prompt and merges template images
  // as additional reference images".
  it("t_pose on nano-banana stores its guide image after the client's reference and prefixes the prompt", async () => {
    const result = await submit({ model: 'gemini_2.5_flash_image_preview', prompt: 'my knight', template: 't_pose', references: [{ dataUrl: PngDataUrl }] });
    expect(result.__typename).toBe('GenerateImageSuccess');
    const [row] = await test.app.services.database.sql<{ referenceImages: { dataUrl?: string }[]; params: { prompt: string } }[]>`
      select reference_images as "referenceImages", params from jobs where id = ${result.job.id}`;
    expect(row!.referenceImages).toHaveLength(2);
    expect(row!.referenceImages[0]!.dataUrl).toBe(PngDataUrl);
    expect(row!.referenceImages[1]!.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(row!.params.prompt).toMatch(/T-pose.*pose guide.*my knight$/s);
  });

  it("figure without an image runs, with Tripo's recommendation as a warning", async () => {
    const result = await submit({ model: 'gemini_3.1_flash_image_preview', prompt: 'a knight', template: 'figure' });
    expect(result.job.warnings).toContain('Template figure works best with an input image (Tripo: "Best with: Nano Banana 2, Image Input, HD Model")');
  });
});

describe('accepted but ignored: never', () => {
  // Seed 000: "styleId | string | No | Optional style UUID to apply".
  it('lists the styles, applies one and refuses an unknown styleId without charging', async () => {
    const { body } = await test.graphql('{ styles { id name } }', {}, key);
    expect(body.data.styles.map((style: { name: string }) => style.name)).toContain('Watercolor');
    const applied = await submit({ model: 'nano-banana-2', prompt: 'a mug', params: { styleId: body.data.styles[0].id } });
    expect(applied.__typename).toBe('GenerateImageSuccess');
    const before = (await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance;
    const refused = await submit({ model: 'nano-banana-2', prompt: 'a mug', params: { styleId: '3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f' } });
    expect(refused.issues[0].path).toEqual(['params', 'styleId']);
    expect(refused.issues[0].message).toContain('Unknown styleId');
    expect((await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance).toBe(before);
  });

  // Seeds 001/002: "High-efficiency with Google Search grounding"; "Cinematic-quality with style control".
  it('refuses grounding on nano-banana-2 and style on seedream-3.1, saying why', async () => {
    const grounding = await submit({ model: 'nano-banana-2', prompt: "today's weather in Paris", params: { grounding: true } });
    expect(grounding.issues).toEqual([{ path: ['params', 'grounding'], message: expect.stringContaining('Google Search grounding') }]);
    const style = await submit({ model: 'seedream-3.1', prompt: 'a street', params: { style: 'cinematic' } });
    expect(style.issues[0].message).toContain('describe the style in the prompt');
  });
});

describe('a Tripo generate_image body through the GraphQL submission path', () => {
  // Seed 004: "file_token: The identifier you get from upload ... Mutually exclusive with url and object."
  // "object (Strongly Recommended): ... bucket: Normally it always will be tripo-data. key: The resource_uri".
  it("file_token and object name the caller's media; the job runs the documented default at Tripo's price", async () => {
    const imported = (await test.graphql('mutation($url: String!) { importMedia(url: $url) { ... on ImportMediaSuccess { media { id } } } }', { url: PngDataUrl }, key)).body.data.importMedia.media
      .id as string;
    const read = readTripoGenerateImage({
      type: 'generate_image',
      prompt: 'Use the style of image[1] with colors from image[2]',
      files: [
        { type: 'png', file_token: imported },
        { type: 'png', object: { bucket: 'tripo-data', key: imported } },
      ],
    });
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.request.modelVersion).toBe('flux.1_kontext_pro');
    const result = await submit({ model: `tripo:${read.request.modelVersion}`, prompt: read.request.params.prompt, references: read.request.references });
    expect(result.job).toMatchObject({ modelId: 'flux-kontext-pro', creditsHeld: 5 });
    const [row] = await test.app.services.database.sql<{ referenceImages: unknown[] }[]>`select reference_images as "referenceImages" from jobs where id = ${result.job.id}`;
    expect(row!.referenceImages).toEqual([{ mediaId: imported }, { mediaId: imported }]);
  });
});

import { describe, expect, it } from 'vitest';
import { describeParameter } from '../../src/catalog/listing/describe.js';
import { CapabilityFilters, filterModels, modelAvailability } from '../../src/catalog/listing/discovery.js';
import { findModel, models } from '../../src/catalog/index.js';
import { prepareGeneration } from '../../src/catalog/rules/validate.js';

/**
 * Fidelity to the reference APIs (shared/seeds): every id they use resolves, Wonda's parameter
 * tables are encoded exactly, Tripo's prices hold. These are facts a client of those APIs relies
 * on when switching to Pictor.
 */

const ApiframeIds = [
  'midjourney',
  'nano-banana',
  'nano-banana-pro',
  'nano-banana-2',
  'flux-1.1-pro',
  'flux-1.1-pro-ultra',
  'flux-2-pro',
  'flux-2-dev',
  'flux-2-flex',
  'flux-2-max',
  'seedream-3',
  'seedream-3.1',
  'seedream-4',
  'seedream-4.5',
  'seedream-5-lite',
  'ideogram-v2',
  'ideogram-v2-turbo',
  'ideogram-v2a',
  'ideogram-v2a-turbo',
  'ideogram-v3-balanced',
  'ideogram-v3-turbo',
  'ideogram-v3-quality',
  'ideogram-character',
  'imagen-3',
  'imagen-3-fast',
  'imagen-4',
  'imagen-4-ultra',
  'imagen-4-fast',
  'dall-e-3',
  'dall-e-2',
  'gpt-image-1.5',
  'kling-image',
  'qwen-image',
  'qwen-image-2',
  'qwen-image-2-pro',
  'wan-image-2.6',
  'wan-image-2.7',
  'wan-image-2.7-pro',
  'grok-imagine-image',
  'reve-create',
];

/** Wonda's model keys and the canonical id each must resolve to. */
const WondaIds: Record<string, string> = {
  'nano-banana-2': 'nano-banana-2',
  'nano-banana-pro': 'nano-banana-pro',
  'seedream-4-5': 'seedream-4.5',
  'z-image': 'z-image',
  'gpt-image-1-5': 'gpt-image-1.5',
  'grok-imagine': 'grok-imagine',
  'grok-imagine-pro': 'grok-imagine-pro',
  'birefnet-bg-removal': 'birefnet-bg-removal',
  'runware-vectorize': 'runware-vectorize',
};

/** Tripo's model_version values, the model each is, and its price in credits. */
const TripoVersions: [string, string, number][] = [
  ['flux.1_kontext_pro', 'flux-kontext-pro', 5],
  ['flux.1_dev', 'flux-1-dev', 5],
  ['gpt_4o', 'gpt-image-1', 5],
  ['gemini_2.5_flash_image_preview', 'nano-banana', 5],
  ['gpt_image_1.5', 'gpt-image-1.5', 10],
  ['gpt_image_2', 'gpt-image-2', 10],
  ['midjourney', 'midjourney', 10],
  ['gemini_3_pro_image_preview', 'nano-banana-pro', 10],
  ['gemini_3.1_flash_image_preview', 'nano-banana-2', 10],
];

/** Wonda's tables: model, param, allowed values in Wonda's order, default. */
const WondaTables: [string, string, string[], string][] = [
  ['nano-banana-2', 'aspectRatio', ['9:16', '16:9', '1:1', '4:5', '4:3', '3:4', '3:2', '2:3', '21:9', '8:1', '1:8', '4:1', '1:4', 'auto'], '9:16'],
  ['nano-banana-2', 'resolution', ['1K', '2K', '4K'], '1K'],
  ['nano-banana-pro', 'aspectRatio', ['9:16', '16:9', '1:1', '4:5', '4:3', '3:4', '3:2', '2:3', '21:9', 'auto'], '9:16'],
  ['nano-banana-pro', 'resolution', ['1K', '2K', '4K'], '1K'],
  ['seedream-4-5', 'aspectRatio', ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'], '16:9'],
  ['seedream-4-5', 'resolution', ['2K', '4K'], '2K'],
  ['z-image', 'aspectRatio', ['1:1', '21:9', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '9:21'], '9:16'],
  ['gpt-image-1-5', 'aspectRatio', ['1:1', '16:9', '9:16'], '9:16'],
  ['gpt-image-1-5', 'quality', ['auto', 'high', 'medium', 'low'], 'auto'],
  ['gpt-image-1-5', 'background', ['auto', 'transparent', 'opaque'], 'auto'],
  ['grok-imagine', 'aspectRatio', ['9:16', '16:9', '1:1', '4:3', '3:4', '3:2', '2:3', '2:1', '1:2', 'auto'], '9:16'],
  ['grok-imagine', 'resolution', ['1k', '2k'], '1k'],
  ['grok-imagine-pro', 'aspectRatio', ['9:16', '16:9', '1:1', '4:3', '3:4', '3:2', '2:3', '2:1', '1:2', 'auto'], '9:16'],
  ['grok-imagine-pro', 'resolution', ['1k', '2k'], '1k'],
  ['birefnet-bg-removal', 'bgRemovalModel', ['portrait', 'general-fast', 'general-premium'], 'general-fast'],
  ['birefnet-bg-removal', 'quality', ['low', 'high'], 'low'],
  ['runware-vectorize', 'vectorizeModel', ['recraft:1@1', 'picsart:1@1'], 'recraft:1@1'],
];

/** Wonda's attachment rules: maximum references and whether one is required. */
const WondaAttachments: [string, number, boolean][] = [
  ['nano-banana-2', 14, false],
  ['nano-banana-pro', 14, false],
  ['seedream-4-5', 14, false],
  ['z-image', 0, false],
  ['gpt-image-1-5', 16, false],
  ['grok-imagine', 1, false],
  ['grok-imagine-pro', 1, false],
  ['birefnet-bg-removal', 1, true],
  ['runware-vectorize', 1, true],
];

describe('reference API ids', () => {
  it.each(ApiframeIds.map((id) => [id]))('Apiframe %s resolves', (id) => expect(findModel(id)).toBeDefined());
  it.each(Object.entries(WondaIds))('Wonda %s is %s', (key, id) => expect(findModel(key)?.id).toBe(id));
  it.each(TripoVersions)('Tripo %s is %s at %i credits by default', (version, id, credits) => {
    const model = findModel(version)!;
    expect(model.id).toBe(id);
    const result = prepareGeneration(model, { params: { prompt: 'a vase' }, referenceCount: 0 });
    expect(result.ok && result.price).toBe(credits);
  });
  it("lists exactly Tripo's flux.1_kontext_pro file limit of 4 and gpt_4o/gemini 2.5 limit of 10", () => {
    expect(findModel('flux.1_kontext_pro')!.capabilities.maxReferenceImages).toBe(4);
    for (const version of ['gpt_4o', 'gpt_image_2', 'gemini_2.5_flash_image_preview']) expect(findModel(version)!.capabilities.maxReferenceImages).toBe(10);
  });
});

describe("Wonda's parameter tables", () => {
  it.each(WondaTables)('%s %s', (modelKey, name, values, fallback) => {
    const parameter = describeParameter(findModel(modelKey)!, name)!;
    expect(parameter.allowedValues).toEqual(values);
    expect(parameter.default).toBe(fallback);
  });
  it.each(WondaAttachments)('%s takes up to %i references (required: %s)', (modelKey, maxReferenceImages, required) => {
    const { capabilities } = findModel(modelKey)!;
    expect(capabilities.maxReferenceImages).toBe(maxReferenceImages);
    expect(capabilities.requiresInputImage).toBe(required);
  });
  // Seed 000: "styleId | string | No | Optional style UUID to apply" (nano-banana-2, nano-banana-pro).
  it('applies a style of the server-side table where Wonda documents styleId, and refuses any other id', () => {
    for (const id of ['nano-banana-2', 'nano-banana-pro']) {
      const model = findModel(id)!;
      const applied = prepareGeneration(model, { params: { prompt: 'a mug', styleId: '7AB6D28C-4D73-4DD0-8B73-796A449A6C3B' }, referenceCount: 0 });
      expect(applied.ok && applied.params.prompt).toBe('In a loose watercolor painting style with soft washes, visible paper texture and gentle color bleeding: a mug');
      // Carried out in the prompt, so no route reports it as ignored.
      expect(applied.ok && 'styleId' in applied.params).toBe(false);
      const unknown = prepareGeneration(model, { params: { prompt: 'x', styleId: '3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f' }, referenceCount: 0 });
      expect(unknown.ok).toBe(false);
      expect(!unknown.ok && unknown.issues).toEqual([
        { path: ['styleId'], message: expect.stringMatching(/^Unknown styleId 3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f; this deployment's styles are: Watercolor \(7ab6d28c/), code: 'unknown_style' },
      ]);
      expect(prepareGeneration(model, { params: { prompt: 'x', styleId: 'watercolor' }, referenceCount: 0 }).ok).toBe(false);
    }
  });
});

describe('documented features Pictor cannot carry out are refused, never dropped', () => {
  // Seeds 001/002: "Nano Banana 2 | High-efficiency with Google Search grounding" and
  // "Seedream 3.1 | Cinematic-quality with style control (Dreamina 3.1)".
  it.each([
    ['nano-banana-2', 'grounding', true],
    ['nano-banana-2', 'googleSearch', true],
    ['seedream-3.1', 'style', 'cinematic'],
  ] as const)('%s refuses %s, saying why', (id, name, value) => {
    const result = prepareGeneration(findModel(id)!, { params: { prompt: 'x', [name]: value }, referenceCount: 0 });
    expect(result.ok).toBe(false);
    const [issue] = !result.ok ? result.issues : [];
    expect(issue).toMatchObject({ path: [name], code: 'unsupported_feature' });
    expect(issue!.message).toMatch(/is not available through Pictor/);
  });
});

describe('discovery', () => {
  it('filters by capability, vendor and search words', () => {
    expect(filterModels({ capability: 'vector' }).map((model) => model.id)).toEqual(['runware-vectorize', 'local-vectorize']);
    expect(filterModels({ vendor: 'google' }).every((model) => model.vendor === 'Google')).toBe(true);
    expect(filterModels({ vendor: 'alibaba' }).map((model) => model.id)).toContain('z-image');
    expect(filterModels({ search: 'seedream 4k' }).map((model) => model.id)).toEqual(['seedream-4.5', 'seedream-4']);
    expect(filterModels({ search: 'gemini_3.1_flash_image_preview' }).map((model) => model.id)).toEqual(['nano-banana-2']);
  });

  it('every capability filter matches at least one model', () => {
    for (const capability of Object.keys(CapabilityFilters) as (keyof typeof CapabilityFilters)[]) {
      expect(filterModels({ capability }).length, capability).toBeGreaterThan(0);
    }
  });

  it('says whether a model can run with the configured providers, and why not', () => {
    const model = findModel('birefnet-bg-removal')!;
    expect(modelAvailability(model, new Set(['local-background-removal']))).toMatchObject({ available: true, routes: [{ provider: 'local-background-removal' }] });
    const unavailable = modelAvailability(findModel('midjourney')!, new Set(['openai']));
    expect(unavailable.available).toBe(false);
    expect(unavailable.reason).toContain('apiframe');
  });

  it('every seed model can fall back to a route, and the utilities to a local engine', () => {
    for (const model of models) expect(model.routes.length).toBeGreaterThan(0);
    expect(findModel('birefnet-bg-removal')!.routes.at(-1)!.provider).toBe('local-background-removal');
    expect(findModel('runware-vectorize')!.routes.at(-1)!.provider).toBe('local-vectorize');
  });
});

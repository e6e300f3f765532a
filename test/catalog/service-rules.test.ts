import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeParameter, describeParameters } from '../../src/catalog/listing/describe.js';
import { findCatalogModel, findModel, findModelFor } from '../../src/catalog/index.js';
import { TripoModelVersions } from '../../src/catalog/rules/service-rules.js';
import { MaxSeed, prepareGeneration, type PreparedGeneration, type ValidationFailure } from '../../src/catalog/rules/validate.js';

/**
 * A model asked for under a reference service's own name follows that service's documented
 * rules (seeds 000-004), whatever its other names do. Each test quotes the seed line it holds.
 */

function ok(result: PreparedGeneration | ValidationFailure): PreparedGeneration {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

function issues(result: PreparedGeneration | ValidationFailure) {
  expect(result.ok).toBe(false);
  return (result as ValidationFailure).issues;
}

const tripo = (version: string) => findModelFor('tripo', version)!;

/** Every combination-free variation of a model's enum and boolean params (one param changed at a time). */
function variations(model: ReturnType<typeof tripo>): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [{}];
  for (const parameter of describeParameters(model)) {
    if (parameter.allowedValues) for (const value of parameter.allowedValues) result.push({ [parameter.name]: value });
    if (parameter.type === 'boolean' && parameter.name !== 'sketchToRender') result.push({ [parameter.name]: true });
    if (parameter.max !== undefined && parameter.type !== 'string') result.push({ [parameter.name]: parameter.max });
  }
  return result;
}

describe('Tripo pricing by model_version only', () => {
  // Seed 004: "This task costs 5 credits when model_version is flux.1_kontext_pro, flux.1_dev, gpt_4o,
  // or gemini_2.5_flash_image_preview, and 10 credits when it is gpt_image_1.5, gpt_image_2, midjourney,
  // gemini_3_pro_image_preview, or gemini_3.1_flash_image_preview. No additional credits cost by parameters."
  const expected: Record<string, number> = {
    'flux.1_kontext_pro': 5,
    'flux.1_dev': 5,
    gpt_4o: 5,
    'gemini_2.5_flash_image_preview': 5,
    'gpt_image_1.5': 10,
    gpt_image_2: 10,
    midjourney: 10,
    gemini_3_pro_image_preview: 10,
    'gemini_3.1_flash_image_preview': 10,
  };

  it('lists exactly the nine documented versions', () => {
    expect(Object.fromEntries(TripoModelVersions.map((entry) => [entry.version, entry.credits]))).toEqual(expected);
  });

  it.each(Object.entries(expected))('%s costs %i credits whatever the parameters', (version, credits) => {
    const model = tripo(version);
    for (const params of variations(model)) {
      const result = ok(prepareGeneration(model, { params: { prompt: 'a vase', ...params }, referenceCount: 0 }));
      expect([version, params, result.price]).toEqual([version, params, credits]);
    }
  });

  it("gpt_4o at high quality and the largest size costs 5, where Pictor's own gpt-image-1 prices by the vendor table", () => {
    const params = { prompt: 'a vase', quality: 'high', size: '1536x1024' };
    expect(ok(prepareGeneration(findModel('gpt_4o')!, { params, referenceCount: 0 })).price).toBe(5);
    expect(ok(prepareGeneration(findModel('gpt-image-1')!, { params, referenceCount: 0 })).price).toBeGreaterThan(5);
  });

  it('the same name in GraphQL and on the Tripo route is the same view', () => {
    for (const version of Object.keys(expected)) {
      expect(findModel(`tripo:${version}`)).toBe(tripo(version));
      if (version !== 'midjourney') expect(findModel(version)).toBe(tripo(version));
    }
    // `midjourney` is also Apiframe's identifier: unqualified it is the catalog entry.
    expect(findModel('midjourney')).toBe(findCatalogModel('midjourney'));
  });
});

describe('Tripo prompt rules on all nine versions', () => {
  // Seed 004: "The maximum prompt length is 1024 characters ... However, emojis and certain special
  // Unicode characters are not supported."
  const versions = TripoModelVersions.map((entry) => [entry.version]);

  it.each(versions)('%s takes 1,024 characters and refuses 1,025', (version) => {
    const model = tripo(version);
    expect(describeParameter(model, 'prompt')!.maxLength).toBe(1024);
    ok(prepareGeneration(model, { params: { prompt: 'a'.repeat(1024) }, referenceCount: 0 }));
    expect(issues(prepareGeneration(model, { params: { prompt: 'a'.repeat(1025) }, referenceCount: 0 }))).toEqual([
      { path: ['prompt'], message: 'prompt must be at most 1024 characters (got 1025)', code: 'too_big' },
    ]);
  });

  it.each(versions)('%s refuses any emoji wherever it sits, naming it', (version) => {
    const model = tripo(version);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((text) => /^[\w ,.]*$/.test(text)),
        fc.constantFrom('😀', '🇫🇷', '❤️', '👍🏽', '\uE000', '\u0000', '\uD800'),
        fc.nat(40),
        (text, emoji, at) => {
          const position = Math.min(at, text.length);
          const prompt = `a ${text.slice(0, position)}${emoji}${text.slice(position)} b`;
          const found = issues(prepareGeneration(model, { params: { prompt }, referenceCount: 0 })).find((issue) => issue.code === 'unsupported_characters');
          const codePoint = `U+${emoji.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
          expect(found?.message).toContain(codePoint);
          expect(found?.message).toContain(`${version} (tripo)`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the same models under their Wonda or Apiframe names keep those rules (emoji allowed, 2,000 characters)', () => {
    const model = findModelFor('apiframe', 'nano-banana-2')!;
    expect(describeParameter(model, 'prompt')!.maxLength).toBe(2000);
    ok(prepareGeneration(model, { params: { prompt: 'a cat 😀' }, referenceCount: 0 }));
    ok(prepareGeneration(findModelFor('wonda', 'nano-banana-pro')!, { params: { prompt: 'a cat 😀' }, referenceCount: 0 }));
  });
});

describe('Tripo files per version', () => {
  // Seed 004: "For flux.1_kontext_pro, the max length of files is 4. For gpt_4o, gpt_image_2, and
  // gemini_2.5_flash_image_preview, the max length of files is 10."
  it.each([
    ['flux.1_kontext_pro', 4],
    ['gpt_4o', 10],
    ['gpt_image_2', 10],
    ['gemini_2.5_flash_image_preview', 10],
  ] as const)('%s takes %i files and refuses one more', (version, max) => {
    const model = tripo(version);
    expect(model.capabilities.maxReferenceImages).toBe(max);
    ok(prepareGeneration(model, { params: { prompt: 'x' }, referenceCount: max }));
    expect(issues(prepareGeneration(model, { params: { prompt: 'x' }, referenceCount: max + 1 }))[0]).toMatchObject({ path: ['references'], code: 'too_many_references' });
  });

  // Seed 004: "midjourney(unable to use with image file)"; flux.1_dev "if requested with image file, it
  // will upgraded to default version".
  it.each(['midjourney', 'flux.1_dev'])("%s with files runs flux.1_kontext_pro under Tripo's rules, at its price", (version) => {
    const result = ok(prepareGeneration(tripo(version), { params: { prompt: 'a castle' }, referenceCount: 2 }));
    expect(result.model.id).toBe('flux-kontext-pro');
    expect(result.model.serviceRules?.name).toBe('flux.1_kontext_pro');
    expect(result.price).toBe(5);
    expect(result.warnings[0]).toContain(`${version} (tripo) cannot take reference images; the job runs on flux.1_kontext_pro (tripo)`);
    expect(issues(prepareGeneration(tripo(version), { params: { prompt: 'a castle' }, referenceCount: 5 }))[0]!.code).toBe('too_many_references');
  });
});

describe('parameters per name', () => {
  it("Wonda's names take Wonda's table only: no Tripo switches", () => {
    // Seed 000 lists aspectRatio, quality and background for gpt-image-1-5, nothing else.
    const model = findModel('gpt-image-1-5')!;
    expect(describeParameters(model).map((parameter) => parameter.name)).toEqual(['prompt', 'aspectRatio', 'quality', 'background']);
    expect(issues(prepareGeneration(model, { params: { prompt: 'x', tPose: true }, referenceCount: 0 }))[0]).toMatchObject({ path: ['tPose'], code: 'unknown_parameter' });
  });

  it("Tripo's names take no Wonda styleId", () => {
    expect(describeParameter(tripo('gemini_3.1_flash_image_preview'), 'styleId')).toBeUndefined();
    expect(describeParameter(tripo('gemini_3.1_flash_image_preview'), 'tPose')?.default).toBe(false);
  });
});

describe('seed', () => {
  it('a negative or too large seed gets one message with the one range', () => {
    for (const seed of [-1, -(2 ** 31), MaxSeed + 1, 2 ** 53, 0.5]) {
      const found = issues(prepareGeneration(findModel('flux-2-pro')!, { params: { prompt: 'x' }, referenceCount: 0, seed }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ path: ['seed'], code: 'invalid_seed' });
      expect(found[0]!.message).toMatch(/^seed must be an integer from 0 to 4294967295/);
    }
    ok(prepareGeneration(findModel('flux-2-pro')!, { params: { prompt: 'x' }, referenceCount: 0, seed: MaxSeed }));
  });
});

import { describe, expect, it } from 'vitest';
import { findModel, models } from '../../src/catalog/index.js';
import { templates } from '../../src/catalog/rules/templates.js';
import { prepareGeneration, prepareGenerationById, type GenerationInput, type PreparedGeneration, type ValidationFailure } from '../../src/catalog/rules/validate.js';

/** Prompt rules, auto-upgrades, templates and Tripo's presets through the one validation path. */

function run(modelId: string, input: Partial<GenerationInput> & { params: Record<string, unknown> }) {
  return prepareGeneration(findModel(modelId)!, { referenceCount: 0, ...input });
}

function ok(result: PreparedGeneration | ValidationFailure): PreparedGeneration {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

function issues(result: PreparedGeneration | ValidationFailure) {
  expect(result.ok).toBe(false);
  return (result as ValidationFailure).issues;
}

const promptRuleModels = models.filter((model) => model.promptRules?.rejectSpecialCharacters);
const plainPromptModels = models.filter((model) => 'prompt' in model.params.shape && !model.promptRules?.rejectSpecialCharacters);

describe('prompt rules', () => {
  it('applies Tripo limits (1024 characters, no emoji) to the models known from Tripo only', () => {
    expect(promptRuleModels.map((model) => model.id).sort()).toEqual(['flux-1-dev', 'flux-kontext-pro', 'gpt-image-1', 'gpt-image-2']);
    for (const model of promptRuleModels) expect(model.params.shape.prompt!.maxLength).toBe(1024);
  });

  it.each(promptRuleModels.map((model) => [model.id]))('%s refuses emoji and special characters, naming them', (id) => {
    for (const [text, codePoint] of [
      ['a cat 😀 on a mat', 'U+1F600'],
      ['flag 🇫🇷', 'U+1F1EB'],
      ['heart ❤️', 'U+2764'],
      ['private \uE000 use', 'U+E000'],
      ['bell \u0007', 'U+0007'],
    ] as const) {
      const found = issues(run(id, { params: { prompt: text } })).find((issue) => issue.code === 'unsupported_characters');
      expect(found?.path).toEqual(['prompt']);
      expect(found?.message).toContain(codePoint);
    }
  });

  it.each(promptRuleModels.map((model) => [model.id]))('%s accepts accents, CJK and newlines', (id) => {
    ok(run(id, { params: { prompt: 'Café crème,\n東京の夜景, señal «roja»' } }));
  });

  it('leaves emoji to models that accept them', () => {
    for (const model of plainPromptModels) {
      const result = prepareGeneration(model, { params: { prompt: 'a cat 😀' }, referenceCount: model.capabilities.requiresInputImage ? 1 : 0 });
      expect(result.ok, model.id).toBe(true);
    }
  });

  it('checks [image N] and image[N] against the reference count', () => {
    expect(issues(run('nano-banana-2', { params: { prompt: 'Use the style of image[1] with colors from image[3]' }, referenceCount: 2 }))).toEqual([
      { path: ['prompt'], message: 'prompt refers to image 3, but only 2 reference images were given (numbered from 1)', code: 'image_reference_out_of_range' },
    ]);
    expect(issues(run('nano-banana-2', { params: { prompt: 'put [image 1] on a beach' } }))[0]!.message).toContain('no reference images were given');
    expect(issues(run('nano-banana-2', { params: { prompt: 'see [Image 0]' }, referenceCount: 1 }))[0]!.code).toBe('image_reference_out_of_range');
    ok(run('nano-banana-2', { params: { prompt: 'Use the style of image[1] with colors from [image 2]' }, referenceCount: 2 }));
  });

  it('requires a prompt where the model needs one and refuses it where it takes none', () => {
    expect(issues(run('seedream-4.5', { params: {} }))).toEqual([{ path: ['prompt'], message: 'prompt is required', code: 'invalid_type' }]);
    expect(issues(run('runware-vectorize', { params: { prompt: 'x' }, referenceCount: 1 }))[0]).toMatchObject({ path: ['prompt'], message: 'runware-vectorize takes no prompt' });
  });

  it('uses the default 1-2000 limit elsewhere', () => {
    ok(run('nano-banana-2', { params: { prompt: 'a'.repeat(2000) } }));
    expect(issues(run('nano-banana-2', { params: { prompt: 'a'.repeat(2001) } }))[0]!.message).toBe('prompt must be at most 2000 characters (got 2001)');
  });
});

describe('auto-upgrade', () => {
  it('runs flux.1_dev with an input image on the default flux.1_kontext_pro, saying so and naming dropped params', () => {
    const result = ok(run('flux.1_dev', { params: { prompt: 'make it night', steps: 20, tPose: true }, referenceCount: 1 }));
    expect(result.model.id).toBe('flux-kontext-pro');
    expect(result.upgradedFrom).toBe('flux-1-dev');
    expect(result.params.tPose).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/flux.1_dev \(tripo\) cannot take reference images; the job runs on flux.1_kontext_pro \(tripo\).*without steps/);
    expect(result.price).toBe(5);
  });

  it('runs midjourney with image files on flux.1_kontext_pro', () => {
    const result = ok(run('midjourney', { params: { prompt: 'a castle', aspectRatio: '16:9' }, referenceCount: 2 }));
    expect(result.model.id).toBe('flux-kontext-pro');
    expect(result.params.aspectRatio).toBe('16:9');
    expect(result.warnings[0]).toContain('midjourney cannot take reference images');
  });

  it('keeps the requested model without images', () => {
    expect(ok(run('midjourney', { params: { prompt: 'a castle' } })).model.id).toBe('midjourney');
  });

  it('still enforces the upgraded model limits', () => {
    expect(issues(run('flux-1-dev', { params: { prompt: 'x' }, referenceCount: 5 }))[0]).toMatchObject({ path: ['references'], code: 'too_many_references' });
  });
});

describe('templates and presets', () => {
  it("has Tripo's eight slugs", () => {
    expect(templates.map((template) => template.slug)).toEqual(['asset_extraction', 'character_completion', 't_pose', 'head_extraction', '3d_enhance', 'variants', 'print_clay', 'figure']);
  });

  it.each(templates.map((template) => [template.slug, template] as const))('%s prepends its prompt on every model it lists', (slug, template) => {
    for (const id of template.models) {
      const result = ok(run(id, { params: { prompt: 'my knight' }, template: slug, referenceCount: 1 }));
      const merged = result.templateReferences.length > 0;
      expect(result.templateReferences.length).toBe(Math.min(template.referenceImageUrls.length, result.model.capabilities.maxReferenceImages - 1));
      expect(result.params.prompt).toBe([template.promptPrefix, merged ? template.referenceImageNote : undefined, 'my knight'].filter(Boolean).join(' '));
      expect(result.template?.slug).toBe(slug);
    }
  });

  // Seed 004: "Best with: Nano Banana, ..." / "Best with: Nano Banana 2, ...": every template works
  // with the model it names, under each of that model's names.
  it.each(templates.map((template) => [template.slug, template] as const))('%s works with its best-with model under every name', (slug, template) => {
    const names: Record<string, string[]> = {
      'nano-banana': ['nano-banana', 'gemini_2.5_flash_image_preview', 'apiframe:nano-banana'],
      'nano-banana-2': ['nano-banana-2', 'gemini_3.1_flash_image_preview', 'wonda:nano-banana-2', 'apiframe:nano-banana-2'],
    };
    for (const name of names[template.recommendedModel]!) ok(prepareGeneration(findModel(name)!, { params: { prompt: 'x' }, template: slug, referenceCount: 1 }));
  });

  // Seed 004: "the system prepends the template prompt before your prompt and merges template images
  // as additional reference images".
  it("merges the template images after the client's references, saying what they are", () => {
    const result = ok(run('nano-banana', { params: { prompt: 'my knight' }, template: 't_pose', referenceCount: 1 }));
    expect(result.templateReferences).toHaveLength(1);
    expect(result.templateReferences[0]!.dataUrl).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(result.params.prompt).toContain('The last reference image is a pose guide');
    // Without room (midjourney takes no images) they are left out, with a warning, and the prompt does not mention them.
    const none = ok(run('midjourney', { params: { prompt: 'my knight' }, template: 't_pose' }));
    expect(none.templateReferences).toEqual([]);
    expect(none.warnings).toContain('Template t_pose: 1 of its reference images left out; midjourney takes at most 0 reference images');
    expect(none.params.prompt).not.toContain('pose guide');
    // The client's references keep priority: kontext takes 4.
    expect(ok(run('flux.1_kontext_pro', { params: { prompt: 'x' }, template: 'figure', referenceCount: 4 })).templateReferences).toEqual([]);
  });

  it('refuses unknown templates, listing the available ones', () => {
    expect(issues(run('nano-banana-2', { params: { prompt: 'x' }, template: 'sepia' }))[0]!.message).toContain('asset_extraction');
  });

  it('refuses templates on models they do not list', () => {
    expect(issues(run('imagen-4', { params: { prompt: 'x' }, template: 't_pose' }))[0]).toMatchObject({ path: ['template'], code: 'template_not_supported' });
  });

  // Seed 004 only says "Best with: ... Image Input": a recommendation, so no template requires one.
  it('recommends an input image where Tripo does, without requiring one', () => {
    expect(ok(run('nano-banana-2', { params: { prompt: 'a knight' }, template: 'figure' })).warnings).toEqual([
      'Template figure works best with an input image (Tripo: "Best with: Nano Banana 2, Image Input, HD Model")',
    ]);
    expect(ok(run('nano-banana-2', { params: { prompt: 'x' }, template: 'variants' })).warnings).toEqual([]);
    expect(templates.every((template) => template.requiresInputImage === false)).toBe(true);
  });

  it('turns tPose and sketchToRender into prompt directives', () => {
    const result = ok(run('nano-banana', { params: { prompt: 'my robot', tPose: true, sketchToRender: true }, referenceCount: 1 }));
    expect(result.params.prompt).toMatch(/T-pose.*sketch.*my robot$/s);
    expect(issues(run('nano-banana', { params: { prompt: 'my robot', sketchToRender: true } }))[0]).toMatchObject({ path: ['sketchToRender'] });
  });
});

describe('references, seed and model lookup', () => {
  it('reports too many references and a missing input image at references', () => {
    expect(issues(run('grok-imagine', { params: { prompt: 'x' }, referenceCount: 2 }))[0]!.message).toBe('grok-imagine takes at most 1 reference image, got 2');
    expect(issues(run('ideogram-character', { params: { prompt: 'x' } }))[0]!.message).toBe('ideogram-character needs an input image');
  });

  // Tripo (seed 004): "flux.1_kontext_pro does not support WebP input images." README: a reference in
  // a format the model does not take is converted to PNG when the job runs.
  it('accepts WebP references for flux.1_kontext_pro, saying they are converted to PNG, also after an upgrade', () => {
    expect(ok(run('flux-kontext-pro', { params: { prompt: 'x' }, referenceCount: 2, referenceFormats: ['png', 'webp'] })).warnings).toEqual([
      'references[1] is webp, which flux-kontext-pro does not accept; it is converted to PNG',
    ]);
    expect(ok(run('midjourney', { params: { prompt: 'x' }, referenceCount: 1, referenceFormats: ['WEBP'] })).warnings.join('\n')).toContain('references[0] is WEBP');
    expect(ok(run('nano-banana', { params: { prompt: 'x' }, referenceCount: 1, referenceFormats: ['webp'] })).warnings).toEqual([]);
  });

  it('warns when a seed cannot be honoured and refuses malformed seeds', () => {
    expect(ok(run('grok-imagine', { params: { prompt: 'x' }, seed: 7 })).warnings).toEqual(['grok-imagine does not honour seed; results will differ between runs']);
    expect(ok(run('flux-2-pro', { params: { prompt: 'x' }, seed: 7 })).warnings).toEqual([]);
    expect(issues(run('flux-2-pro', { params: { prompt: 'x' }, seed: -1 }))[0]!.path).toEqual(['seed']);
  });

  it('resolves aliases in the model-agnostic path and reports unknown models', () => {
    expect(ok(prepareGenerationById('seedream-4-5', { params: { prompt: 'x' }, referenceCount: 0 })).model.id).toBe('seedream-4.5');
    expect(prepareGenerationById('nope', { params: {}, referenceCount: 0 })).toEqual({
      ok: false,
      issues: [{ path: ['model'], message: 'Unknown model "nope"', code: 'unknown_model' }],
    });
  });
});

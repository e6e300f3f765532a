import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeParameter, describeParameters } from '../../src/catalog/listing/describe.js';
import { findModelFor } from '../../src/catalog/index.js';
import { TripoDefaultModelVersion, type ReferenceService } from '../../src/catalog/rules/service-rules.js';
import type { ModelDefinition } from '../../src/catalog/spec.js';
import { findTemplate } from '../../src/catalog/rules/templates.js';
import { readTripoGenerateImage } from '../../src/catalog/rules/tripo-request.js';
import { prepareGeneration, type GenerationInput } from '../../src/catalog/rules/validate.js';

/**
 * The sweep: every enum value, default, range edge and limit the seeds document
 * (fixtures/seed-rules.json, transcribed from them), checked against the catalog under each
 * service's own names. A mismatch here is a client of that service getting something else.
 */

interface ParamRule {
  values?: string[];
  default?: unknown;
  optional?: boolean;
  format?: string;
}
interface WondaModel {
  prompt: 'required' | 'none';
  params: Record<string, ParamRule>;
  attachments: { max: number; required: boolean };
}
const fixture = JSON.parse(fs.readFileSync(new URL('./fixtures/seed-rules.json', import.meta.url), 'utf8')) as {
  wonda: { models: Record<string, WondaModel> };
  apiframe: { prompt: { minLength: number; maxLength: number }; promptExceptions: Record<string, { maxLength: number }>; ids: string[] };
  openrouter: { n: { min: number; max: number }; outputCompression: { min: number; max: number }; prompt: { minLength: number } };
  tripo: {
    defaultModelVersion: string;
    prompt: { minLength: number; maxLength: number; rejects: string[] };
    versions: Record<string, { credits: number; maxFiles?: number; takesFiles?: boolean; upgradesTo?: string; refusedInputFormats?: string[] }>;
    switches: Record<string, { default: unknown }>;
    templates: Record<string, { bestWith: string; model: string; aspectRatio?: string }>;
  };
};

function model(service: ReferenceService, name: string): ModelDefinition {
  const found = findModelFor(service, name);
  expect(found, `${service} ${name}`).toBeDefined();
  return found!;
}

/** A request that is valid for the model apart from what `overrides` changes. */
function request(target: ModelDefinition, overrides: Partial<GenerationInput> & { params?: Record<string, unknown> } = {}): GenerationInput {
  const takesPrompt = 'prompt' in target.params.shape;
  return {
    referenceCount: target.capabilities.requiresInputImage ? 1 : 0,
    ...overrides,
    params: { ...(takesPrompt ? { prompt: 'a ceramic mug' } : {}), ...overrides.params },
  };
}

const accepts = (target: ModelDefinition, overrides: Parameters<typeof request>[1]) => prepareGeneration(target, request(target, overrides));

function expectOk(target: ModelDefinition, overrides: Parameters<typeof request>[1], label: string) {
  const result = accepts(target, overrides);
  expect(result.ok ? true : [label, result.issues]).toBe(true);
}

function expectRefused(target: ModelDefinition, overrides: Parameters<typeof request>[1], path: string, label: string) {
  const result = accepts(target, overrides);
  expect(result.ok, label).toBe(false);
  if (!result.ok)
    expect(
      result.issues.map((issue) => issue.path[0]),
      label,
    ).toContain(path);
}

describe.each(Object.entries(fixture.wonda.models))('Wonda %s', (key, rules) => {
  const target = model('wonda', key);

  it('has exactly the documented parameters', () => {
    const names = describeParameters(target)
      .map((parameter) => parameter.name)
      .filter((name) => name !== 'prompt');
    expect(names.sort()).toEqual(Object.keys(rules.params).sort());
  });

  it.each(Object.entries(rules.params))('%s: every value, the default, and nothing else', (name, rule) => {
    const parameter = describeParameter(target, name)!;
    if (rule.values) {
      expect(parameter.allowedValues).toEqual(rule.values);
      for (const value of rule.values) expectOk(target, { params: { [name]: value } }, `${key} ${name}=${value}`);
      expectRefused(target, { params: { [name]: 'not-a-documented-value' } }, name, `${key} ${name}`);
    }
    if ('default' in rule) expect(parameter.default).toBe(rule.default);
    if (rule.optional) expect(parameter.required).toBe(false);
    if (rule.format) expect(parameter.format).toBe(rule.format);
  });

  it(`prompt is ${rules.prompt}`, () => {
    if (rules.prompt === 'required') {
      expect(describeParameter(target, 'prompt')!.required).toBe(true);
      expectRefused(target, { params: { prompt: undefined } }, 'prompt', `${key} without prompt`);
    } else {
      expect(describeParameter(target, 'prompt')).toBeUndefined();
      expectRefused(target, { params: { prompt: 'x' } }, 'prompt', `${key} with a prompt`);
    }
  });

  it(`takes up to ${rules.attachments.max} attachments${rules.attachments.required ? ', one required' : ''}`, () => {
    expect(target.capabilities.maxReferenceImages).toBe(rules.attachments.max);
    expect(target.capabilities.requiresInputImage).toBe(rules.attachments.required);
    expectOk(target, { referenceCount: rules.attachments.max }, `${key} at the maximum`);
    expectRefused(target, { referenceCount: rules.attachments.max + 1 }, 'references', `${key} above the maximum`);
    if (rules.attachments.required) expectRefused(target, { referenceCount: 0 }, 'references', `${key} without an image`);
  });
});

describe('Apiframe', () => {
  it.each(fixture.apiframe.ids.map((id) => [id]))('%s: prompt of 1 to the documented maximum', (id) => {
    const target = model('apiframe', id);
    const max = fixture.apiframe.promptExceptions[id]?.maxLength ?? fixture.apiframe.prompt.maxLength;
    expect(describeParameter(target, 'prompt')!.maxLength).toBe(max);
    expect(describeParameter(target, 'prompt')!.minLength).toBe(fixture.apiframe.prompt.minLength);
    expectOk(target, { params: { prompt: 'p'.repeat(max) } }, `${id} at ${max}`);
    expectRefused(target, { params: { prompt: 'p'.repeat(max + 1) } }, 'prompt', `${id} at ${max + 1}`);
    expectRefused(target, { params: { prompt: '' } }, 'prompt', `${id} empty`);
  });
});

describe('OpenRouter options', () => {
  const target = model('openrouter', 'gpt-image-1.5');
  it('n from 1 to 10', () => {
    for (const n of [fixture.openrouter.n.min, fixture.openrouter.n.max]) expectOk(target, { n }, `n=${n}`);
    for (const n of [fixture.openrouter.n.min - 1, fixture.openrouter.n.max + 1]) expectRefused(target, { n }, 'n', `n=${n}`);
  });
  it('output_compression from 0 to 100', () => {
    const { min, max } = fixture.openrouter.outputCompression;
    for (const value of [min, max]) expectOk(target, { options: { outputFormat: 'webp', outputCompression: value } }, `compression ${value}`);
    for (const value of [min - 1, max + 1]) expectRefused(target, { options: { outputFormat: 'webp', outputCompression: value } }, 'options', `compression ${value}`);
  });
});

describe('Tripo', () => {
  it(`defaults to ${fixture.tripo.defaultModelVersion}`, () => {
    expect(TripoDefaultModelVersion).toBe(fixture.tripo.defaultModelVersion);
    const read = readTripoGenerateImage({ type: 'generate_image', prompt: 'x' });
    expect(read.ok && read.request.modelVersion).toBe(fixture.tripo.defaultModelVersion);
  });

  describe.each(Object.entries(fixture.tripo.versions))('%s', (version, rules) => {
    const target = model('tripo', version);

    it(`costs ${rules.credits} credits`, () => {
      const result = accepts(target, {});
      expect(result.ok && result.price).toBe(rules.credits);
    });

    it('prompt limits and characters', () => {
      const { minLength, maxLength, rejects } = fixture.tripo.prompt;
      expect(describeParameter(target, 'prompt')).toMatchObject({ minLength, maxLength });
      expectOk(target, { params: { prompt: 'p'.repeat(maxLength) } }, `${version} at ${maxLength}`);
      expectRefused(target, { params: { prompt: 'p'.repeat(maxLength + 1) } }, 'prompt', `${version} at ${maxLength + 1}`);
      for (const character of rejects) expectRefused(target, { params: { prompt: `a ${character}` } }, 'prompt', `${version} ${character}`);
    });

    it('files', () => {
      if (rules.takesFiles === false) {
        const result = accepts(target, { referenceCount: 1 });
        expect(result.ok && result.model.serviceRules?.name).toBe(rules.upgradesTo);
      } else if (rules.maxFiles !== undefined) {
        expectOk(target, { referenceCount: rules.maxFiles }, `${version} ${rules.maxFiles} files`);
        expectRefused(target, { referenceCount: rules.maxFiles + 1 }, 'references', `${version} ${rules.maxFiles + 1} files`);
      }
      expect([...(target.unsupportedReferenceFormats ?? [])]).toEqual(rules.refusedInputFormats ?? []);
    });

    it('switches default to false', () => {
      for (const [name, rule] of Object.entries(fixture.tripo.switches)) expect(describeParameter(target, name)?.default).toBe(rule.default);
    });
  });

  it.each(Object.entries(fixture.tripo.templates))('template %s', (slug, rules) => {
    const template = findTemplate(slug)!;
    expect(template.bestWith).toBe(rules.bestWith);
    expect(template.recommendedModel).toBe(rules.model);
    expect(template.recommendedAspectRatio).toBe(rules.aspectRatio);
    const version = rules.model === 'nano-banana' ? 'gemini_2.5_flash_image_preview' : 'gemini_3.1_flash_image_preview';
    expectOk(model('tripo', version), { template: slug }, `${slug} on ${version}`);
  });
});

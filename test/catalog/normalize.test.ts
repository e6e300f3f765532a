import { describe, expect, it } from 'vitest';
import { findModel } from '../../src/catalog/index.js';
import type { NormalizedOptions } from '../../src/catalog/rules/normalize.js';
import { nearestResolutionValue, nearestShapeValue } from '../../src/catalog/rules/shapes.js';
import { prepareGeneration, splitImagesOverCalls, type ValidationFailure } from '../../src/catalog/rules/validate.js';

/**
 * The normalization table: a model, the normalized options a client sent, and what Pictor
 * must do: which params it sets, whether it warns (clamped) and which issues it raises.
 */

interface Row {
  readonly name: string;
  readonly model: string;
  readonly options?: NormalizedOptions;
  readonly params?: Record<string, unknown>;
  readonly n?: number;
  readonly referenceCount?: number;
  /** Params expected in the prepared request. */
  readonly expect?: Record<string, unknown>;
  /** A substring of one warning, or `false` for no warning at all. */
  readonly warning?: string | false;
  /** Path of the expected issue (the request must fail). */
  readonly issue?: string;
  readonly calls?: number[];
  readonly output?: Record<string, unknown>;
}

const rows: Row[] = [
  { name: 'exact ratio is kept silently', model: 'nano-banana-2', options: { aspectRatio: '21:9' }, expect: { aspectRatio: '21:9' }, warning: false },
  { name: 'unsupported ratio clamps to the nearest (log distance)', model: 'nano-banana-2', options: { aspectRatio: '2.35:1' }, expect: { aspectRatio: '21:9' }, warning: 'using aspectRatio 21:9' },
  { name: 'extreme ratio finds the extreme value', model: 'nano-banana-2', options: { aspectRatio: '7:1' }, expect: { aspectRatio: '8:1' }, warning: 'does not offer 7:1' },
  { name: 'portrait stays portrait', model: 'gpt-image-1.5', options: { aspectRatio: '2:3' }, expect: { aspectRatio: '9:16' }, warning: 'nearest' },
  { name: 'landscape stays landscape', model: 'gpt-image-1.5', options: { aspectRatio: '3:2' }, expect: { aspectRatio: '16:9' }, warning: 'nearest' },
  { name: 'auto where the model has it', model: 'nano-banana-2', options: { aspectRatio: 'auto' }, expect: { aspectRatio: 'auto' }, warning: false },
  { name: 'auto where the model lacks it is ignored with a warning', model: 'imagen-4', options: { aspectRatio: 'auto' }, expect: { aspectRatio: '1:1' }, warning: 'no automatic aspect ratio' },
  { name: 'a malformed ratio is an issue', model: 'imagen-4', options: { aspectRatio: 'wide' }, issue: 'options.aspectRatio' },
  { name: 'explicit params win over options', model: 'nano-banana-2', params: { aspectRatio: '1:1' }, options: { aspectRatio: '16:9' }, expect: { aspectRatio: '1:1' }, warning: 'takes precedence' },
  { name: 'resolution below the lowest tier clamps up', model: 'seedream-4.5', options: { resolution: '1K' }, expect: { resolution: '2K' }, warning: 'does not offer 1K' },
  { name: 'resolution tier matching ignores case', model: 'grok-imagine', options: { resolution: '2K' }, expect: { resolution: '2k' }, warning: false },
  { name: 'resolution above the highest tier clamps down', model: 'grok-imagine-pro', options: { resolution: '4K' }, expect: { resolution: '2k' }, warning: 'does not offer 4K' },
  { name: 'resolution 512 on a 1K-4K model', model: 'nano-banana-pro', options: { resolution: '512' }, expect: { resolution: '1K' }, warning: 'does not offer 512' },
  { name: 'no resolution knob: ignored with a warning', model: 'imagen-4-fast', options: { resolution: '2K' }, warning: 'no resolution setting' },
  { name: 'no aspect ratio knob: ignored with a warning', model: 'dall-e-2', options: { aspectRatio: '16:9' }, expect: { size: '1024x1024' }, warning: 'no aspect ratio setting' },
  { name: 'resolution on a pixel-size param keeps the shape', model: 'dall-e-2', options: { resolution: '512' }, expect: { size: '512x512' }, warning: false },
  {
    name: 'size on an aspect-only model applies the ratio and warns about the rest',
    model: 'imagen-4-fast',
    options: { size: '2048x1536' },
    expect: { aspectRatio: '4:3' },
    warning: 'no resolution setting',
  },
  { name: 'a malformed resolution is an issue', model: 'imagen-4', options: { resolution: 'huge' }, issue: 'options.resolution' },
  { name: 'size tier sets the resolution', model: 'nano-banana-pro', options: { size: '4K' }, expect: { resolution: '4K' }, warning: false },
  { name: 'size pixels set ratio and tier', model: 'nano-banana-pro', options: { size: '2048x1536' }, expect: { aspectRatio: '4:3', resolution: '2K' } },
  { name: 'size conflicting with resolution is an issue', model: 'nano-banana-pro', options: { size: '2K', resolution: '1K' }, issue: 'options.size' },
  { name: 'size conflicting with aspect ratio is an issue', model: 'nano-banana-pro', options: { size: '1024x1024', aspectRatio: '16:9' }, issue: 'options.size' },
  {
    name: 'size agreeing with resolution is fine',
    model: 'nano-banana-pro',
    options: { size: '2K', resolution: '2K', aspectRatio: '16:9' },
    expect: { resolution: '2K', aspectRatio: '16:9' },
    warning: false,
  },
  { name: 'a malformed size is an issue', model: 'nano-banana-pro', options: { size: 'big' }, issue: 'options.size' },
  { name: 'pixel-size enum picks by ratio', model: 'gpt-image-1', options: { aspectRatio: '16:9' }, expect: { size: '1536x1024' }, warning: 'using size 1536x1024' },
  { name: 'pixel-size enum picks by tier with no ratio', model: 'gpt-image-2', options: { resolution: '2K' }, expect: { size: '2048x2048' } },
  { name: 'pixel-size enum picks ratio then tier', model: 'gpt-image-2', options: { aspectRatio: '16:9', resolution: '4K' }, expect: { size: '3840x2160' } },
  { name: 'fal presets by ratio', model: 'seedream-5-lite', options: { aspectRatio: '16:9' }, expect: { imageSize: 'landscape_16_9' } },
  { name: 'fal auto tiers by resolution', model: 'seedream-5-lite', options: { resolution: '4K' }, expect: { imageSize: 'auto_3K' }, warning: 'does not offer 4K' },
  { name: 'width/height from ratio and tier', model: 'flux-1.1-pro', options: { aspectRatio: '16:9', resolution: '1K' }, expect: { width: 1376, height: 768 }, warning: false },
  { name: 'width/height clamped to the model bounds, shape kept', model: 'flux-1.1-pro', options: { resolution: '4K' }, expect: { width: 1440, height: 1088 }, warning: 'cannot render' },
  { name: 'width/height from exact pixels', model: 'flux-2-pro', options: { size: '1536x1024' }, expect: { width: 1536, height: 1024 }, warning: false },
  {
    name: 'transparent background fills the model param and picks png',
    model: 'gpt-image-1',
    options: { background: 'transparent' },
    expect: { background: 'transparent' },
    output: { format: 'png', background: 'transparent' },
  },
  { name: 'transparent background with jpeg is an issue', model: 'gpt-image-1.5', options: { background: 'transparent', outputFormat: 'jpeg' }, issue: 'options.outputFormat' },
  {
    name: 'transparent background via the model param with jpeg is an issue',
    model: 'gpt-image-1.5',
    params: { background: 'transparent' },
    options: { outputFormat: 'jpeg' },
    issue: 'options.outputFormat',
  },
  { name: 'transparent background with webp is fine', model: 'gpt-image-1.5', options: { background: 'transparent', outputFormat: 'webp' }, output: { format: 'webp', background: 'transparent' } },
  { name: 'transparent background on an opaque-only model is an issue', model: 'flux-2-pro', options: { background: 'transparent' }, issue: 'options.background' },
  { name: 'output format the model cannot make is an issue', model: 'runware-vectorize', options: { outputFormat: 'png' }, referenceCount: 1, issue: 'options.outputFormat' },
  {
    name: 'output format fills the model param',
    model: 'local-background-removal',
    options: { outputFormat: 'webp' },
    referenceCount: 1,
    expect: { outputFormat: 'webp' },
    output: { format: 'webp' },
  },
  { name: 'compression applies to webp', model: 'imagen-4', options: { outputFormat: 'webp', outputCompression: 60 }, output: { format: 'webp', compression: 60 }, warning: false },
  { name: 'compression on png is ignored with a warning', model: 'imagen-4', options: { outputFormat: 'png', outputCompression: 60 }, output: { format: 'png' }, warning: 'webp and jpeg output only' },
  { name: 'compression out of range is an issue', model: 'imagen-4', options: { outputFormat: 'jpeg', outputCompression: 101 }, issue: 'options.outputCompression' },
  { name: 'n within one call', model: 'imagen-4', n: 4, calls: [4] },
  { name: 'n split into calls of the model maximum', model: 'imagen-4', n: 10, calls: [4, 4, 2] },
  { name: 'n split for single-image models', model: 'nano-banana', n: 3, calls: [1, 1, 1] },
  { name: 'n above the job maximum is an issue', model: 'gpt-image-1', n: 11, issue: 'n' },
  { name: 'n of zero is an issue', model: 'gpt-image-1', n: 0, issue: 'n' },
  { name: 'n on a deterministic utility cannot be split', model: 'birefnet-bg-removal', n: 2, referenceCount: 1, issue: 'n' },
];

describe('normalized options', () => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const model = findModel(row.model)!;
    const params = { ...(model.params.shape.prompt ? { prompt: 'A lighthouse at dusk' } : {}), ...row.params };
    const result = prepareGeneration(model, { params, referenceCount: row.referenceCount ?? 0, n: row.n, options: row.options });
    if (row.issue) {
      expect(result.ok).toBe(false);
      expect((result as ValidationFailure).issues.map((issue) => issue.path.join('.'))).toContain(row.issue);
      return;
    }
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    if (row.expect) expect(result.params).toMatchObject(row.expect);
    if (row.warning === false) expect(result.warnings).toEqual([]);
    else if (row.warning) expect(result.warnings.join('\n')).toContain(row.warning);
    if (row.calls) expect(result.calls).toEqual(row.calls);
    if (row.output) expect(result.output).toEqual(row.output);
  });

  it('prices a split job as the sum of its images', () => {
    const model = findModel('imagen-4')!;
    const one = prepareGeneration(model, { params: { prompt: 'x' }, referenceCount: 0 });
    const ten = prepareGeneration(model, { params: { prompt: 'x' }, referenceCount: 0, n: 10 });
    expect(one.ok && ten.ok && ten.price).toBe(one.ok && one.price * 10);
  });
});

describe('shape arithmetic', () => {
  it('breaks exact ratio ties toward the earlier value', () => {
    // 4:3 is exactly as far from 1:1 as from 16:9 in log space.
    expect(nearestShapeValue(['1:1', '16:9', '9:16'], { ratio: 4 / 3 })).toBe('1:1');
  });

  it('breaks tier ties toward the smaller tier', () => {
    expect(nearestResolutionValue(['1K', '4K'], 2048)).toBe('1K');
  });

  it('ignores values that describe no shape', () => {
    expect(nearestShapeValue(['auto'], { ratio: 1 })).toBeUndefined();
  });

  it('plans calls', () => {
    expect(splitImagesOverCalls(10, 4, true)).toEqual({ ok: true, calls: [4, 4, 2] });
    expect(splitImagesOverCalls(1, 4, false)).toEqual({ ok: true, calls: [1] });
    expect(splitImagesOverCalls(2, 1, false).ok).toBe(false);
  });
});

import { describeParameters } from '../listing/describe.js';
import { requestedName } from './service-rules.js';
import type { ModelDefinition } from '../spec.js';
import { prepareGeneration } from './validate.js';
import type { ValidationIssue } from './issues.js';

/**
 * What a job will cost before it is submitted, computed by the same validation path that prices
 * the job (so the number shown is the number held): for one given input, and as a list of the
 * input cases that change the price, including a documented upgrade (Tripo's midjourney with an
 * image file runs, and is charged as, flux.1_kontext_pro).
 */

export interface PriceEstimateInput {
  /** Raw params; a placeholder prompt is used when the model takes one and none is given. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly referenceCount?: number;
  readonly n?: number;
  readonly template?: string;
}

export type PriceEstimate =
  | {
      readonly ok: true;
      /** Credits for the whole job. */
      readonly credits: number;
      /** The model that would run (differs from the requested one after an upgrade). */
      readonly model: ModelDefinition;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** The price of one request, or why it would be refused. */
export function estimatePrice(model: ModelDefinition, input: PriceEstimateInput = {}): PriceEstimate {
  const takesPrompt = 'prompt' in model.params.shape;
  const params = { ...(takesPrompt ? { prompt: 'x' } : {}), ...input.params };
  const referenceCount = input.referenceCount ?? (model.capabilities.requiresInputImage ? 1 : 0);
  if (!Number.isInteger(referenceCount) || referenceCount < 0) {
    return { ok: false, issues: [{ path: ['references'], message: 'references must be a whole number of images, 0 or more', code: 'invalid_references' }] };
  }
  const prepared = prepareGeneration(model, {
    params,
    referenceCount,
    n: input.n ?? 1,
    ...(input.template !== undefined ? { template: input.template } : {}),
  });
  if (!prepared.ok) return { ok: false, issues: prepared.issues };
  return { ok: true, credits: prepared.price, model: prepared.model, warnings: prepared.warnings };
}

/** One input case and its price for one image. */
export interface PriceCase {
  /** In words: `default parameters`, `quality = high`, `with reference images`. */
  readonly condition: string;
  /** The param set that differs from the defaults, if any. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly referenceCount: number;
  readonly credits: number;
  /** The model that runs and is charged in this case. */
  readonly runsModelId: string;
}

const casesCache = new WeakMap<ModelDefinition, readonly PriceCase[]>();

/**
 * The default price, then every single enum or boolean value that changes it, then the case with
 * reference images when that runs another model. Numeric params (FLUX width and height) change
 * prices continuously; `Model.price(params:)` answers those.
 */
export function priceCases(model: ModelDefinition): readonly PriceCase[] {
  const cached = casesCache.get(model);
  if (cached) return cached;
  const cases: PriceCase[] = [];
  const base = estimatePrice(model);
  if (base.ok) {
    const referenceCount = model.capabilities.requiresInputImage ? 1 : 0;
    cases.push({ condition: 'default parameters', params: {}, referenceCount, credits: base.credits, runsModelId: base.model.id });
    for (const parameter of describeParameters(model)) {
      const values = parameter.allowedValues ?? (parameter.type === 'boolean' ? ['true', 'false'] : []);
      for (const raw of values) {
        const value = parameter.type === 'boolean' ? raw === 'true' : raw;
        if (value === parameter.default) continue;
        const estimate = estimatePrice(model, { params: { [parameter.name]: value } });
        if (estimate.ok && estimate.credits !== base.credits) {
          cases.push({ condition: `${parameter.name} = ${raw}`, params: { [parameter.name]: value }, referenceCount, credits: estimate.credits, runsModelId: estimate.model.id });
        }
      }
    }
    if (model.upgradeWithReferences && model.capabilities.maxReferenceImages === 0) {
      const upgraded = estimatePrice(model, { referenceCount: 1 });
      if (upgraded.ok) {
        cases.push({
          condition: `with reference images (runs ${requestedName(upgraded.model)})`,
          params: {},
          referenceCount: 1,
          credits: upgraded.credits,
          runsModelId: upgraded.model.id,
        });
      }
    }
  }
  casesCache.set(model, cases);
  return cases;
}

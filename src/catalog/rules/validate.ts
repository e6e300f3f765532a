import type { z } from 'zod';
import { describeParameters } from '../listing/describe.js';
import { findModel } from '../index.js';
import type { OutputRequest } from '../request.js';
import { IssueCodes, type ValidationIssue } from './issues.js';
import { normalizeOptions, type NormalizedOptions } from './normalize.js';
import { checkImageReferences, checkSpecialCharacters } from './prompt-rules.js';
import { requestedName } from './service-rules.js';
import { describeStyles, findStyle, type StyleDefinition } from './styles.js';
import type { ModelDefinition } from '../spec.js';
import { composePrompt, findTemplate, templates, type TemplateDefinition } from './templates.js';

/**
 * The one validation path both generate mutations use: it resolves auto-upgrades and templates,
 * applies normalized options, parses the model's params with its zod schema, checks prompt and
 * reference rules, plans the upstream calls for `n` and prices the job. Bad input comes back as
 * issues with exact paths, never as exceptions.
 */

/** What a client asked for, before validation. */
export interface GenerationInput {
  /** Raw param values as sent (`"16:9"`, `"2K"`), including `prompt` where the model takes one. */
  readonly params: Readonly<Record<string, unknown>>;
  /** How many reference images the client attached. */
  readonly referenceCount: number;
  /**
   * The format of each attached reference (`png`, `jpeg`, `webp`), when the caller knows it;
   * references in the model's `unsupportedReferenceFormats` are converted (with a warning).
   */
  readonly referenceFormats?: readonly string[];
  /** Images wanted (1-10); default 1. */
  readonly n?: number;
  readonly seed?: number;
  readonly options?: NormalizedOptions;
  /** A template slug (`t_pose`). */
  readonly template?: string;
}

export interface PreparedGeneration {
  readonly ok: true;
  /** The model that will run: the requested one, or its documented upgrade. */
  readonly model: ModelDefinition;
  /** Set when the job runs on a different model than requested. */
  readonly upgradedFrom?: string;
  /** zod output: defaults applied; `prompt` is the final prompt (template and presets merged). */
  readonly params: Record<string, unknown>;
  /** Images per upstream call (`[4, 4, 2]` for n = 10 at 4 per call). */
  readonly calls: number[];
  /** Things not done exactly as asked; shown on the job. */
  readonly warnings: string[];
  /** Total credits for the whole job. */
  readonly price: number;
  readonly output: OutputRequest;
  readonly template?: TemplateDefinition;
  /** Template images (data URLs) to append after the client's references. */
  readonly templateReferences: readonly { dataUrl: string }[];
}

export interface ValidationFailure {
  readonly ok: false;
  readonly issues: ValidationIssue[];
}

/** The one seed range every way in checks: 0 to 2^32 - 1 (a uint32, as the upstreams take it). */
export const MaxSeed = 0xffff_ffff;

/** ` (got -1)`, for values short enough to echo. */
function seedShown(seed: unknown): string {
  const text = typeof seed === 'number' ? String(seed) : '';
  return text && text.length <= 24 ? ` (got ${text})` : '';
}

type ZodIssue = z.core.$ZodIssue & { input?: unknown };

/** A sentence for one zod issue, naming the param and (for enums) every allowed value. */
export function issueMessage(issue: ZodIssue): string {
  const name = issue.path.map(String).join('.') || 'params';
  switch (issue.code) {
    case 'invalid_value':
      return `${name} must be one of: ${issue.values.map(String).join(', ')}${issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : ''}`;
    case 'invalid_type':
      return issue.input === undefined ? `${name} is required` : `${name} must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${name} must not be empty` : `${name} must be at least ${issue.minimum} characters`;
      return `${name} must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `${name} must be at most ${issue.maximum} characters${typeof issue.input === 'string' ? ` (got ${issue.input.length})` : ''}`;
      return `${name} must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'not_multiple_of':
      return `${name} must be a multiple of ${issue.divisor}`;
    case 'invalid_format':
      return `${name} must be a valid ${issue.format}`;
    default:
      return `${name}: ${issue.message}`;
  }
}

/** Picks the model that will run, applying a documented upgrade when references cannot be taken. */
function resolveModel(requested: ModelDefinition, referenceCount: number, rawParams: Readonly<Record<string, unknown>>, warnings: string[]) {
  if (referenceCount === 0 || requested.capabilities.maxReferenceImages > 0 || !requested.upgradeWithReferences) {
    return { model: requested, params: { ...rawParams } };
  }
  const target = findModel(requested.upgradeWithReferences)!;
  const accepted = new Set(Object.keys(target.params.shape));
  const params: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(rawParams)) {
    if (accepted.has(key)) params[key] = value;
    else if (value !== undefined) dropped.push(key);
  }
  warnings.push(
    `${requestedName(requested)} cannot take reference images; the job runs on ${requestedName(target)} instead (the documented default)` +
      (dropped.length ? `, without ${dropped.join(', ')}, which ${target.id} does not take` : ''),
  );
  return { model: target, params, upgradedFrom: requested.id };
}

/** Too many or too few reference images. */
function referenceIssues(model: ModelDefinition, referenceCount: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { maxReferenceImages, requiresInputImage } = model.capabilities;
  if (referenceCount > maxReferenceImages) {
    const message =
      maxReferenceImages === 0
        ? `${model.id} takes no reference images`
        : `${model.id} takes at most ${maxReferenceImages} reference image${maxReferenceImages === 1 ? '' : 's'}, got ${referenceCount}`;
    issues.push({ path: ['references'], message, code: IssueCodes.tooManyReferences });
  }
  if (requiresInputImage && referenceCount === 0) {
    issues.push({ path: ['references'], message: `${model.id} needs an input image`, code: IssueCodes.missingInputImage });
  }
  return issues;
}

/**
 * The template's images that fit after the client's references (Tripo "merges template images
 * as additional reference images"); the rest are left out with a warning, never silently. Also
 * warns when a template Tripo recommends with an input image gets none.
 */
function mergeTemplateImages(model: ModelDefinition, clientReferences: number, template: TemplateDefinition | undefined, warnings: string[]): { dataUrl: string }[] {
  if (!template) return [];
  if (template.bestWithInputImage && clientReferences === 0) {
    warnings.push(`Template ${template.slug} works best with an input image (Tripo: "Best with: ${template.bestWith}")`);
  }
  const room = Math.max(0, model.capabilities.maxReferenceImages - clientReferences);
  const merged = template.referenceImageUrls.slice(0, room);
  const left = template.referenceImageUrls.length - merged.length;
  if (left > 0) {
    warnings.push(`Template ${template.slug}: ${left} of its reference images left out; ${requestedName(model)} takes at most ${model.capabilities.maxReferenceImages} reference images`);
  }
  return merged.map((dataUrl) => ({ dataUrl }));
}

/**
 * References in a format the model refuses (WebP for flux.1_kontext_pro) are converted to PNG
 * when the job runs (media/resolve-references.ts), as the README promises: a warning, not an error.
 */
function referenceFormatWarnings(model: ModelDefinition, formats: readonly string[]): string[] {
  const refused = model.unsupportedReferenceFormats ?? [];
  return formats.flatMap((format, index) =>
    format && refused.includes(format.toLowerCase()) ? [`references[${index}] is ${format}, which ${requestedName(model)} does not accept; it is converted to PNG`] : [],
  );
}

/** Params the model does not have: reported, never silently dropped; documented features Pictor cannot carry out say so. */
function unknownParameterIssues(model: ModelDefinition, params: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const known = describeParameters(model).map((parameter) => parameter.name);
  return Object.keys(params)
    .filter((key) => !known.includes(key) && params[key] !== undefined)
    .map((key) => {
      const refused = model.refusedParams?.[key];
      if (refused) return { path: [key], message: `${requestedName(model)}: ${refused}`, code: IssueCodes.unsupportedFeature };
      return {
        path: [key],
        message: key === 'prompt' ? `${requestedName(model)} takes no prompt` : `${requestedName(model)} has no parameter ${key}; it takes ${known.join(', ') || 'none'}`,
        code: IssueCodes.unknownParameter,
      };
    });
}

/**
 * Wonda's styleId: a style of the server-side table becomes a prompt prefix (and leaves the
 * params, so no route reports it as ignored); an unknown one is refused, naming the known ones.
 */
function applyStyle(params: Record<string, unknown>, issues: ValidationIssue[]): StyleDefinition | undefined {
  if (typeof params.styleId !== 'string') return undefined;
  const style = findStyle(params.styleId);
  if (!style) {
    issues.push({ path: ['styleId'], message: `Unknown styleId ${params.styleId}; this deployment's styles are: ${describeStyles()}`, code: IssueCodes.unknownStyle });
    return undefined;
  }
  delete params.styleId;
  return style;
}

/** `[image N]` references and characters the model rejects. */
function promptIssues(model: ModelDefinition, prompt: unknown, referenceCount: number): ValidationIssue[] {
  if (typeof prompt !== 'string' || !('prompt' in model.params.shape)) return [];
  const issues: ValidationIssue[] = [];
  const referenceProblem = checkImageReferences(prompt, referenceCount);
  if (referenceProblem) issues.push({ path: ['prompt'], message: referenceProblem, code: IssueCodes.imageReferenceOutOfRange });
  const characterProblem = model.promptRules?.rejectSpecialCharacters ? checkSpecialCharacters(prompt, requestedName(model)) : undefined;
  if (characterProblem) issues.push({ path: ['prompt'], message: characterProblem, code: IssueCodes.unsupportedCharacters });
  return issues;
}

/** Validates a generation request against one model. */
export function prepareGeneration(requested: ModelDefinition, input: GenerationInput): PreparedGeneration | ValidationFailure {
  const issues: ValidationIssue[] = [];
  const warnings: string[] = [];
  const resolved = resolveModel(requested, input.referenceCount, input.params, warnings);
  const model = resolved.model;

  let template: TemplateDefinition | undefined;
  if (input.template !== undefined) {
    template = findTemplate(input.template);
    if (!template) {
      issues.push({
        path: ['template'],
        message: `Unknown template ${JSON.stringify(input.template)}; available: ${templates.map((entry) => entry.slug).join(', ')}`,
        code: IssueCodes.unknownTemplate,
      });
    } else if (!template.models.includes(model.id)) {
      issues.push({ path: ['template'], message: `Template ${template.slug} cannot be used with ${model.id}; it works with ${template.models.join(', ')}`, code: IssueCodes.templateNotSupported });
      template = undefined;
    }
  }
  const templateReferences = mergeTemplateImages(model, input.referenceCount, template, warnings);
  const referenceCount = input.referenceCount + templateReferences.length;

  issues.push(...referenceIssues(model, referenceCount));
  warnings.push(...referenceFormatWarnings(model, input.referenceFormats ?? []));
  issues.push(...unknownParameterIssues(model, resolved.params));

  const normalized = normalizeOptions(model, resolved.params, input.options);
  issues.push(...normalized.issues);
  warnings.push(...normalized.warnings);

  const parsed = model.params.safeParse(normalized.params, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues as ZodIssue[]) issues.push({ path: issue.path.map(String), message: issueMessage(issue), code: issue.code });
  }
  const params: Record<string, unknown> = parsed.success ? { ...(parsed.data as Record<string, unknown>) } : {};

  // Prompt rules run on the raw prompt too, so one response lists every problem.
  issues.push(...promptIssues(model, parsed.success ? params.prompt : normalized.params.prompt, referenceCount));
  if (parsed.success && params.sketchToRender === true && input.referenceCount === 0) {
    issues.push({ path: ['sketchToRender'], message: 'sketchToRender needs the sketch as a reference image', code: IssueCodes.missingInputImage });
  }
  const style = parsed.success ? applyStyle(params, issues) : undefined;
  if (parsed.success && typeof params.prompt === 'string') {
    params.prompt = composePrompt(params.prompt, {
      ...(template ? { template } : {}),
      ...(style ? { style } : {}),
      templateImagesMerged: templateReferences.length > 0,
      tPose: params.tPose === true,
      sketchToRender: params.sketchToRender === true,
    });
  }

  const n = input.n ?? 1;
  let calls: number[] = [];
  if (!Number.isInteger(n) || n < 1 || n > MaxImagesPerJob) {
    issues.push({ path: ['n'], message: `n must be an integer from 1 to ${MaxImagesPerJob}`, code: IssueCodes.invalidN });
  } else {
    const plan = splitImagesOverCalls(n, model.capabilities.maxN, model.splitN !== false);
    if (plan.ok) calls = plan.calls;
    else issues.push({ path: ['n'], message: `${model.id}: ${plan.message}`, code: IssueCodes.invalidN });
  }

  if (input.seed !== undefined) {
    if (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > MaxSeed) {
      issues.push({ path: ['seed'], message: `seed must be an integer from 0 to ${MaxSeed}${seedShown(input.seed)}`, code: IssueCodes.invalidSeed });
    } else if (!model.capabilities.seed) {
      warnings.push(`${model.id} does not honour seed; results will differ between runs`);
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const perImage = model.price(params as never);
  const price = perImage * calls.reduce((sum, count) => sum + count, 0);
  return {
    ok: true,
    model,
    ...(resolved.upgradedFrom ? { upgradedFrom: resolved.upgradedFrom } : {}),
    params,
    calls,
    warnings,
    price,
    output: normalized.output,
    ...(template ? { template } : {}),
    templateReferences,
  };
}

/** Convenience for the model-agnostic mutation: resolve an id or alias, then validate. */
export function prepareGenerationById(idOrAlias: string, input: GenerationInput): PreparedGeneration | ValidationFailure {
  const model = findModel(idOrAlias);
  if (!model) return { ok: false, issues: [{ path: ['model'], message: `Unknown model ${JSON.stringify(idOrAlias)}`, code: 'unknown_model' }] };
  return prepareGeneration(model, input);
}

/** Most images one job may ask for (OpenRouter's image API: n 1-10). */
export const MaxImagesPerJob = 10;

/**
 * How `n` images are spread over upstream calls of at most `maxN` images: `[4, 4, 2]` for 10 at
 * 4 per call. A model that cannot be split (`splittable` false) takes at most `maxN`.
 */
export function splitImagesOverCalls(n: number, maxN: number, splittable: boolean): { ok: true; calls: number[] } | { ok: false; message: string } {
  if (n <= maxN) return { ok: true, calls: [n] };
  if (!splittable) return { ok: false, message: `n must be at most ${maxN}: this model returns one result per input and repeated calls would only repeat it` };
  const calls: number[] = [];
  for (let remaining = n; remaining > 0; remaining -= maxN) calls.push(Math.min(maxN, remaining));
  return { ok: true, calls };
}

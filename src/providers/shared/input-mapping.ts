import { specFor, type CallMode, type MappingContext, type ModelInputSpec } from '../../catalog/routes/input-spec.js';
import type { ProviderId } from '../../provider-ids.js';
import { UpstreamError } from '../errors.js';
import { toDataUrl } from '../http.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { isCatalogDefault, routeFor } from './catalog-lookups.js';

/**
 * The data-driven translation from Pictor's validated params to a hosted model's input object,
 * shared by the fal and Replicate adapters (both host many third-party models behind one JSON
 * `input`). Each model's route to them declares a `ModelInputSpec` (catalog/routes/input-spec.ts)
 * beside the model's params; this module applies it.
 */

/**
 * The input spec the request's route declares for this provider. The registry refuses to start
 * when a route to fal or Replicate lacks one (`checkRoutes`), so a missing spec here means the
 * request names a model or upstream the catalog does not route this way: refused, never guessed.
 */
export function routeInput(provider: ProviderId, request: GenerationRequest): ModelInputSpec {
  const route = routeFor(provider, request);
  if (!route?.input) {
    throw new UpstreamError('invalid_request', `${provider} has no route for ${request.modelId} as ${request.upstreamModel} with an input mapping`, { provider });
  }
  return route.input;
}

/** Tripo's switches, already carried out as prompt directives before the adapter is called. */
const MergedIntoPrompt = new Set(['tPose', 'sketchToRender']);

export interface BuiltInput {
  /** The upstream input without count and seed, which differ per call. */
  readonly input: Record<string, unknown>;
  readonly warnings: string[];
}

/** How many of the request's reference images the upstream takes (the rest become a warning). */
export function referencesUsed(spec: ModelInputSpec, request: GenerationRequest): number {
  const references = specFor(spec, request.references.length > 0 ? 'edit' : 'generate').references;
  if (!references) return 0;
  return Math.min(request.references.length, references.single ? 1 : (references.max ?? request.references.length));
}

/**
 * Builds the upstream input for one request: params through their rules, constants, reference
 * images and the output format hint. References go as data URLs unless the caller passes them
 * already turned into URLs (`referenceUrls`, the first `referencesUsed` images in order). Count
 * and seed are added per call by `upstreamCalls` because `n` may be split.
 */
export function buildInput(spec: ModelInputSpec, request: GenerationRequest, provider: string, referenceUrls?: readonly string[]): BuiltInput {
  const mode: CallMode = request.references.length > 0 ? 'edit' : 'generate';
  const effective = specFor(spec, mode);
  const warnings: string[] = [];
  const context: MappingContext = { request, mode, provider, warn: (message) => warnings.push(message) };
  const input: Record<string, unknown> = { ...effective.constants };

  for (const [name, value] of Object.entries(request.params)) {
    if (value === undefined || value === null || MergedIntoPrompt.has(name)) continue;
    const rule = effective.params?.[name] ?? snakeCase(name);
    if (typeof rule === 'string') {
      input[rule] = value;
    } else if ('handledElsewhere' in rule) {
      continue;
    } else if ('unsupported' in rule) {
      if (!isCatalogDefault(request.modelId, name, value)) {
        warnings.push(`${request.modelId} on ${provider} has no ${name} setting; ${JSON.stringify(value)} was not applied`);
      }
    } else if (rule.only && rule.only !== mode) {
      continue;
    } else if ('expand' in rule) {
      Object.assign(input, rule.expand(value, context));
    } else {
      const spelled = rule.values && typeof value !== 'object' && String(value) in rule.values ? rule.values[String(value)] : value;
      const converted = rule.convert ? rule.convert(spelled, context) : spelled;
      if (converted !== undefined) input[rule.field] = converted;
    }
  }

  if (request.references.length > 0) {
    const references = effective.references;
    if (!references) {
      warnings.push(`${request.modelId} on ${provider} takes no reference images; ${request.references.length} were not used`);
    } else {
      const max = referencesUsed(spec, request);
      if (request.references.length > max) {
        warnings.push(`${request.modelId} on ${provider} takes at most ${max} reference image${max === 1 ? '' : 's'}; only the first ${max} were used`);
      }
      const urls = referenceUrls ?? request.references.slice(0, max).map((image) => toDataUrl(image.bytes, image.format));
      input[references.field] = references.single ? urls[0] : urls;
    }
  }

  const format = request.output.format;
  if (effective.outputFormat && format && format !== 'svg') {
    const spelled = effective.outputFormat.values[format];
    if (spelled) input[effective.outputFormat.field] = spelled;
  }
  if (effective.compression && request.output.compression !== undefined && format !== 'png') {
    input[effective.compression] = request.output.compression;
  }
  return { input, warnings };
}

/** One upstream call of a request: the images it asks for and the seed it uses. */
export interface PlannedCall {
  readonly input: Record<string, unknown>;
  readonly images: number;
}

/**
 * Splits `n` over calls the upstream can make: one call with the count field when it has one,
 * else one call per image. Each call gets its own seed (base seed + images before it), so a
 * job's images differ yet stay reproducible.
 */
export function upstreamCalls(spec: ModelInputSpec, request: GenerationRequest, input: Record<string, unknown>): PlannedCall[] {
  const effective = specFor(spec, request.references.length > 0 ? 'edit' : 'generate');
  const perCall = effective.count ? Math.max(1, Math.min(request.n, effective.maxCount ?? request.n)) : 1;
  const calls: PlannedCall[] = [];
  for (let done = 0; done < request.n; done += perCall) {
    const images = Math.min(perCall, request.n - done);
    calls.push({
      images,
      input: {
        ...input,
        ...(effective.count ? { [effective.count]: images } : {}),
        ...(effective.seed ? { [effective.seed]: request.seed + done } : {}),
      },
    });
  }
  return calls;
}

/** `negativePrompt` -> `negative_prompt`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

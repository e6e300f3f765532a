import { findModel } from '../../catalog/index.js';
import { toDataUrl } from '../http.js';
import type { GenerationRequest, OutputFormat } from '../spec.js';

/**
 * The data-driven translation from Pictor's validated params to a hosted model's input object,
 * shared by the fal and Replicate adapters (both host many third-party models behind one JSON
 * `input`). Each model gets a `ModelInputSpec`; a param the spec does not mention goes to its
 * snake_case name unchanged (`negativePrompt` -> `negative_prompt`), which is how most of these
 * schemas are spelled. The spec lists only what differs: other names, other value spellings,
 * params that become several fields, and params the upstream cannot take (warnings).
 */

/** Whether the call sends reference images (fal's edit endpoints, Replicate's image inputs). */
export type CallMode = 'generate' | 'edit';

/** What a converter may read and report. */
export interface MappingContext {
  readonly request: GenerationRequest;
  readonly mode: CallMode;
  /** Display name of the upstream, for warnings ("fal", "Replicate"). */
  readonly provider: string;
  warn(message: string): void;
}

/** Turns one Pictor value into the upstream's spelling of it; `undefined` sends nothing. */
export type Convert = (value: unknown, context: MappingContext) => unknown;
/** Turns one Pictor value (and whatever else it needs from the params) into several fields. */
export type Expand = (value: unknown, context: MappingContext) => Readonly<Record<string, unknown>>;

export interface FieldRule {
  /** Upstream field name. */
  readonly field: string;
  /** Value spellings (`{ 'render_3D': 'Render 3D' }`); values not listed pass unchanged. An `undefined` entry sends nothing. */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly convert?: Convert;
  /** Send only on edit calls, or only on text-to-image calls (silently: the param means nothing on the other). */
  readonly only?: CallMode;
}

export interface ExpandRule {
  readonly expand: Expand;
  readonly only?: CallMode;
}

/** The upstream has no such setting: a value other than the catalog default becomes a warning. */
export interface UnsupportedRule {
  readonly unsupported: true;
}

/** Sent by another rule (e.g. `height` together with `width`). */
export interface HandledElsewhereRule {
  readonly handledElsewhere: true;
}

/** A plain string renames the param and passes its value unchanged. */
export type ParamRule = string | FieldRule | ExpandRule | UnsupportedRule | HandledElsewhereRule;

export const unsupported: UnsupportedRule = { unsupported: true };
export const handledElsewhere: HandledElsewhereRule = { handledElsewhere: true };

export interface ReferenceSpec {
  /** Upstream field taking the images as data URLs. */
  readonly field: string;
  /** One image (a string) instead of a list. */
  readonly single?: boolean;
  /** Most images the upstream takes; extra ones are dropped with a warning. */
  readonly max?: number;
}

export interface OutputFormatSpec {
  readonly field: string;
  /** How each format is spelled there; a missing format is not sent (Pictor re-encodes the output). */
  readonly values: Readonly<Partial<Record<OutputFormat, string>>>;
}

/** How one hosted model takes its input. Everything not stated is not sent. */
export interface ModelInputSpec {
  readonly params?: Readonly<Record<string, ParamRule>>;
  /** Fixed settings Pictor always sends (fal's `enable_safety_checker`, Ideogram V3's `rendering_speed`). */
  readonly constants?: Readonly<Record<string, unknown>>;
  /** Field taking the number of images; absent: one image per call, and `n` runs as several calls. */
  readonly count?: string;
  /** Most images one call returns when `count` is set. */
  readonly maxCount?: number;
  /** Field taking the seed; absent: the upstream takes none. */
  readonly seed?: string;
  /** Absent: the upstream takes no reference images (they are dropped with a warning). */
  readonly references?: ReferenceSpec;
  readonly outputFormat?: OutputFormatSpec;
  /** Field taking Pictor's 0-100 compression hint (OpenAI's `output_compression`). */
  readonly compression?: string;
  /** What differs on the edit endpoint or in edit mode (fal splits them; see `upstreamEditModel`). */
  readonly edit?: EditOverrides;
  /**
   * Why this route cannot run from Pictor at all (Replicate's gpt-image-1 needs the caller's own
   * OpenAI key). The adapter refuses before calling, as a configuration problem, so the router
   * moves on to the next route instead of failing the job.
   */
  readonly unavailable?: string;
}

export interface EditOverrides extends Omit<ModelInputSpec, 'edit' | 'unavailable'> {
  /**
   * The edit endpoint, when the route's `upstreamEditModel` names one the provider no longer
   * serves (fal retired `wan/v2.7/image-to-image` for `wan/v2.7/edit`).
   */
  readonly endpoint?: string;
}

/** The spec that applies to one call: edit overrides merged over the base. */
export function specFor(spec: ModelInputSpec, mode: CallMode): Omit<ModelInputSpec, 'edit'> & { endpoint?: string } {
  if (mode === 'generate' || !spec.edit) return spec;
  const { edit, ...base } = spec;
  return { ...base, ...edit, params: { ...base.params, ...edit.params }, constants: { ...base.constants, ...edit.constants } };
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
 * and seed are added per call by `planCalls` because `n` may be split.
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
export function planCalls(spec: ModelInputSpec, request: GenerationRequest, input: Record<string, unknown>): PlannedCall[] {
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

/** Whether `value` is what the catalog would have filled in had the client said nothing. */
function isCatalogDefault(modelId: string, name: string, value: unknown): boolean {
  const schema = findModel(modelId)?.params.shape[name] as { safeParse(input: unknown): { success: boolean; data?: unknown } } | undefined;
  if (!schema) return false;
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data === value;
}

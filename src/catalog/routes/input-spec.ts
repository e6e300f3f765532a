import type { GenerationRequest, OutputFormat } from '../request.js';

/**
 * How a hosted model takes its input, declared on the model's route (`ModelRoute.input`) for the
 * providers that host many vendors' models behind one JSON `input` (fal, Replicate). The
 * adapters turn Pictor's validated params into that input with these rules
 * (providers/shared/input-mapping.ts). A param the spec does not mention goes to its snake_case
 * name unchanged (`negativePrompt` -> `negative_prompt`), which is how most of these schemas are
 * spelled; the spec lists only what differs: other names, other value spellings, params that
 * become several fields, and params the upstream cannot take (warnings).
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

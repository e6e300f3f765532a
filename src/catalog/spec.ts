import type { z } from 'zod';
import type { ProviderId } from '../provider-ids.js';
import type { ApiframeBuilder } from './routes/apiframe.js';
import type { ModelInputSpec } from './routes/input-spec.js';
import type { OutputFormat } from './request.js';

/** What a model can do, shown to clients so a UI can enable the right controls. */
export interface ModelCapabilities {
  readonly textToImage: boolean;
  /** Takes reference images to edit or guide the result. */
  readonly editing: boolean;
  readonly maxReferenceImages: number;
  /** Cannot run without an input image (background removal, vectorization). */
  readonly requiresInputImage: boolean;
  /** Most images one upstream call returns. */
  readonly maxN: number;
  readonly outputFormats: readonly (OutputFormat | 'svg')[];
  readonly transparentBackground: boolean;
  /** Honours `seed` for reproducible results. */
  readonly seed: boolean;
  /** Emits preview frames while running. */
  readonly streamingPreviews: boolean;
}

/** What every route says: a provider and the model's name there. */
interface RouteBase {
  /** Provider id, matching `ImageProvider.id`. */
  readonly provider: ProviderId;
  /** The model as that provider names it. */
  readonly upstreamModel: string;
  /**
   * The provider's endpoint for the same model when reference images are given, where the
   * provider splits generation and editing into two endpoints (fal: `.../text-to-image` and
   * `.../edit`). Absent when one endpoint takes both.
   */
  readonly upstreamEditModel?: string;
}

/** Providers that host many vendors' models behind one JSON `input`. */
export type HostingProviderId = 'fal' | 'replicate';

/** A route to fal or Replicate: it must say how the params travel in the upstream's input. */
export interface HostedRoute extends RouteBase {
  readonly provider: HostingProviderId;
  readonly input: ModelInputSpec;
  readonly plan?: never;
}

/** A route to Apiframe: it must say how the params travel in Apiframe's `<model>Params` block. */
export interface ApiframeRoute extends RouteBase {
  readonly provider: 'apiframe';
  readonly plan: ApiframeBuilder;
  readonly input?: never;
}

/** A route to a provider whose adapter maps the params in its own code (the vendor's own API, local engines). */
export interface DirectRoute extends RouteBase {
  readonly provider: Exclude<ProviderId, HostingProviderId | 'apiframe'>;
  readonly input?: never;
  readonly plan?: never;
}

/**
 * Where a model can run, listed in order of preference. A route to a hosting provider without
 * its mapping fails the type check, and the provider registry checks it again at start-up.
 */
export type ModelRoute = HostedRoute | ApiframeRoute | DirectRoute;

/**
 * Which of a model's params receive Pictor's normalized, model-agnostic options (OpenRouter-style
 * `aspectRatio`, `resolution`, `size`, `background`, `outputFormat`). Each field names a key of
 * the model's `params`; rules/normalize.ts maps the requested value onto the nearest value that param
 * allows. A model without a field simply ignores that option, with a warning.
 */
export interface NormalizedParamNames {
  /**
   * A param whose values describe a shape: `"w:h"` ratios, `"WxH"` pixel sizes or fal-style
   * presets (`landscape_16_9`, `square_hd`, `auto_2K`); other values (`auto`) are never chosen.
   */
  readonly aspectRatio?: string;
  /** A param whose values are resolution tiers (`512`, `0.5K`, `1K`, `1k`, `2K`, `4K`). */
  readonly resolution?: string;
  /** Integer width and height params (pixels), filled from the requested ratio and tier. */
  readonly dimensions?: { readonly width: string; readonly height: string };
  /** A param taking `auto` / `transparent` / `opaque` (gpt-image's own `background`). */
  readonly background?: string;
  /** A param naming the encoding of the output (`png`, `webp`, `jpeg`). */
  readonly outputFormat?: string;
}

/** Prompt checks beyond the zod schema (length lives in the schema). */
export interface PromptRules {
  /**
   * Refuse emoji and the special Unicode the upstream rejects (pictographs, variation
   * selectors, joiners, private-use and unassigned code points). Tripo documents this for its
   * generate_image task; models whose limits come from that seed set it.
   */
  readonly rejectSpecialCharacters?: boolean;
}

/**
 * A catalog entry. `params` is the one source of truth for the model's parameters: the GraphQL
 * input field, validation, defaults, `Model.parameters` and the JSON Schema all derive from it.
 */
export interface ModelDefinition<Params extends z.ZodObject = z.ZodObject> {
  /** Canonical kebab-case id (`nano-banana-2`). */
  readonly id: string;
  /** Other ids clients may use, e.g. each reference API's spelling. */
  readonly aliases: readonly string[];
  readonly name: string;
  readonly description: string;
  /** Who makes the model (`Google`, `OpenAI`, `Pictor`). */
  readonly vendor: string;
  readonly capabilities: ModelCapabilities;
  /** Parameters, including `prompt` where the model takes one. Defaults live here. */
  readonly params: Params;
  /** Credits per image for the given (validated) parameters. */
  readonly price: (params: z.output<Params>) => number;
  /** A run longer than this fails with JOB_TIMEOUT. */
  readonly timeoutMs: number;
  readonly routes: readonly ModelRoute[];
  /** Params that receive the normalized cross-model options; see `NormalizedParamNames`. */
  readonly normalization?: NormalizedParamNames;
  /** Extra prompt checks; absent means only the schema's length limits apply. */
  readonly promptRules?: PromptRules;
  /**
   * The model to run instead when reference images are given but this model takes none (Tripo:
   * `flux.1_dev` and `midjourney` are upgraded to the default `flux.1_kontext_pro`). The job says
   * so in a warning. Absent: reference images on such a model are a validation issue.
   */
  readonly upgradeWithReferences?: string;
  /**
   * Whether `n` above `capabilities.maxN` may be split into several upstream calls. False for
   * engines whose output is a pure function of the input (background removal, vectorization),
   * where more calls would only repeat the same picture. Default true.
   */
  readonly splitN?: boolean;
  /**
   * Reference image formats the model refuses (`webp`: Tripo says flux.1_kontext_pro "does not
   * support WebP input images"). Checked when the caller reports the formats it received.
   */
  readonly unsupportedReferenceFormats?: readonly string[];
  /**
   * Params a reference API documents for this model that Pictor cannot carry out on any route,
   * with the reason: refused with that reason (code `unsupported_feature`), never accepted and
   * dropped.
   */
  readonly refusedParams?: Readonly<Record<string, string>>;
  /**
   * Takes an edit mask with its reference images (OpenAI's: transparent pixels mark where to
   * edit). Absent: a mask sent to this model is ignored with a warning.
   */
  readonly acceptsMask?: boolean;
  /** Where the parameters were taken from (vendor documentation URLs), shown to operators. */
  readonly sources?: readonly string[];
  /**
   * Set on the view of a model looked up by a reference service's own name (`gpt_4o`,
   * `tripo:midjourney`): that service's documented rules, already applied to the fields above.
   * Absent on catalog entries, which follow Pictor's own rules.
   */
  readonly serviceRules?: ServiceRules;
}

/** Helper that keeps the params type attached to the definition. */
export function defineModel<Params extends z.ZodObject>(definition: ModelDefinition<Params>): ModelDefinition<Params> {
  return definition;
}

/** Services whose own model names Pictor accepts, each name with that service's documented rules. */
export const ReferenceServices = { tripo: 'tripo', wonda: 'wonda', apiframe: 'apiframe', openrouter: 'openrouter' } as const;
export type ReferenceService = (typeof ReferenceServices)[keyof typeof ReferenceServices];

/** One service's documented rules for one of its model names. */
export interface ServiceRules {
  readonly service: ReferenceService;
  /** The name as the service spells it (`gpt_4o`). */
  readonly name: string;
  /** Credits per image whatever the parameters (Tripo: "No additional credits cost by parameters"). */
  readonly credits?: number;
  /** Prompt length limit in characters. */
  readonly promptMaxLength?: number;
  /** Refuse emoji and special Unicode, naming the character (Tripo). */
  readonly rejectSpecialCharacters?: boolean;
  /** Most reference images (Tripo's per-model max length of `files`). */
  readonly maxReferenceImages?: number;
  /** Catalog params the service does not document under this name: refused as unknown. */
  readonly omitParams?: readonly string[];
  /** The same service's name to run instead when reference images are given. */
  readonly upgradeWithReferences?: string;
  /** Each rule in a sentence, shown as `Model.rules` and in MODELS.md. */
  readonly rules: readonly string[];
}

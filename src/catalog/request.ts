/**
 * The request a model's routes carry to an engine: what the catalog resolved (params, output
 * encoding) plus the images the runner fetched. Defined here, below the adapters, because the
 * routes' parameter mappings (catalog/routes/) are written against it; the adapter contract
 * around it is providers/spec.ts.
 */

export const OutputFormats = ['png', 'webp', 'jpeg'] as const;
export type OutputFormat = (typeof OutputFormats)[number];

/** A reference or input image, fetched and checked by Pictor before the call. */
export interface InputImage {
  readonly bytes: Uint8Array;
  /** png | jpeg | webp */
  readonly format: string;
  readonly width: number;
  readonly height: number;
}

/**
 * How the client wants the outputs encoded, as the catalog resolved it and the job stores it.
 * Adapters pass it upstream where the API has the knob; the runner re-encodes what the engine
 * made to match it. Absent fields keep what the engine made.
 */
export interface OutputRequest {
  readonly format?: OutputFormat | 'svg';
  /** 0-100 quality-style level for webp/jpeg, 100 keeps the most detail (OpenAI's output_compression). */
  readonly compression?: number;
  readonly background?: 'auto' | 'transparent' | 'opaque';
}

/** One generation call as the runner hands it to an adapter. */
export interface GenerationRequest {
  /** The catalog model id (canonical). */
  readonly modelId: string;
  /** The model id as the upstream names it (route-specific). */
  readonly upstreamModel: string;
  /** Validated parameters with defaults applied, raw values (`"16:9"`, `"2K"`). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Number of images wanted from this call. */
  readonly n: number;
  /** Always set: Pictor picks one when the client did not, so a job can be reproduced. */
  readonly seed: number;
  /** Reference images in order (`[image 1]` first); empty for text-to-image. */
  readonly references: readonly InputImage[];
  /** An edit mask for the first reference (transparent pixels mark where to edit), for models that take one. */
  readonly mask?: InputImage;
  /** The route's edit endpoint, when the provider splits generation and editing (fal). */
  readonly upstreamEditModel?: string;
  readonly output: OutputRequest;
  /** Upstream-specific settings the client asked to forward as they are (only for adapters with `forwardsPassthrough`). */
  readonly providerPassthrough?: Readonly<Record<string, unknown>>;
}

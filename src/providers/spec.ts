/**
 * The contract between the job runner and every image engine, upstream or local. Adapters never
 * touch the database, the job tables or the GraphQL schema: they receive a request and report
 * through callbacks.
 */

export const OutputFormats = ['png', 'webp', 'jpeg'] as const;
export type OutputFormat = (typeof OutputFormats)[number];

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
}

/** A picture produced by an adapter: bytes it made or fetched, or a URL the runner downloads. */
export type GeneratedImage = { readonly bytes: Uint8Array; readonly url?: undefined } | { readonly url: string; readonly bytes?: undefined };

export interface GenerationResult {
  readonly images: readonly GeneratedImage[];
  /** Settings the engine could not honour, said to the client instead of silently dropped. */
  readonly warnings?: readonly string[];
  /** What the upstream reported it used (tokens, cost); absent when it does not say. */
  readonly usage?: Readonly<Record<string, unknown>>;
}

export interface ProgressUpdate {
  /** 0..1 */
  readonly progress: number;
  /** Short human-readable stage name ("rendering", "upscaling"). */
  readonly stage?: string;
  /** A low-resolution rendering of the result so far, encoded (png/webp/jpeg). */
  readonly preview?: Uint8Array;
}

export interface RunOptions {
  /** Fires on cancel, timeout, shutdown or a lost lease; adapters must stop promptly. */
  readonly signal: AbortSignal;
  /** Throttled by the runner; call as often as useful. */
  readonly onProgress: (update: ProgressUpdate) => void;
}

/** An engine that turns a request into images. */
export interface ImageProvider {
  /** Stable provider id (`placeholder`, `openai`, `fal`, ...). */
  readonly id: string;
  run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult>;
}

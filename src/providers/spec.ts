import type { ProviderId, UpstreamProviderId } from '../provider-ids.js';
import type { ProviderSettings } from './http.js';
import type { GenerationRequest } from '../catalog/request.js';
/**
 * The contract between the job runner and every image engine, upstream or local. Adapters never
 * touch the database, the job tables or the GraphQL schema: they receive a request and report
 * through callbacks.
 */

/** A picture produced by an adapter: bytes it made or fetched, or a URL the runner downloads. */
export type GeneratedImage = { readonly bytes: Uint8Array; readonly url?: undefined } | { readonly url: string; readonly bytes?: undefined };

export interface GenerationResult {
  readonly images: readonly GeneratedImage[];
  /** Settings the engine could not honour, said to the client instead of silently dropped. */
  readonly warnings?: readonly string[];
  /**
   * True when the upstream already encoded the images as `request.output` asked (format and
   * compression), so the runner stores them as they are instead of compressing twice.
   */
  readonly encoded?: boolean;
  /** What the upstream reported it used; absent when it does not say (the job then says "unknown"). */
  readonly usage?: Usage;
}

/** Usage as reported by the upstream. Only what it says: never invented. */
export interface Usage {
  /** Cost in US dollars, when the upstream reports one (OpenRouter, fal, Replicate metrics). */
  readonly costUsd?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Anything else the upstream reported, verbatim. */
  readonly raw?: Readonly<Record<string, unknown>>;
}

export interface ProgressUpdate {
  /** 0..1 */
  readonly progress: number;
  /** Short human-readable stage name ("queued", "rendering", "upscaling"). */
  readonly stage?: string;
  /** Position in the upstream's queue, when it reports one (fal). */
  readonly queuePosition?: number;
  /** Upstream log lines since the last update (fal logs, Replicate logs). */
  readonly logs?: readonly string[];
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
  readonly id: ProviderId;
  /** Sends `GenerationRequest.providerPassthrough` upstream (OpenRouter's `provider` object); others never see it. */
  readonly forwardsPassthrough?: boolean;
  run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult>;
}

/** A catalog route as the registry shows it to the adapter it names (see `checkRoute`). */
export interface RouteToCheck {
  readonly modelId: string;
  readonly upstreamModel: string;
  /** The route's input mapping for fal and Replicate (`ModelRoute.input`), when it declares one. */
  readonly input?: object;
  /** The route's Apiframe mapping (`ModelRoute.plan`), when it declares one. */
  readonly plan?: unknown;
}

/** An upstream adapter as the registry lists it: enabled when its API key is configured. */
export interface ProviderDescriptor {
  readonly id: UpstreamProviderId;
  /** Shown in the `providers` query. */
  readonly name: string;
  readonly defaultBaseUrl: string;
  readonly create: (settings: ProviderSettings) => ImageProvider;
  /**
   * Why the adapter could not run a catalog route as declared (a missing parameter mapping), or
   * undefined when it can. The registry asks this of every route before any adapter is built,
   * so a model mapped nowhere is a start-up error rather than a guess at run time.
   */
  readonly checkRoute?: (route: RouteToCheck) => string | undefined;
}

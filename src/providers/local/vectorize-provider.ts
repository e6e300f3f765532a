import type { z } from 'zod';
import { localVectorize, type runwareVectorize } from '../../catalog/models/utility.js';
import { UpstreamError } from '../errors.js';
import type { GenerationResult, ImageProvider, RunOptions } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import type { VtracerSettings } from './engine-protocol.js';
import type { LocalEnginePool } from './engine-pool.js';

type LocalParams = z.output<typeof localVectorize.params>;
type RunwareParams = z.output<typeof runwareVectorize.params>;

/** vtracer's own default; the catalog does not expose it. */
const MaxIterations = 10;

const ColorModes = { color: 0, binary: 1 } as const;
const Hierarchies = { stacked: 0, cutout: 1 } as const;
const PathModes = { none: 0, polygon: 1, spline: 2 } as const;

/** The catalog's `local-vectorize` params as vtracer takes them. */
export function vtracerSettings(params: LocalParams): VtracerSettings {
  return {
    colorMode: ColorModes[params.colorMode],
    hierarchical: Hierarchies[params.hierarchical],
    mode: PathModes[params.mode],
    filterSpeckle: params.filterSpeckle,
    colorPrecision: params.colorPrecision,
    layerDifference: params.layerDifference,
    cornerThreshold: params.cornerThreshold,
    lengthThreshold: params.lengthThreshold,
    maxIterations: MaxIterations,
    spliceThreshold: params.spliceThreshold,
    pathPrecision: params.pathPrecision,
  };
}

/**
 * `local-vectorize` passes its own params; `runware-vectorize` (Wonda's, when no upstream serves
 * it) names an upstream model vtracer cannot be, so it traces with `local-vectorize`'s defaults.
 */
export function vectorizeSettingsFor(request: GenerationRequest): { settings: VtracerSettings; warnings: string[] } {
  if (request.modelId === 'local-vectorize') return { settings: vtracerSettings(request.params as LocalParams), warnings: [] };
  const defaults = localVectorize.params.parse({});
  const upstreamModel = (request.params as Partial<RunwareParams>).vectorizeModel;
  const warnings = upstreamModel ? [`${upstreamModel} is only available upstream; traced locally with vtracer's default settings`] : [];
  return { settings: vtracerSettings(defaults), warnings };
}

/**
 * Peak memory of one trace in MB, engine process included: measured with `npm run
 * bench:local-engines` (VmHWM) at about 90 MB for the process plus 50 bytes per pixel on a flat
 * logo and 240 on a noisy photo (vtracer's clusters and paths), so photos set the estimate.
 */
export function vtracerMemoryMb(pixels: number): number {
  return 96 + (pixels * 256) / 1_048_576;
}

/** Vectorization on this machine: vtracer in an engine process. Provider id `local-vectorize`. */
export class LocalVectorizeProvider implements ImageProvider {
  readonly id = 'local-vectorize';

  /** `pool` is shared by the local engines; exposed for metrics and benchmarks. */
  constructor(readonly pool: LocalEnginePool) {}

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    const input = request.references[0];
    if (!input) throw new UpstreamError('invalid_request', 'Vectorization needs one input image', { provider: this.id });
    const { settings, warnings } = vectorizeSettingsFor(request);
    const output = await this.pool.run({ kind: 'vectorize', image: input.bytes, settings }, { signal, onProgress, estimatedMb: vtracerMemoryMb(input.width * input.height) });
    return { images: [{ bytes: output.bytes }], warnings };
  }
}

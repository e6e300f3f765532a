/**
 * Maps a Pictor generation request onto OpenAI Images API fields, per model family. Pure apart
 * from the reference conversion for dall-e-2, so the exact outgoing body is easy to test.
 *
 * Field rules follow the API reference
 * (https://platform.openai.com/docs/api-reference/images/create and
 * https://platform.openai.com/docs/api-reference/images/createEdit) as encoded in the official
 * SDK's request types (openai@6.49.0, `resources/images.d.ts`):
 * - GPT Image models always answer base64; `background`, `moderation`, `output_format`,
 *   `output_compression` exist only for them; `moderation` only on generations; `input_fidelity`
 *   only on edits; gpt-image-2 refuses `background: transparent`.
 * - dall-e-3: generations only, n = 1, `quality` standard/hd, `style` vivid/natural.
 * - dall-e-2: generations and edits (one square PNG), no quality; both answer URLs unless
 *   `response_format: b64_json` is asked for, which we always do (URLs expire in an hour).
 */
import { toFile, type OpenAI } from 'openai';
import sharp from 'sharp';
import { UpstreamError } from '../errors.js';
import type { GenerationRequest, InputImage } from '../../catalog/request.js';

export type OpenAIFamily = 'gpt-image' | 'dall-e-3' | 'dall-e-2';

/** Fields both endpoints share, minus the prompt images and the streaming switches. */
type SharedFields = Pick<
  OpenAI.ImageGenerateParamsNonStreaming & OpenAI.ImageEditParamsNonStreaming,
  'model' | 'prompt' | 'n' | 'size' | 'quality' | 'background' | 'output_format' | 'output_compression' | 'response_format'
>;

/** One Images API call, ready to send. */
export type OpenAICall =
  | { readonly kind: 'generate'; readonly family: OpenAIFamily; readonly body: OpenAI.ImageGenerateParamsNonStreaming; readonly warnings: string[] }
  | {
      readonly kind: 'edit';
      readonly family: OpenAIFamily;
      /** Everything but `image`, which `editUploads` prepares from `references`. */
      readonly body: Omit<OpenAI.ImageEditParamsNonStreaming, 'image'>;
      readonly references: readonly InputImage[];
      readonly warnings: string[];
    };

/**
 * gpt-image-1.5's catalog entry takes Wonda's aspect ratios; these are the API's sizes of that
 * shape (the catalog documents the same pairs).
 */
const SizeForAspectRatio: Record<string, string> = { '1:1': '1024x1024', '16:9': '1536x1024', '9:16': '1024x1536' };

/** Lossy encodings, the only ones `output_compression` applies to. */
const Compressible = new Set(['webp', 'jpeg']);

export function familyOf(upstreamModel: string): OpenAIFamily {
  if (upstreamModel.startsWith('dall-e-3')) return 'dall-e-3';
  if (upstreamModel.startsWith('dall-e-2')) return 'dall-e-2';
  return 'gpt-image';
}

function text(params: GenerationRequest['params'], name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the call for `request`: generations without references, edits with them. */
export function buildOpenAICall(request: GenerationRequest): OpenAICall {
  const family = familyOf(request.upstreamModel);
  const { params, output } = request;
  const warnings: string[] = [];
  const editing = request.references.length > 0;
  const fields: SharedFields = { model: request.upstreamModel, prompt: String(params.prompt ?? ''), n: request.n };

  const aspectRatio = text(params, 'aspectRatio');
  const size = text(params, 'size') ?? (aspectRatio ? SizeForAspectRatio[aspectRatio] : undefined);
  if (aspectRatio && !size) warnings.push(`aspectRatio ${aspectRatio} has no OpenAI size; the model chose one`);
  if (size) fields.size = size;
  const quality = text(params, 'quality');
  if (quality) fields.quality = quality as SharedFields['quality'];

  if (family !== 'gpt-image') {
    // dall-e answers URLs by default; base64 spares a second download of an expiring link.
    fields.response_format = 'b64_json';
  } else {
    const background = text(params, 'background') ?? output.background;
    if (background === 'transparent' && request.upstreamModel.startsWith('gpt-image-2')) {
      warnings.push(`${request.upstreamModel} cannot make transparent backgrounds; the background was left to the model`);
    } else if (background) {
      fields.background = background as SharedFields['background'];
    }
    if (output.format && output.format !== 'svg') {
      fields.output_format = output.format;
      if (output.compression !== undefined && Compressible.has(output.format)) fields.output_compression = Math.round(output.compression);
    }
  }

  const moderation = text(params, 'moderation');
  const inputFidelity = text(params, 'inputFidelity');
  if (!editing) {
    if (inputFidelity === 'high') warnings.push('inputFidelity applies only when reference images are given; it was not used');
    const body: OpenAI.ImageGenerateParamsNonStreaming = { ...fields };
    if (moderation) body.moderation = moderation as OpenAI.ImageGenerateParamsNonStreaming['moderation'];
    const style = text(params, 'style');
    if (style) body.style = style as OpenAI.ImageGenerateParamsNonStreaming['style'];
    return { kind: 'generate', family, body, warnings };
  }

  if (family === 'dall-e-3') {
    throw new UpstreamError('invalid_request', 'openai: dall-e-3 cannot edit images; the Images API edits with GPT Image models and dall-e-2', { provider: 'openai' });
  }
  if (moderation === 'low') warnings.push('moderation "low" applies only to generations; OpenAI used its default moderation for this edit');
  let references = request.references;
  if (family === 'dall-e-2' && references.length > 1) {
    warnings.push(`dall-e-2 edits one image; only the first of ${references.length} reference images was used`);
    references = references.slice(0, 1);
  }
  const body: Omit<OpenAI.ImageEditParamsNonStreaming, 'image'> = { ...fields };
  if (inputFidelity) body.input_fidelity = inputFidelity as OpenAI.ImageEditParamsNonStreaming['input_fidelity'];
  return { kind: 'edit', family, body, references, warnings };
}

/**
 * The `image` field of an edit: GPT Image models take up to 16 files as `image[]`; dall-e-2
 * takes one square RGBA PNG as `image`, so other encodings are converted here rather than
 * refused upstream.
 */
export async function editUploads(family: OpenAIFamily, references: readonly InputImage[]): Promise<File | File[]> {
  if (family === 'dall-e-2') {
    const [reference] = references;
    // Without a mask, dall-e-2 edits where the picture is transparent, and it refuses RGB input.
    const ready = reference.format === 'png' && (await sharp(reference.bytes).metadata()).hasAlpha;
    const png = ready ? reference.bytes : await sharp(reference.bytes).ensureAlpha().png().toBuffer();
    return toFile(png, 'image-1.png', { type: 'image/png' });
  }
  return Promise.all(
    references.map((reference, index) => {
      const format = reference.format === 'jpg' ? 'jpeg' : reference.format;
      return toFile(reference.bytes, `image-${index + 1}.${format === 'jpeg' ? 'jpg' : format}`, { type: `image/${format}` });
    }),
  );
}

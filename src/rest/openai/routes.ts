import type { MediaRefValue } from '../../submission/service.js';
import { submitGeneration } from '../../submission/service.js';
import { admit } from '../shared/admission.js';
import { parseWith, readJsonObject, type RestContext, type RestRoute } from '../shared/route.js';
import { issuesError, openaiError, refusalError, submissionError } from './errors.js';
import { respondAsStream, respondWhenDone } from './respond.js';
import { ImageEditRequest, ImageGenerationRequest, type ImageGenerationBody } from './schemas.js';
import { translateImageRequest } from './translate.js';

/** `POST /v1/images/generations` (JSON) and `POST /v1/images/edits` (multipart). */

async function generate(context: RestContext, body: ImageGenerationBody, uploads: { images: MediaRefValue[]; mask?: MediaRefValue; edit: boolean }): Promise<Response> {
  const { services, request } = context;
  const admission = await admit(request, services, { scope: 'generate' });
  if (!admission.ok) return refusalError(admission);
  const translation = translateImageRequest(body, uploads);
  if (!translation.ok) return openaiError(404, translation.message, 'invalid_request_error', 'model_not_found', 'model');
  const result = await submitGeneration(services, admission.viewer, { ...translation.request, idempotencyKey: request.headers.get('idempotency-key') });
  if (result.kind !== 'GenerateImageSuccess') return submissionError(result);
  if (body.stream) {
    return respondAsStream(services, admission.viewer, result.job, uploads.edit ? 'image_edit' : 'image_generation', body.partial_images ?? 0, request.signal);
  }
  return respondWhenDone(services, admission.viewer, result.job, body.response_format ?? 'b64_json', request.signal);
}

async function generations(context: RestContext): Promise<Response> {
  // The key is checked before the body is judged, so a client without one learns that first.
  const json = await readJsonObject(context.request);
  if (!json.ok) return unauthenticatedFirst(context, () => issuesError(json.issues));
  const parsed = parseWith(ImageGenerationRequest, json.value);
  if (!parsed.ok) return unauthenticatedFirst(context, () => issuesError(parsed.issues));
  return generate(context, parsed.value, { images: [], edit: false });
}

const ImageMagic: readonly [string, (bytes: Uint8Array) => boolean][] = [
  ['png', (bytes) => bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47],
  ['jpeg', (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff],
  ['webp', (bytes) => Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP'],
];

/** An uploaded file as an inline reference; the format is judged by content, never by the declared type. */
async function fileReference(file: File): Promise<MediaRefValue | undefined> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = ImageMagic.find(([, matches]) => matches(bytes))?.[0];
  return format ? { dataUrl: `data:image/${format};base64,${Buffer.from(bytes).toString('base64')}` } : undefined;
}

/** Multipart text fields as the JSON types the schema expects (`n=2` -> 2, `stream=true` -> true). */
function typedField(name: string, value: string): unknown {
  if (['n', 'output_compression', 'partial_images', 'seed'].includes(name)) return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (name === 'stream') return value === 'true' ? true : value === 'false' ? false : value;
  if (name === 'provider') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  // Other fields are model params by name (`steps=2`): numbers and booleans as such.
  if (!WireTextFields.has(name)) {
    if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    if (value === 'true' || value === 'false') return value === 'true';
  }
  return value;
}

/** Wire fields that stay text even when they look like numbers. */
const WireTextFields = new Set(['model', 'prompt', 'size', 'quality', 'background', 'output_format', 'response_format', 'aspect_ratio', 'resolution', 'user']);

async function edits(context: RestContext): Promise<Response> {
  const contentType = context.request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return unauthenticatedFirst(context, () =>
      openaiError(400, 'Send the edit as multipart/form-data with the image in "image" (or "image[]")', 'invalid_request_error', 'invalid_content_type', 'image'),
    );
  }
  let form: FormData;
  try {
    form = await context.request.formData();
  } catch {
    return unauthenticatedFirst(context, () => openaiError(400, 'The multipart body could not be read', 'invalid_request_error', 'invalid_body', null));
  }
  const fields: Record<string, unknown> = {};
  const files: File[] = [];
  let maskFile: File | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string') {
      if (name === 'image' || name === 'image[]') files.push(value);
      else if (name === 'mask') maskFile = value;
    } else if (name === 'input_references' || name === 'input_references[]') {
      ((fields.input_references ??= []) as unknown[]).push(value);
    } else fields[name] = typedField(name, value);
  }
  const images: MediaRefValue[] = [];
  for (const [index, file] of files.entries()) {
    const reference = await fileReference(file);
    if (!reference) return unauthenticatedFirst(context, () => openaiError(400, `image ${index + 1} is not a png, jpeg or webp file`, 'invalid_request_error', 'invalid_image', 'image'));
    images.push(reference);
  }
  const mask = maskFile ? await fileReference(maskFile) : undefined;
  if (maskFile && !mask) return unauthenticatedFirst(context, () => openaiError(400, 'mask is not a png, jpeg or webp file', 'invalid_request_error', 'invalid_image', 'mask'));
  if (images.length === 0 && !fields.input_references) {
    return unauthenticatedFirst(context, () => openaiError(400, 'An edit needs at least one image: send it as "image" (or several as "image[]")', 'invalid_request_error', 'missing_image', 'image'));
  }
  const parsed = parseWith(ImageEditRequest, fields);
  if (!parsed.ok) return unauthenticatedFirst(context, () => issuesError(parsed.issues));
  return generate(context, parsed.value, { images, ...(mask ? { mask } : {}), edit: true });
}

/** A malformed body from a caller without a valid key still answers 401 (and counts nothing). */
async function unauthenticatedFirst(context: RestContext, otherwise: () => Response): Promise<Response> {
  const authorization = context.request.headers.get('authorization');
  const viewer = authorization ? await context.services.authenticator.authenticate(authorization) : undefined;
  if (!viewer) return openaiError(401, 'A valid API key is required: send "Authorization: Bearer <key>"', 'invalid_request_error', 'invalid_api_key');
  return otherwise();
}

export const openaiRoutes: readonly RestRoute[] = [
  { method: 'POST', path: '/v1/images/generations', handler: generations },
  { method: 'POST', path: '/v1/images/edits', multipart: true, handler: edits },
];

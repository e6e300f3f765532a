import { findModel } from '../../catalog/index.js';
import { describeParameter } from '../../catalog/listing/describe.js';
import type { ModelDefinition } from '../../catalog/spec.js';
import type { MediaRefValue, SubmissionRequest } from '../../submission/service.js';
import { mapQuality, modelParamName, passthroughParams } from '../shared/model-params.js';
import type { ImageGenerationBody } from './schemas.js';

/** The model OpenAI's API runs when a request names none. */
export const DefaultModel = 'gpt-image-1';

/** Fields this format consumes itself; any other top-level field is a model param or a warning. */
const WireFields = new Set([
  'model',
  'prompt',
  'n',
  'size',
  'quality',
  'background',
  'output_format',
  'output_compression',
  'response_format',
  'stream',
  'partial_images',
  'aspect_ratio',
  'resolution',
  'seed',
  'provider',
  'user',
  'input_references',
  'image',
  'image[]',
  'mask',
]);

/** A reference as OpenRouter sends it: a data URL or an http(s) URL, bare or wrapped. */
export function referenceOf(reference: string | { image_url: { url: string } }): MediaRefValue {
  const url = typeof reference === 'string' ? reference : reference.image_url.url;
  return url.trimStart().startsWith('data:') ? { dataUrl: url.trim() } : { url };
}

export type Translation = { ok: true; model: ModelDefinition; request: Omit<SubmissionRequest, 'idempotencyKey'> } | { ok: false; status: 404; message: string };

/**
 * An OpenAI / OpenRouter body (and an edit's uploaded images) as a submission. Settings the
 * model has no use for are warnings on the job; the catalog validates the rest.
 */
export function translateImageRequest(body: ImageGenerationBody, uploads: { images: MediaRefValue[]; mask?: MediaRefValue | undefined; edit: boolean }): Translation {
  const requested = body.model ?? DefaultModel;
  const model = findModel(requested);
  if (!model) return { ok: false, status: 404, message: `The model ${JSON.stringify(requested.slice(0, 200))} does not exist; list models with GET /v1/models or the GraphQL models query` };
  const warnings: string[] = [];
  const params: Record<string, unknown> = {};
  if (describeParameter(model, 'prompt')) params.prompt = body.prompt;
  else if (body.prompt?.trim()) warnings.push(`${model.id} takes no prompt; the prompt was ignored`);

  if (body.quality !== undefined) {
    const quality = mapQuality(model, body.quality);
    if (quality.value !== undefined) params.quality = quality.value;
    if (quality.warning) warnings.push(quality.warning);
  }
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (WireFields.has(key) || value === undefined) continue;
    const name = modelParamName(model, key);
    if (name && name !== 'prompt') params[name] = value;
    else ignored.push(key.slice(0, 64));
  }
  if (body.user !== undefined) ignored.push('user');
  if (ignored.length) warnings.push(`${ignored.slice(0, 20).join(', ')}: not a setting of ${model.id}; ignored`);
  let providerPassthrough: SubmissionRequest['providerPassthrough'];
  if (body.provider) {
    const passthrough = passthroughParams(model, body.provider, 'provider');
    Object.assign(params, passthrough.params);
    // The rest goes to the upstream when the job runs on one that takes it (OpenRouter).
    if (passthrough.rest) providerPassthrough = { value: passthrough.rest, unusedWarnings: passthrough.warnings };
  }
  if (body.stream && !model.capabilities.streamingPreviews) warnings.push(`${model.id} sends no partial images; the stream carries the finished images only`);

  const references = [...uploads.images, ...(body.input_references ?? []).map(referenceOf)];
  const size = body.size && body.size !== 'auto' ? body.size : undefined;
  return {
    ok: true,
    model,
    request: {
      model,
      params,
      references,
      mask: uploads.mask ?? null,
      n: body.n ?? 1,
      seed: body.seed,
      template: undefined,
      options: {
        ...(body.aspect_ratio !== undefined ? { aspectRatio: body.aspect_ratio } : {}),
        ...(body.resolution !== undefined ? { resolution: body.resolution } : {}),
        ...(size !== undefined ? { size } : {}),
        ...(body.background !== undefined ? { background: body.background } : {}),
        ...(body.output_format !== undefined ? { outputFormat: body.output_format } : {}),
        ...(body.output_compression !== undefined ? { outputCompression: body.output_compression } : {}),
      },
      paramsPath: [],
      promptPath: ['prompt'],
      referencesPath: uploads.edit && uploads.images.length > 0 ? ['image'] : ['input_references'],
      maskPath: ['mask'],
      optionPaths: {
        aspectRatio: ['aspect_ratio'],
        resolution: ['resolution'],
        size: ['size'],
        background: ['background'],
        outputFormat: ['output_format'],
        outputCompression: ['output_compression'],
      },
      warnings,
      ...(providerPassthrough ? { providerPassthrough } : {}),
    },
  };
}

import { isCatalogDefault } from '../shared/catalog-lookups.js';
import type { GenerationRequest, InputImage } from '../../catalog/request.js';

/**
 * Pictor params -> the JSON body of one BFL task (https://api.bfl.ai/openapi.json schemas
 * FluxPro11Inputs, FluxUltraInput, FluxDevInputs, FluxKontextProInputs, Flux2Inputs,
 * Flux2FlexInputs). Pictor's FLUX params are named after BFL's fields, so the mapping is by name;
 * only how reference images travel differs per model: FLUX 1.x takes one `image_prompt` (Redux /
 * remix), Kontext and FLUX.2 take `input_image`, `input_image_2`, ... as base64.
 */

/** Pictor param -> BFL field. */
const FieldNames: Readonly<Record<string, string>> = {
  width: 'width',
  height: 'height',
  aspectRatio: 'aspect_ratio',
  raw: 'raw',
  steps: 'steps',
  guidance: 'guidance',
  promptUpsampling: 'prompt_upsampling',
  safetyTolerance: 'safety_tolerance',
};

/** Params that never reach the body: the prompt is sent on its own, Tripo's switches are already in it. */
const PromptParams = new Set(['prompt', 'tPose', 'sketchToRender']);

interface ReferenceStyle {
  /** `image_prompt` (one image) or numbered `input_image` fields. */
  readonly field: 'image_prompt' | 'input_image';
  readonly max: number;
}

/** How each BFL endpoint takes reference images; FLUX.2 is the default for endpoints not listed. */
const ReferenceStyles: Readonly<Record<string, ReferenceStyle>> = {
  'flux-pro-1.1': { field: 'image_prompt', max: 1 },
  'flux-pro-1.1-ultra': { field: 'image_prompt', max: 1 },
  'flux-dev': { field: 'image_prompt', max: 1 },
  'flux-kontext-pro': { field: 'input_image', max: 4 },
  'flux-2-pro': { field: 'input_image', max: 8 },
  'flux-2-max': { field: 'input_image', max: 8 },
  'flux-2-flex': { field: 'input_image', max: 8 },
};
const DefaultReferenceStyle: ReferenceStyle = { field: 'input_image', max: 8 };

/** A BFL task body (without the seed, which varies per task) and what could not be honoured. */
export interface BflTask {
  readonly body: Record<string, unknown>;
  readonly warnings: string[];
}

/** BFL's base64 image fields take the bare payload (no data-URL prefix). */
function base64(image: InputImage): string {
  return Buffer.from(image.bytes).toString('base64');
}

/** Builds the task body for `request.upstreamModel` (the BFL endpoint name). */
export function buildBflTask(request: GenerationRequest): BflTask {
  const warnings: string[] = [];
  const body: Record<string, unknown> = { prompt: String(request.params.prompt ?? '') };
  const references = request.references;
  for (const [key, value] of Object.entries(request.params)) {
    if (PromptParams.has(key) || value === undefined) continue;
    if (key === 'imagePromptStrength') {
      // Only meaningful with an image prompt; BFL ignores it otherwise.
      if (references.length > 0) body.image_prompt_strength = value;
      else if (!isCatalogDefault(request.modelId, key, value)) warnings.push('imagePromptStrength was not applied: it needs a reference image');
      continue;
    }
    const field = FieldNames[key];
    if (field) body[field] = value;
    else if (!isCatalogDefault(request.modelId, key, value)) warnings.push(`${key} is not supported by BFL's ${request.upstreamModel} and was ignored`);
  }

  const style = ReferenceStyles[request.upstreamModel] ?? DefaultReferenceStyle;
  references.slice(0, style.max).forEach((reference, index) => {
    const name = style.field === 'image_prompt' ? 'image_prompt' : index === 0 ? 'input_image' : `input_image_${index + 1}`;
    body[name] = base64(reference);
  });
  if (references.length > style.max) {
    warnings.push(`BFL's ${request.upstreamModel} takes ${style.max} reference image${style.max === 1 ? '' : 's'}; the other ${references.length - style.max} were ignored`);
  }

  const format = request.output.format;
  if (format === 'png' || format === 'jpeg' || format === 'webp') body.output_format = format;
  if (request.output.background === 'transparent') warnings.push('BFL renders opaque images: a transparent background was not applied');
  return { body, warnings };
}

import type { z } from 'zod';
import { DefaultPromptMaxLength, TripoCredits, TripoPromptMaxLength, promptParam } from '../models/common.js';
import { ReferenceServices, type ModelDefinition, type ServiceRules } from '../spec.js';

/**
 * The rules each reference service documents for its own model names (seeds 000-004). One model
 * often has several names: `gpt-image-1.5` is Wonda's `gpt-image-1-5`, Apiframe's
 * `gpt-image-1.5` and Tripo's `gpt_image_1.5`. A request under a service's name follows that
 * service's rules (price, prompt limits, file limits, parameters), whatever the other names do;
 * a request under Pictor's canonical id follows the catalog entry. This module only builds the
 * rule views; `index.ts` and `service-names.ts` decide which name gets which view.
 */

export { ReferenceServices, type ReferenceService, type ServiceRules } from '../spec.js';

/** Tripo's switches (tPose, sketchToRender), which only Tripo documents. */
export const TripoPresetParamNames = ['tPose', 'sketchToRender'] as const;
/** Wonda's style parameter, which only Wonda documents. */
export const WondaStyleParamNames = ['styleId'] as const;

/** One row of Tripo's `model_version` list. */
export interface TripoModelVersion {
  readonly version: string;
  readonly modelId: string;
  /** "5 credits when model_version is flux.1_kontext_pro, flux.1_dev, gpt_4o, or gemini_2.5_flash_image_preview, and 10 credits when ..." */
  readonly credits: number;
  /** The documented max length of `files`; absent where the seed gives none (the model's own limit applies). */
  readonly maxFiles?: number;
  /** "unable to use with image file": with files the default version runs. */
  readonly takesNoFiles?: boolean;
}

/** Tripo: "If not set, the default version will be used: flux.1_kontext_pro(default)". */
export const TripoDefaultModelVersion = 'flux.1_kontext_pro';

export const TripoModelVersions: readonly TripoModelVersion[] = [
  // "For flux.1_kontext_pro, the max length of files is 4."
  { version: 'flux.1_kontext_pro', modelId: 'flux-kontext-pro', credits: TripoCredits.standard, maxFiles: 4 },
  // "flux.1_dev(unable to use with image file, if requested with image file, it will upgraded to default version)"
  { version: 'flux.1_dev', modelId: 'flux-1-dev', credits: TripoCredits.standard, takesNoFiles: true },
  // "For gpt_4o, gpt_image_2, and gemini_2.5_flash_image_preview, the max length of files is 10."
  { version: 'gpt_4o', modelId: 'gpt-image-1', credits: TripoCredits.standard, maxFiles: 10 },
  { version: 'gpt_image_1.5', modelId: 'gpt-image-1.5', credits: TripoCredits.premium },
  { version: 'gpt_image_2', modelId: 'gpt-image-2', credits: TripoCredits.premium, maxFiles: 10 },
  // "midjourney(unable to use with image file)"
  { version: 'midjourney', modelId: 'midjourney', credits: TripoCredits.premium, takesNoFiles: true },
  { version: 'gemini_2.5_flash_image_preview', modelId: 'nano-banana', credits: TripoCredits.standard, maxFiles: 10 },
  { version: 'gemini_3_pro_image_preview', modelId: 'nano-banana-pro', credits: TripoCredits.premium },
  { version: 'gemini_3.1_flash_image_preview', modelId: 'nano-banana-2', credits: TripoCredits.premium },
];

/** Tripo's rules for one model_version on top of its catalog entry. */
export function tripoRules(entry: TripoModelVersion, model: ModelDefinition): ServiceRules {
  const maxFiles = entry.takesNoFiles ? 0 : (entry.maxFiles ?? model.capabilities.maxReferenceImages);
  return {
    service: ReferenceServices.tripo,
    name: entry.version,
    credits: entry.credits,
    promptMaxLength: TripoPromptMaxLength,
    rejectSpecialCharacters: true,
    maxReferenceImages: maxFiles,
    omitParams: WondaStyleParamNames,
    ...(entry.takesNoFiles ? { upgradeWithReferences: TripoDefaultModelVersion } : {}),
    rules: [
      `Tripo model_version ${entry.version}: ${entry.credits} credits per image whatever the parameters ("No additional credits cost by parameters")`,
      `prompt of 1-${TripoPromptMaxLength} characters; emoji and special Unicode characters are refused, naming the character`,
      entry.takesNoFiles
        ? `takes no image files: with files the job runs on ${TripoDefaultModelVersion} (the default version) at its price, with a warning`
        : `up to ${maxFiles} image files${entry.maxFiles === undefined ? " (the model's own limit; Tripo's seed gives none)" : ''}`,
    ],
  };
}

/** Wonda's model keys and the catalog id of each. */
export const WondaModelKeys: Readonly<Record<string, string>> = {
  'nano-banana-2': 'nano-banana-2',
  'nano-banana-pro': 'nano-banana-pro',
  'seedream-4-5': 'seedream-4.5',
  'z-image': 'z-image',
  'gpt-image-1-5': 'gpt-image-1.5',
  'grok-imagine': 'grok-imagine',
  'grok-imagine-pro': 'grok-imagine-pro',
  'birefnet-bg-removal': 'birefnet-bg-removal',
  'runware-vectorize': 'runware-vectorize',
};

/** Wonda's rules: its parameter table exactly, without Tripo's switches. */
export function wondaRules(key: string): ServiceRules {
  return {
    service: ReferenceServices.wonda,
    name: key,
    omitParams: TripoPresetParamNames,
    rules: [`Wonda model ${key}: the parameters, defaults and attachment limits of Wonda's table for ${key}`],
  };
}

/** Apiframe's model identifiers (seeds 001/002); each is also a catalog id or alias. */
export const ApiframeModelIds = [
  'midjourney',
  'nano-banana',
  'nano-banana-pro',
  'nano-banana-2',
  'flux-1.1-pro',
  'flux-1.1-pro-ultra',
  'flux-2-pro',
  'flux-2-dev',
  'flux-2-flex',
  'flux-2-max',
  'seedream-3',
  'seedream-3.1',
  'seedream-4',
  'seedream-4.5',
  'seedream-5-lite',
  'ideogram-v2',
  'ideogram-v2-turbo',
  'ideogram-v2a',
  'ideogram-v2a-turbo',
  'ideogram-v3-balanced',
  'ideogram-v3-turbo',
  'ideogram-v3-quality',
  'ideogram-character',
  'imagen-3',
  'imagen-3-fast',
  'imagen-4',
  'imagen-4-ultra',
  'imagen-4-fast',
  'dall-e-3',
  'dall-e-2',
  'gpt-image-1.5',
  'kling-image',
  'qwen-image',
  'qwen-image-2',
  'qwen-image-2-pro',
  'wan-image-2.6',
  'wan-image-2.7',
  'wan-image-2.7-pro',
  'grok-imagine-image',
  'reve-create',
] as const;

/**
 * Apiframe's rules: "The image description (1-2,000 characters)", no other services' params. Where
 * the vendor's own limit is lower (OpenAI: 1,000 characters for dall-e-2) that limit stays, since
 * a longer prompt would be accepted only to fail upstream.
 */
export function apiframeRules(id: string, model: ModelDefinition): ServiceRules {
  const vendorLimit = (model.params.shape as Record<string, { maxLength?: number | null }>).prompt?.maxLength ?? DefaultPromptMaxLength;
  const promptMaxLength = Math.min(DefaultPromptMaxLength, vendorLimit);
  return {
    service: ReferenceServices.apiframe,
    name: id,
    promptMaxLength,
    omitParams: [...TripoPresetParamNames, ...WondaStyleParamNames],
    rules: [
      `Apiframe model ${id}: prompt of 1-${promptMaxLength} characters${promptMaxLength < DefaultPromptMaxLength ? " (the vendor's own limit, below Apiframe's 2,000)" : ''}; parameters of Pictor's catalog entry without other services' extras`,
    ],
  };
}

/**
 * The model as the service's name defines it: same id, routes and description, with the
 * service's price, prompt limits, file limit and parameters. Pure; callers cache the result
 * (listing/describe.ts caches JSON Schemas per definition object).
 */
export function applyServiceRules(model: ModelDefinition, rules: ServiceRules): ModelDefinition {
  const shape = model.params.shape as Record<string, z.ZodType>;
  const omitted = (rules.omitParams ?? []).filter((name) => name in shape);
  let params = model.params as z.ZodObject;
  if (omitted.length > 0) params = params.omit(Object.fromEntries(omitted.map((name) => [name, true])) as never);
  if (rules.promptMaxLength !== undefined && 'prompt' in shape) params = params.extend({ prompt: promptParam(rules.promptMaxLength) });
  const credits = rules.credits;
  return {
    ...model,
    params,
    price: credits === undefined ? model.price : () => credits,
    capabilities: rules.maxReferenceImages === undefined ? model.capabilities : { ...model.capabilities, maxReferenceImages: rules.maxReferenceImages },
    ...(rules.rejectSpecialCharacters ? { promptRules: { ...model.promptRules, rejectSpecialCharacters: true } } : {}),
    ...(rules.upgradeWithReferences ? { upgradeWithReferences: rules.upgradeWithReferences } : {}),
    serviceRules: rules,
  };
}

/** How a model is named in messages: the service's name when it was asked for by one. */
export function requestedName(model: ModelDefinition): string {
  return model.serviceRules ? `${model.serviceRules.name} (${model.serviceRules.service})` : model.id;
}

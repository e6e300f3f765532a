import type { GenerationRequest } from '../../catalog/request.js';

/**
 * Pictor's validated params as OpenRouter's normalized fields. OpenRouter takes the same
 * normalized vocabulary Pictor uses (`aspect_ratio` "16:9" or "auto", `resolution` "1K"/"2K"/"4K",
 * `quality`), so values pass through unchanged; params with no OpenRouter field become warnings.
 */

/** Tripo's switches, already carried out as prompt directives before the adapter is called. */
const MergedIntoPrompt = new Set(['tPose', 'sketchToRender']);

/** Pictor param name -> OpenRouter field. */
const Fields = { aspectRatio: 'aspect_ratio', resolution: 'resolution', quality: 'quality' } as const;

export interface OpenRouterParams {
  readonly prompt: string;
  readonly aspectRatio?: string;
  readonly resolution?: string;
  readonly quality?: string;
  readonly warnings: string[];
}

export function readOpenRouterParams(request: GenerationRequest): OpenRouterParams {
  const warnings: string[] = [];
  const mapped: Partial<Record<keyof typeof Fields, string>> = {};
  for (const [name, value] of Object.entries(request.params)) {
    if (name === 'prompt' || MergedIntoPrompt.has(name) || value === undefined || value === null) continue;
    if (name in Fields && typeof value === 'string') mapped[name as keyof typeof Fields] = value;
    else if (name === 'styleId') warnings.push('styleId (a Wonda style) has no equivalent on OpenRouter and was ignored');
    else warnings.push(`${name} is not supported by OpenRouter for ${request.upstreamModel} and was ignored`);
  }
  return { prompt: String(request.params.prompt ?? ''), ...mapped, warnings };
}

import type { GenerationRequest } from '../../catalog/request.js';

/**
 * Reading Pictor's validated params for the Gemini API, and saying out loud what it cannot take.
 * The catalog's zod schemas have already checked every value, so this only picks fields.
 */

/** Tripo's switches, already carried out as prompt directives before the adapter is called. */
const MergedIntoPrompt = new Set(['tPose', 'sketchToRender']);

/** Params with a documented meaning but no Gemini API field, and what to tell the client. */
const Unsupported: Readonly<Record<string, string>> = {
  styleId: 'styleId (a Wonda style) has no equivalent in the Gemini API and was ignored',
};

export interface ParamReader {
  readonly prompt: string;
  /** A string param, when set. */
  string(name: string): string | undefined;
  readonly warnings: string[];
}

/**
 * Collects warnings for params the route cannot use. `handled` names the params the caller maps;
 * anything else that is set (and not merged into the prompt) is reported, never dropped silently.
 */
export function readParams(request: GenerationRequest, handled: readonly string[]): ParamReader {
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(request.params)) {
    if (name === 'prompt' || handled.includes(name) || MergedIntoPrompt.has(name) || value === undefined || value === null) continue;
    warnings.push(Unsupported[name] ?? `${name} is not supported by the Gemini API for ${request.upstreamModel} and was ignored`);
  }
  if (request.output.background === 'transparent') warnings.push(`${request.upstreamModel} cannot make a transparent background; the image is opaque`);
  return {
    prompt: String(request.params.prompt ?? ''),
    string: (name) => {
      const value = request.params[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
    warnings,
  };
}

import { GoogleGenAI } from '@google/genai';
import type { ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GenerationResult, ImageProvider, RunOptions } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { GeminiProviderId } from './failures.js';
import { runGenerateContent } from './generate-content.js';
import { runImagen } from './imagen.js';

/**
 * Google's Gemini API (https://ai.google.dev/gemini-api/docs): the nano-banana image models
 * through generateContent (official SDK, @google/genai) and Imagen 3/4 through `:predict`.
 * `GEMINI_BASE_URL` replaces `https://generativelanguage.googleapis.com`; both paths append
 * `/v1beta/models/<model>:<method>` to it.
 */
export class GeminiProvider implements ImageProvider {
  readonly id = GeminiProviderId;
  private readonly client: GoogleGenAI;

  constructor(private readonly settings: ProviderSettings) {
    this.client = new GoogleGenAI({
      // Explicit, so GOOGLE_GENAI_USE_VERTEXAI or GOOGLE_GEMINI_BASE_URL in the environment cannot redirect calls.
      vertexai: false,
      apiKey: settings.apiKey,
      httpOptions: { baseUrl: settings.baseUrl, apiVersion: 'v1beta', fetch: settings.fetch },
    });
  }

  run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    // Imagen models are named `imagen-*` by Google; every other model is a Gemini image model.
    if (request.upstreamModel.startsWith('imagen-')) return runImagen(this.settings, request, options);
    return runGenerateContent(this.client, this.settings.fetch, request, options);
  }
}

export const geminiProvider = {
  id: 'gemini',
  name: 'Google Gemini API',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  create: (settings) => new GeminiProvider(settings),
} satisfies ProviderDescriptor;

import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { fromBase64, requestJson, type ProviderSettings } from '../http.js';
import type { GenerationResult, RunOptions } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { GeminiProviderId, refineGeminiFailure } from './failures.js';
import { readParams } from './params.js';

/**
 * Imagen 3 and 4 on the Gemini API: `POST /v1beta/models/<model>:predict` with
 * `{ instances: [{ prompt }], parameters: { sampleCount, aspectRatio, imageSize, personGeneration } }`
 * and the key in `x-goog-api-key`; the answer is `{ predictions: [{ bytesBase64Encoded, mimeType }] }`.
 * Docs: https://ai.google.dev/gemini-api/docs/imagen (parameters and the REST example).
 *
 * This goes through `requestJson`, not the SDK: @google/genai 2.x only implements
 * `models.generateImages` for Vertex AI and throws for the Gemini Developer API.
 */

/** Only the fields read. A filtered image comes back as `{ raiFilteredReason }` (includeRaiReason). */
const PredictResponse = z.object({
  predictions: z.array(z.object({ bytesBase64Encoded: z.string().optional(), mimeType: z.string().optional(), raiFilteredReason: z.string().optional() })).optional(),
});

/** The documented request body for the given request, and what it could not carry. */
export function predictBody(request: GenerationRequest): { body: Record<string, unknown>; warnings: string[] } {
  const params = readParams(request, ['aspectRatio', 'resolution', 'personGeneration']);
  const warnings = [...params.warnings];
  if (request.references.length > 0) warnings.push(`${request.upstreamModel} takes no reference images; ${request.references.length} were ignored`);
  const aspectRatio = params.string('aspectRatio');
  const imageSize = params.string('resolution');
  const personGeneration = params.string('personGeneration');
  return {
    body: {
      instances: [{ prompt: params.prompt }],
      parameters: {
        sampleCount: request.n,
        ...(aspectRatio ? { aspectRatio } : {}),
        // Only Imagen 4 Standard and Ultra take imageSize; the catalog gives the others no resolution param.
        ...(imageSize ? { imageSize } : {}),
        ...(personGeneration ? { personGeneration } : {}),
        // Filtered images then say why instead of silently disappearing.
        includeRaiReason: true,
      },
    },
    warnings,
  };
}

export async function runImagen(settings: ProviderSettings, request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
  const { body, warnings } = predictBody(request);
  onProgress({ progress: 0, stage: 'generating' });
  let response: z.output<typeof PredictResponse>;
  try {
    response = await requestJson({
      provider: GeminiProviderId,
      url: `${settings.baseUrl}/v1beta/models/${encodeURIComponent(request.upstreamModel)}:predict`,
      headers: { 'x-goog-api-key': settings.apiKey },
      body,
      response: PredictResponse,
      signal,
      fetch: settings.fetch,
    });
  } catch (error) {
    throw refineGeminiFailure(error);
  }
  const predictions = response.predictions ?? [];
  const images = predictions.flatMap((prediction) => (prediction.bytesBase64Encoded ? [fromBase64(prediction.bytesBase64Encoded)] : []));
  const filtered = predictions.flatMap((prediction) => (prediction.raiFilteredReason ? [prediction.raiFilteredReason] : []));
  if (images.length === 0) {
    const details = { provider: GeminiProviderId, statusCode: 200, responseBody: JSON.stringify(response).slice(0, 2000) };
    if (filtered.length > 0) throw new UpstreamError('content_policy', `${GeminiProviderId} filtered the image: ${filtered[0]}`, details);
    throw new UpstreamError('retryable', `${GeminiProviderId} returned no image`, details);
  }
  if (filtered.length > 0) warnings.push(`${filtered.length} of ${request.n} images were filtered by Google's safety checks: ${filtered[0]}`);
  // The Imagen endpoint reports no usage or cost, so the job says "unknown".
  return { images: images.map((bytes) => ({ bytes })), ...(warnings.length > 0 ? { warnings } : {}) };
}

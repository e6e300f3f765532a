import type { GenerateContentConfig, GoogleGenAI, Part } from '@google/genai';
import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { fromBase64 } from '../http.js';
import type { GenerationResult, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { classifySdkFailure, GeminiProviderId, PolicyFinishReasons, RefusalText, ResponseRecorder } from './failures.js';
import { readParams } from './params.js';

/**
 * The nano-banana family (Gemini 2.5 Flash Image, Gemini 3 Pro Image, Gemini 3.1 Flash Image)
 * through `models.generateContent` of the official SDK, which posts to
 * `/v1beta/models/<model>:generateContent`.
 * Docs: https://ai.google.dev/gemini-api/docs/image-generation and
 * https://ai.google.dev/api/generate-content (GenerationConfig.imageConfig, FinishReason,
 * PromptFeedback.blockReason, UsageMetadata).
 */

/** Only the fields read; the SDK returns the parsed body, so this guards against odd 200s. */
const ContentResponse = z.object({
  candidates: z
    .array(
      z.object({
        content: z
          .object({
            parts: z
              .array(z.object({ text: z.string().optional(), thought: z.boolean().optional(), inlineData: z.object({ data: z.string().optional(), mimeType: z.string().optional() }).optional() }))
              .optional(),
          })
          .optional(),
        finishReason: z.string().optional(),
        finishMessage: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() }).optional(),
  usageMetadata: z
    .object({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional(), thoughtsTokenCount: z.number().optional(), totalTokenCount: z.number().optional() })
    .passthrough()
    .optional(),
});
type ContentResponse = z.output<typeof ContentResponse>;

/** Builds the SDK call: the prompt first, then the reference images in order as inline data. */
export function contentRequest(request: GenerationRequest): { parts: Part[]; config: GenerateContentConfig; warnings: string[] } {
  const params = readParams(request, ['aspectRatio', 'resolution']);
  const aspectRatio = params.string('aspectRatio');
  const imageSize = params.string('resolution');
  const imageConfig = {
    // `auto` means the model decides (from the reference images when there are some).
    ...(aspectRatio && aspectRatio !== 'auto' ? { aspectRatio } : {}),
    ...(imageSize ? { imageSize } : {}),
  };
  const warnings = [...params.warnings];
  if (request.n > 1) warnings.push(`${request.upstreamModel} returns one image per request; ${request.n} were asked`);
  const parts: Part[] = [
    { text: params.prompt },
    ...request.references.map((reference) => ({ inlineData: { mimeType: `image/${reference.format === 'jpg' ? 'jpeg' : reference.format}`, data: Buffer.from(reference.bytes).toString('base64') } })),
  ];
  return {
    parts,
    config: {
      // Image only: the model must answer with a picture, not a description of one.
      responseModalities: ['IMAGE'],
      ...(Object.keys(imageConfig).length > 0 ? { imageConfig } : {}),
      seed: request.seed,
    },
    warnings,
  };
}

/** Runs one generateContent call and turns its answer into images, usage or a classified failure. */
export async function runGenerateContent(client: GoogleGenAI, baseFetch: typeof fetch, request: GenerationRequest, { signal, onProgress }: RunOptions): Promise<GenerationResult> {
  const { parts, config, warnings } = contentRequest(request);
  const recorder = new ResponseRecorder(baseFetch);
  onProgress({ progress: 0, stage: 'generating' });
  let raw: unknown;
  try {
    raw = await client.models.generateContent({
      model: request.upstreamModel,
      contents: [{ role: 'user', parts }],
      config: { ...config, abortSignal: signal, httpOptions: { fetch: recorder.fetch } },
    });
  } catch (error) {
    throw classifySdkFailure(error, recorder, signal);
  }
  const parsed = ContentResponse.safeParse(raw);
  if (!parsed.success) {
    throw new UpstreamError('retryable', `${GeminiProviderId} returned an unexpected response: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, {
      provider: GeminiProviderId,
      statusCode: recorder.last?.status,
    });
  }
  const images = imagesOf(parsed.data, request.n);
  const usage = usageOf(parsed.data);
  return { images: images.map((bytes) => ({ bytes })), ...(warnings.length > 0 ? { warnings } : {}), ...(usage ? { usage } : {}) };
}

/** The final images (thought images are interim drafts), or the reason there are none. */
function imagesOf(response: ContentResponse, wanted: number): Uint8Array[] {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) {
    const why = response.promptFeedback?.blockReasonMessage;
    throw refusal(`${GeminiProviderId} blocked the prompt (${blockReason})${why ? `: ${why}` : ''}`, response);
  }
  const candidates = response.candidates ?? [];
  const parts = candidates.flatMap((candidate) => candidate.content?.parts ?? []).filter((part) => !part.thought);
  const images = parts.flatMap((part) => (part.inlineData?.data && (part.inlineData.mimeType ?? 'image/').startsWith('image/') ? [fromBase64(part.inlineData.data)] : []));
  if (images.length > 0) return images.slice(0, Math.max(1, wanted));

  const finishReason = candidates.find((candidate) => candidate.finishReason)?.finishReason;
  const said = [candidates.find((candidate) => candidate.finishMessage)?.finishMessage, ...parts.map((part) => part.text)].filter(Boolean).join(' ').trim();
  const detail = `${finishReason ? ` (${finishReason})` : ''}${said ? `: ${said.slice(0, 300)}` : ''}`;
  if (candidates.length === 0) {
    throw new UpstreamError('retryable', `${GeminiProviderId} returned no candidates`, { provider: GeminiProviderId, statusCode: 200, responseBody: summary(response) });
  }
  // A safety finish reason, or the model explaining in words that it will not draw this.
  if ((finishReason && PolicyFinishReasons.has(finishReason)) || RefusalText.test(said)) {
    throw refusal(`${GeminiProviderId} refused to generate the image${detail}`, response);
  }
  // NO_IMAGE, IMAGE_OTHER, OTHER or a bare STOP: nothing says the request is at fault, so retry.
  throw new UpstreamError('retryable', `${GeminiProviderId} returned no image${detail}`, { provider: GeminiProviderId, statusCode: 200, responseBody: summary(response) });
}

function refusal(message: string, response: ContentResponse): UpstreamError {
  return new UpstreamError('content_policy', message, { provider: GeminiProviderId, statusCode: 200, responseBody: summary(response) });
}

/** The response without image data, for the job's error record. */
function summary(response: ContentResponse): string {
  return JSON.stringify(response, (key, value: unknown) => (key === 'data' && typeof value === 'string' ? `<${value.length} base64 chars>` : value)).slice(0, 2000);
}

/**
 * Token counts from usageMetadata. Thinking tokens (Gemini 3 Pro Image) are billed as output,
 * so they count toward `outputTokens`; the raw metadata is kept as reported.
 */
function usageOf(response: ContentResponse): Usage | undefined {
  const metadata = response.usageMetadata;
  if (!metadata) return undefined;
  const output = metadata.candidatesTokenCount === undefined && metadata.thoughtsTokenCount === undefined ? undefined : (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0);
  return {
    ...(metadata.promptTokenCount !== undefined ? { inputTokens: metadata.promptTokenCount } : {}),
    ...(output !== undefined ? { outputTokens: output } : {}),
    raw: { usageMetadata: metadata },
  };
}

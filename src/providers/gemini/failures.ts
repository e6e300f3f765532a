import { ApiError } from '@google/genai';
import { classifyHttpFailure, classifyNetworkFailure, UpstreamError } from '../errors.js';

/**
 * How Gemini API failures become classified `UpstreamError`s, for both the SDK path
 * (generateContent) and the plain HTTP path (Imagen `:predict`).
 *
 * Google's error bodies are `{"error":{"code","message","status","details":[...]}}`
 * (https://ai.google.dev/gemini-api/docs/troubleshooting). Two of its habits need more than the
 * shared classifier: an invalid API key is a 400 `INVALID_ARGUMENT` with reason `API_KEY_INVALID`
 * (a configuration problem, not a bad request), and a 429 says how long to wait in a
 * `google.rpc.RetryInfo` detail (`"retryDelay": "37s"`) rather than a Retry-After header.
 */

export const GeminiProviderId = 'gemini';

/** Content-policy finish reasons (FinishReason in the Gemini API reference). */
export const PolicyFinishReasons: ReadonlySet<string> = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_RECITATION']);

/** Words a model uses when it declines to draw something on policy grounds. */
export const RefusalText = /safety|polic(y|ies)|guideline|prohibited|inappropriate|harmful|explicit|violat/i;

/** Seconds to wait from a RetryInfo detail, as a Retry-After value; undefined when absent. */
export function retryDelayFromBody(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { details?: { '@type'?: string; retryDelay?: string }[] } };
    const info = parsed.error?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'));
    const match = info?.retryDelay ? /^(\d+(?:\.\d+)?)s$/.exec(info.retryDelay) : null;
    return match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies a non-2xx Gemini API answer, with Google's quirks applied. */
export function classifyGeminiHttpFailure(status: number, body: string, retryAfter?: string | null): UpstreamError {
  if (status === 400 && /API_KEY_INVALID|API key not valid/i.test(body)) {
    const classified = classifyHttpFailure(GeminiProviderId, status, body);
    return new UpstreamError('authentication', `${GeminiProviderId} rejected the API key: ${classified.message.replace(`${GeminiProviderId}: `, '')}`, classified.details);
  }
  return classifyHttpFailure(GeminiProviderId, status, body, retryAfter ?? retryDelayFromBody(body));
}

/**
 * Wraps the fetch the SDK uses so a failure can be classified afterwards: the SDK's `ApiError`
 * keeps the status and body but drops the headers (Retry-After), and a 200 whose body the SDK
 * cannot parse must be told apart from a connection that never answered.
 */
export class ResponseRecorder {
  /** Whether the SDK got as far as sending the request. */
  requested = false;
  /** Status and Retry-After of the last response received. */
  last?: { status: number; retryAfter: string | null };

  constructor(private readonly base: typeof fetch) {}

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    this.requested = true;
    const response = await this.base(input, init);
    this.last = { status: response.status, retryAfter: response.headers.get('retry-after') };
    return response;
  };
}

/**
 * Turns whatever the SDK threw into an `UpstreamError`. When `signal` fired, its reason is
 * returned instead: the SDK aborts its own per-attempt signal without one, and the runner needs
 * to see why the job stopped.
 */
export function classifySdkFailure(error: unknown, recorder: ResponseRecorder, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (error instanceof ApiError) return classifyGeminiHttpFailure(error.status, error.message, recorder.last?.retryAfter);
  if (error instanceof UpstreamError) return error;
  if (!recorder.requested) {
    // The SDK refused the request before sending it (a field it does not allow on this API).
    return new UpstreamError('invalid_request', `${GeminiProviderId}: ${error instanceof Error ? error.message : String(error)}`, { provider: GeminiProviderId, cause: error });
  }
  if (recorder.last && recorder.last.status < 300) {
    return new UpstreamError('retryable', `${GeminiProviderId} returned a body that could not be read: ${error instanceof Error ? error.message : String(error)}`, {
      provider: GeminiProviderId,
      statusCode: recorder.last.status,
      cause: error,
    });
  }
  return classifyNetworkFailure(GeminiProviderId, error, signal) ?? error;
}

/** Re-applies Google's quirks to a failure already classified by `requestJson`. */
export function refineGeminiFailure(error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.details.statusCode === undefined || error.details.statusCode < 400) return error;
  const refined = classifyGeminiHttpFailure(error.details.statusCode, error.details.responseBody ?? '');
  // A Retry-After header, when there was one, wins over the delay in the body.
  const retryAfterMs = error.details.retryAfterMs ?? refined.details.retryAfterMs;
  if (refined.kind === error.kind && retryAfterMs === error.details.retryAfterMs) return error;
  return new UpstreamError(refined.kind, refined.message, { ...error.details, retryAfterMs });
}

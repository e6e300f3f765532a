/**
 * Turns what the official OpenAI SDK throws into Pictor's classified `UpstreamError`s, with the
 * upstream's status, exact body and Retry-After. The SDK keeps only the parsed `error` member of
 * a failed response, so `ResponseRecorder` sits in its fetch to keep the body as sent.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { classifyHttpFailure, classifyNetworkFailure, UpstreamError } from '../errors.js';

const Provider = 'openai';

/**
 * Remembers the body of the last non-streaming response that went through `fetch`. One recorder
 * serves one run, so concurrent jobs never see each other's bodies.
 */
export class ResponseRecorder {
  /** The last response body read, verbatim. */
  lastBody: string | undefined;

  /** Wraps `base`; streamed responses (SSE) pass through untouched so previews arrive live. */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await base(input, init);
      if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
      const body = await response.text();
      this.lastBody = body;
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }
}

/** Retry-After in seconds; OpenAI may send only its millisecond variant, `retry-after-ms`. */
function retryAfterHeader(headers: Headers | undefined): string | null {
  const seconds = headers?.get('retry-after');
  if (seconds) return seconds;
  const milliseconds = Number(headers?.get('retry-after-ms'));
  return Number.isFinite(milliseconds) && milliseconds > 0 ? String(milliseconds / 1000) : null;
}

/**
 * An `error` event inside a 200 stream. The HTTP status was fine, so the kind comes from the
 * body: server-side types retry, content-policy wording is a refusal, anything else is the
 * request's fault, as it would have been as a 400.
 */
function streamFailure(error: APIError): UpstreamError {
  const body = JSON.stringify({ error: error.error ?? { message: error.message } });
  const type = typeof error.type === 'string' ? error.type : '';
  if (/server|internal|timeout/i.test(type)) {
    return new UpstreamError('retryable', `${Provider}: ${error.message}`, { provider: Provider, statusCode: 200, responseBody: body, cause: error });
  }
  const classified = classifyHttpFailure(Provider, 400, body);
  return new UpstreamError(classified.kind, classified.message, { ...classified.details, statusCode: 200, cause: error });
}

/**
 * The error a run rejects with: the signal's reason when it was aborted (the runner decides what
 * that means), otherwise a classified `UpstreamError`.
 */
export function toUpstreamError(error: unknown, recordedBody: string | undefined, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof UpstreamError) return error;
  if (error instanceof APIConnectionTimeoutError) return new UpstreamError('timeout', `${Provider} did not answer in time`, { provider: Provider, cause: error });
  if (error instanceof APIUserAbortError || error instanceof APIConnectionError) {
    return classifyNetworkFailure(Provider, error.cause ?? error, signal) ?? error;
  }
  if (error instanceof APIError) {
    if (typeof error.status !== 'number') return streamFailure(error);
    const body = recordedBody ?? (error.error === undefined ? error.message : JSON.stringify({ error: error.error }));
    const classified = classifyHttpFailure(Provider, error.status, body, retryAfterHeader(error.headers));
    return new UpstreamError(classified.kind, classified.message, { ...classified.details, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new UpstreamError('retryable', `${Provider} returned a body that is not JSON`, { provider: Provider, statusCode: 200, responseBody: recordedBody?.slice(0, 2000), cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('retryable', `${Provider} call failed: ${message}`, { provider: Provider, cause: error });
}

/** A 200 answer without the fields we need: retryable, as a glitch upstream usually is. */
export function malformedResponse(reason: string, body: string | undefined): UpstreamError {
  return new UpstreamError('retryable', `${Provider} returned an unexpected response: ${reason}`, { provider: Provider, statusCode: 200, responseBody: body?.slice(0, 2000) });
}

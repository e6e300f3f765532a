import { coerceError, PictorError } from '../errors.js';
import { FetchErrorCodes, SafeFetchError } from '../net/safe-fetch.js';

/** Every way an input picture can be refused; stable codes clients branch on. */
export const MediaErrorCodes = {
  /** Not a JPEG, PNG or WebP by its content (or empty). */
  unsupported: 'UNSUPPORTED_MEDIA',
  /** Looks like JPEG, PNG or WebP but does not decode (truncated, corrupt, malformed data URL). */
  invalid: 'INVALID_MEDIA',
  /** More bytes than MEDIA_MAX_BYTES or more pixels than MEDIA_MAX_PIXELS. */
  tooLarge: FetchErrorCodes.tooLarge,
  /** The URL could not be fetched: DNS, connection, HTTP status, redirects, time limit. */
  fetchFailed: FetchErrorCodes.fetchFailed,
  /** The URL may not be fetched: scheme, credentials, or a non-public address (SSRF guard). */
  urlNotAllowed: FetchErrorCodes.urlNotAllowed,
  /** No media with this id in the account. */
  notFound: 'MEDIA_NOT_FOUND',
} as const;
export type MediaErrorCode = (typeof MediaErrorCodes)[keyof typeof MediaErrorCodes];

/** An expected refusal, returned as a value. */
export interface MediaFailure {
  readonly code: MediaErrorCode;
  readonly message: string;
  /** HTTP status the remote server answered, for MEDIA_FETCH_FAILED. */
  readonly upstreamStatus?: number | undefined;
  /** Whether trying again later may succeed (network trouble, a 5xx). */
  readonly retryable?: boolean | undefined;
}

export type MediaResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MediaFailure };

export function refused(code: MediaErrorCode, message: string, extra: Partial<MediaFailure> = {}): { ok: false; error: MediaFailure } {
  return { ok: false, error: { code, message, ...extra } };
}

/** A refusal carried through code that reports failures by throwing (the job runner). */
export class MediaError extends PictorError {
  declare readonly code: MediaErrorCode;

  constructor(failure: MediaFailure, prefix = '') {
    super(failure.code, `${prefix}${failure.message}`, { retryable: failure.retryable ?? false });
  }
}

/** Fetch refusals become media refusals; anything else is unexpected and rethrown. */
export function fetchFailure(error: unknown): MediaFailure {
  if (error instanceof SafeFetchError) return { code: error.code, message: error.message, upstreamStatus: error.status, retryable: error.retryable };
  throw coerceError(error);
}

/** HTTP status of each refusal on the REST route. */
export function httpStatus(code: MediaErrorCode): number {
  switch (code) {
    case MediaErrorCodes.unsupported:
      return 415;
    case MediaErrorCodes.invalid:
      return 422;
    case MediaErrorCodes.tooLarge:
      return 413;
    case MediaErrorCodes.fetchFailed:
      return 502;
    case MediaErrorCodes.urlNotAllowed:
      return 422;
    case MediaErrorCodes.notFound:
      return 404;
    default: {
      const exhaustive: never = code;
      throw new Error(`Unhandled media error code ${String(exhaustive)}`);
    }
  }
}

/**
 * Error classes shared by every layer. Each carries a stable `code` that clients and job records
 * use; messages are for people. Expected outcomes (validation, credits) are returned as typed
 * results instead of being thrown; these classes are for failures that cross layers.
 */
export class PictorError extends Error {
  /** Stable machine-readable code, e.g. `JOB_TIMEOUT`. */
  readonly code: string;
  /** Whether running the same work again may succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** A job was stopped because its AbortSignal fired (cancel, timeout, shutdown). */
export class AbortedError extends PictorError {
  constructor(
    readonly reason: 'canceled' | 'timeout' | 'shutdown' | 'lease-lost',
    message?: string,
  ) {
    super(reasonCodes[reason], message ?? `Job ${reason}`, { retryable: reason === 'shutdown' || reason === 'lease-lost' });
  }
}

const reasonCodes = {
  canceled: 'CANCELED',
  timeout: 'JOB_TIMEOUT',
  shutdown: 'WORKER_SHUTDOWN',
  'lease-lost': 'LEASE_LOST',
} as const;

/** A generation engine or upstream failed; `retryable` decides whether the job is re-queued. */
export class ProviderError extends PictorError {}

/** Turns anything thrown into a PictorError; unknown values become INTERNAL_ERROR. */
export function coerceError(error: unknown): PictorError {
  if (error instanceof PictorError) return error;
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') {
      return new AbortedError(error.name === 'TimeoutError' ? 'timeout' : 'canceled', error.message);
    }
    return new PictorError('INTERNAL_ERROR', error.message, { cause: error });
  }
  return new PictorError('INTERNAL_ERROR', String(error));
}

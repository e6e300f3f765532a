/** A request Pictor refused or could not answer: `code` is the API's (`UNAUTHENTICATED`, `NOT_FOUND`, ...) or `NETWORK`. */
export class PictorError extends Error {
  override readonly name = 'PictorError';
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status when the answer came over HTTP. */
    readonly status?: number,
  ) {
    super(message);
  }
}

interface GraphQLErrorLike {
  message?: unknown;
  extensions?: { code?: unknown };
}

/** The first GraphQL error of a response as a PictorError. */
export function fromGraphQLErrors(errors: readonly GraphQLErrorLike[], status?: number): PictorError {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL_ERROR';
  return new PictorError(code, typeof first?.message === 'string' ? first.message : 'The operation failed', status);
}

/**
 * graphql-ws close codes after which reconnecting cannot help: bad request, unauthorized,
 * forbidden (revoked key), subprotocol not acceptable, duplicate subscriber id.
 */
const FatalCloseCodes = new Set([4400, 4401, 4403, 4406, 4409]);

/** What a failed subscription attempt means for the next attempt. */
export function classifyStreamError(error: unknown): { retry: true } | { retry: false; error: PictorError } {
  if (error instanceof PictorError) return { retry: false, error };
  if (Array.isArray(error)) return { retry: false, error: fromGraphQLErrors(error as GraphQLErrorLike[]) };
  const closeCode = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : undefined;
  if (closeCode !== undefined && FatalCloseCodes.has(closeCode)) {
    const reason = String((error as { reason?: unknown }).reason ?? '') || `connection closed with code ${closeCode}`;
    return { retry: false, error: new PictorError(closeCode === 4403 || closeCode === 4401 ? 'UNAUTHENTICATED' : 'NETWORK', reason) };
  }
  // Dropped connections, server restarts, network errors: resume from the last cursor.
  return { retry: true };
}

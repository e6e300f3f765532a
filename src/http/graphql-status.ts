import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * GraphQL-over-HTTP status codes for operation-limit refusals. GraphQL Armor rejects too deep,
 * too costly or too long operations with plain errors that yoga answers with 200; they are
 * request errors, so they become 400 with the code OPERATION_LIMIT_EXCEEDED (the message still
 * names the limit). Authentication (401) and rate limits (429 + Retry-After) set their status
 * where they are raised; parse and validation errors follow yoga (400 for
 * application/graphql-response+json, 200 for legacy application/json, as the spec says).
 */

const LimitMessage = /(Query depth limit|Query Cost limit|Aliases limit|Directives limit|Token limit) of \d+ exceeded/;

function withLimitStatus(error: GraphQLError): GraphQLError {
  if (!LimitMessage.test(error.message) || error.extensions?.code) return error;
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { ...error.extensions, code: 'OPERATION_LIMIT_EXCEEDED', http: { status: 400 } },
  });
}

function mapResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => LimitMessage.test(error.message))) return result;
  return { ...result, errors: result.errors.map(withLimitStatus) };
}

export function useOperationLimitStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map((item) => mapResult(item as ExecutionResult)) as never);
      else if (result && typeof result === 'object' && 'errors' in result) setResult(mapResult(result as ExecutionResult) as never);
    },
  };
}

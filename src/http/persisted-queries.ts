import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Distinct documents remembered per process; the least recently used go first. */
const MAX_DOCUMENTS = 2000;

/**
 * Automatic persisted queries as Apollo Client and urql send them: a request may carry only
 * `extensions.persistedQuery.sha256Hash`. An unknown hash answers `PersistedQueryNotFound`
 * (code PERSISTED_QUERY_NOT_FOUND), after which the client sends the query with its hash once;
 * Pictor checks the hash and remembers the document. Each API process keeps its own memory, so
 * behind a load balancer a client may register a query once per process, which the protocol allows.
 */
export function useAutomaticPersistedQueries(options: { maxQueryBytes: number }): Plugin {
  const documents = new Map<string, string>();
  return {
    onParams({ params, setParams }) {
      const persisted = (params.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
      if (persisted === undefined || persisted === null) return;
      const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
      if (version !== 1) throw badRequest('extensions.persistedQuery.version: only version 1 is supported', 'PERSISTED_QUERY_NOT_SUPPORTED');
      if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256Hash)) {
        throw badRequest('extensions.persistedQuery.sha256Hash: expected 64 hexadecimal characters', 'BAD_USER_INPUT');
      }
      const hash = sha256Hash.toLowerCase();
      if (typeof params.query === 'string' && params.query !== '') {
        if (createHash('sha256').update(params.query).digest('hex') !== hash) {
          throw badRequest('extensions.persistedQuery.sha256Hash: does not match the SHA-256 of the query', 'PERSISTED_QUERY_HASH_MISMATCH');
        }
        if (params.query.length <= options.maxQueryBytes) remember(documents, hash, params.query);
        return;
      }
      const query = documents.get(hash);
      // Apollo and urql recognise this exact message and code, and retry with the full query.
      if (query === undefined) throw createGraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 200 } } });
      remember(documents, hash, query);
      setParams({ ...params, query });
    },
  };
}

function remember(documents: Map<string, string>, hash: string, query: string): void {
  documents.delete(hash);
  documents.set(hash, query);
  if (documents.size > MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
}

function badRequest(message: string, code: string) {
  return createGraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/** Headers a cross-site form or `<img>` cannot set; GraphQL clients send one of them. */
export const CsrfHeaders = ['x-graphql-csrf', 'x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-preflight'] as const;

/**
 * CSRF prevention that real clients pass unchanged. Pictor authenticates by the `Authorization`
 * header, never by cookie: a browser only sends that header when the page's script sets it, which
 * forces a CORS preflight, so such a request cannot be forged by another site. Requests without
 * it must be JSON or carry one of `CsrfHeaders` (yoga's rule).
 */
export function useCsrfPrevention(): Plugin {
  const headerRule = useCSRFPrevention({ requestHeaders: [...CsrfHeaders] }) as Plugin;
  return {
    onRequestParse(payload) {
      if (payload.request.headers.has('authorization')) return;
      return headerRule.onRequestParse?.(payload);
    },
  };
}

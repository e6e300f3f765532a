import type { IncomingMessage } from 'node:http';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';
import { useStringGuard } from './input-guard.js';
import type { Config } from '../config.js';
import { useCsrfPrevention } from './csrf.js';
import { useOperationLimitStatus } from './graphql-status.js';

/**
 * Limits every operation must pass before it runs: depth, cost, aliases, directives and tokens
 * (GraphQL Armor), CSRF prevention for browser requests that could skip CORS preflight, and
 * introspection when the operator turns it off.
 */
export function hardeningPlugins(config: Config): Plugin[] {
  const limits = config.limits;
  const plugins: Plugin[] = [
    useStringGuard(),
    maxDepthPlugin({ n: limits.maxQueryDepth, ignoreIntrospection: true, exposeLimits: true }) as Plugin,
    costLimitPlugin({ maxCost: limits.maxQueryCost, ignoreIntrospection: true, exposeLimits: true }) as Plugin,
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true }) as Plugin,
    maxDirectivesPlugin({ n: 50, exposeLimits: true }) as Plugin,
    maxTokensPlugin({ n: 5000, exposeLimits: true }) as Plugin,
    // Refusals by the limits above answer 400, not 200 (GraphQL-over-HTTP request errors).
    useOperationLimitStatus(),
    // Requests without an Authorization header that a cross-site form could send need a CSRF header.
    useCsrfPrevention(),
  ];
  if (!config.introspection) plugins.push(useDisableIntrospection() as Plugin);
  return plugins;
}

/** Bodies above the limit are refused before they are read (uploads get the media limit). */
export function bodyLimitFor(request: IncomingMessage, config: Config, uploadLimit: number): number | undefined {
  const declared = Number(request.headers['content-length'] ?? 0);
  const multipart = (request.headers['content-type'] ?? '').startsWith('multipart/');
  const limit = multipart ? uploadLimit : config.limits.maxRequestBytes;
  return declared > limit ? limit : undefined;
}

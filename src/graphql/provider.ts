import { models } from '../catalog/index.js';
import { ProviderEnv } from '../config.js';
import { builder } from './builder.js';
import { ModelType } from './model.js';

interface ProviderStats {
  calls: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

interface ProviderShape {
  id: string;
  configured: boolean;
  credentialVariable: string | null;
  stats: ProviderStats;
}

const ProviderType = builder.objectRef<ProviderShape>('Provider').implement({
  description: 'An engine or upstream API that runs models (operators only).',
  fields: (t) => ({
    id: t.exposeID('id'),
    configured: t.exposeBoolean('configured', { description: 'Whether this deployment can call it (credential set, or a local engine).' }),
    credentialVariable: t.exposeString('credentialVariable', { nullable: true, description: 'The environment variable that enables it.' }),
    recentCalls: t.int({ description: 'Upstream calls in the last hour, from every worker.', resolve: (provider) => provider.stats.calls }),
    recentErrorRate: t.float({ nullable: true, description: 'Share of those calls that failed (0-1); null without calls.', resolve: (provider) => (provider.stats.calls ? provider.stats.failures / provider.stats.calls : null) }),
    latencyP50Ms: t.float({ nullable: true, resolve: (provider) => provider.stats.p50Ms }),
    latencyP95Ms: t.float({ nullable: true, resolve: (provider) => provider.stats.p95Ms }),
    models: t.field({
      type: [ModelType],
      description: 'Models with a route through this provider.',
      resolve: (provider) => models.filter((model) => model.routes.some((route) => route.provider === provider.id)),
    }),
  }),
});

builder.queryFields((t) => ({
  providers: t.field({
    authScopes: { operator: true },
    type: [ProviderType],
    description: 'Every provider with its configuration and the last hour of calls. Requires the admin scope.',
    resolve: async (_root, _args, context) => {
      const { sql } = context.services.database;
      const rows = await sql<{ provider: string; calls: number; failures: number; p50: number | null; p95: number | null }[]>`
        select provider, count(*)::int as calls, count(*) filter (where outcome <> 'succeeded')::int as failures,
          percentile_cont(0.5) within group (order by duration_ms) as p50,
          percentile_cont(0.95) within group (order by duration_ms) as p95
        from provider_calls where created_at > now() - interval '1 hour' group by provider`;
      const stats = new Map(rows.map((row) => [row.provider, row]));
      const ids = [...new Set(models.flatMap((model) => model.routes.map((route) => route.provider)))];
      return ids.map((id) => {
        const row = stats.get(id);
        return {
          id,
          configured: context.services.providers.has(id),
          credentialVariable: (ProviderEnv as Record<string, { key: string }>)[id]?.key ?? null,
          stats: { calls: row?.calls ?? 0, failures: row?.failures ?? 0, p50Ms: row?.p50 ?? null, p95Ms: row?.p95 ?? null },
        };
      });
    },
  }),
}));

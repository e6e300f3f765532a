import { models } from '../catalog/index.js';
import { ProviderEnv } from '../provider-ids.js';
import { recentProviderCallStats, type ProviderCallStats } from '../jobs/provider-call-stats.js';
import { builder } from './builder.js';
import { ModelType } from './model.js';

interface ProviderShape {
  id: string;
  configured: boolean;
  credentialVariable: string | null;
  stats: ProviderCallStats;
}

const ProviderType = builder.objectRef<ProviderShape>('Provider').implement({
  description: 'An engine or upstream API that runs models (operators only).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The provider id (`openai`, `fal`, `placeholder`, ...).' }),
    configured: t.exposeBoolean('configured', { description: 'Whether this deployment can call it (credential set, or a local engine).' }),
    credentialVariable: t.exposeString('credentialVariable', { nullable: true, description: 'The environment variable that enables it.' }),
    recentCalls: t.int({ description: 'Upstream calls in the last hour, from every worker.', resolve: (provider) => provider.stats.calls }),
    recentErrorRate: t.float({
      nullable: true,
      description: 'Share of those calls that failed (0-1); null without calls.',
      resolve: (provider) => (provider.stats.calls ? provider.stats.failures / provider.stats.calls : null),
    }),
    latencyP50Ms: t.float({ nullable: true, description: 'Median duration of those calls.', resolve: (provider) => provider.stats.p50Ms }),
    latencyP95Ms: t.float({ nullable: true, description: '95th percentile duration of those calls.', resolve: (provider) => provider.stats.p95Ms }),
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
      const stats = await recentProviderCallStats(context.services.database.sql);
      const ids = [...new Set(models.flatMap((model) => model.routes.map((route) => route.provider)))];
      return ids.map((id) => {
        return {
          id,
          configured: context.services.providers.has(id),
          credentialVariable: (ProviderEnv as Record<string, { key: string }>)[id]?.key ?? null,
          stats: stats.get(id) ?? { calls: 0, failures: 0, p50Ms: null, p95Ms: null },
        };
      });
    },
  }),
}));

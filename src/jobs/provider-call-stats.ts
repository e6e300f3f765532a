import type { SqlLike } from '../db/client.js';

/** How one provider's upstream calls went over the last hour. */
export interface ProviderCallStats {
  calls: number;
  /** Calls whose outcome was anything but `succeeded`. */
  failures: number;
  /** Median call duration; null without calls. */
  p50Ms: number | null;
  /** 95th percentile call duration; null without calls. */
  p95Ms: number | null;
}

/** Call statistics of the last hour by provider id; providers without calls are absent. */
export async function recentProviderCallStats(sql: SqlLike): Promise<Map<string, ProviderCallStats>> {
  const rows = await sql<{ provider: string; calls: number; failures: number; p50: number | null; p95: number | null }[]>`
    select provider, count(*)::int as calls, count(*) filter (where outcome <> 'succeeded')::int as failures,
      percentile_cont(0.5) within group (order by duration_ms) as p50,
      percentile_cont(0.95) within group (order by duration_ms) as p95
    from provider_calls where created_at > now() - interval '1 hour' group by provider`;
  return new Map(rows.map((row) => [row.provider, { calls: row.calls, failures: row.failures, p50Ms: row.p50, p95Ms: row.p95 }]));
}

import type { SqlLike } from '../db/client.js';

export type UsageInterval = 'hour' | 'day' | 'month';

/** Jobs, images and credits of one period. */
export interface UsagePeriod {
  periodStart: Date;
  jobs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  images: number;
  /** Credits charged for jobs created in the period. */
  credits: number;
}

/** An account's usage per period, for jobs created in [from, to). */
export async function accountUsage(sql: SqlLike, accountId: string, options: { from: Date; to: Date; interval: UsageInterval }): Promise<UsagePeriod[]> {
  return sql<UsagePeriod[]>`
    select date_trunc(${options.interval}, j.created_at) as period_start, count(*)::int as jobs,
      count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where status = 'FAILED')::int as failed,
      count(*) filter (where status = 'CANCELED')::int as canceled,
      coalesce(sum((select count(*) from images i where i.job_id = j.id and i.kind = 'output')), 0)::int as images,
      coalesce(sum(credits_charged), 0)::int as credits
    from jobs j
    where account_id = ${accountId} and created_at >= ${options.from} and created_at < ${options.to}
    group by 1 order by 1`;
}

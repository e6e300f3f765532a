import type { SqlLike } from '../db/client.js';
import type { JobRecord } from './records.js';

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
}

/**
 * Claims up to `limit` runnable jobs in one statement: lock the oldest queued rows nobody else
 * holds, mark them RUNNING with a lease, and append their STARTED events. Claimed rows leave the
 * `status = 'QUEUED'` partial index at once, so the next claim never wades through them.
 */
export async function claimJobs(sql: SqlLike, options: ClaimOptions): Promise<JobRecord[]> {
  if (options.limit <= 0) return [];
  return sql<JobRecord[]>`
    with next as (
      select id from jobs
      where status = 'QUEUED' and run_after <= now()
      order by seq
      limit ${options.limit}
      for update skip locked
    ), claimed as (
      update jobs set
        status = 'RUNNING',
        attempts = attempts + 1,
        locked_by = ${options.workerId},
        locked_until = now() + ${options.leaseMs} * interval '1 millisecond',
        started_at = coalesce(started_at, now()),
        progress = 0,
        stage = null
      from next where jobs.id = next.id
      returning jobs.*
    ), started as (
      insert into job_events (job_id, account_id, type, status, progress, message)
      select id, account_id, 'STARTED', 'RUNNING', 0, 'attempt ' || attempts from claimed
    )
    select * from claimed order by seq`;
}

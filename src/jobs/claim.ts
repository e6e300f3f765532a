import type { SqlLike } from '../db/client.js';
import type { JobRecord } from './records.js';

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  /** Running jobs allowed per account unless the account sets its own `max_running_jobs`. */
  defaultMaxRunningPerAccount: number;
}

/**
 * Claims up to `limit` runnable jobs in one statement, fairly across accounts:
 * 1. walk the accounts that have queued jobs (a loose index scan over the queued partial index),
 * 2. take from each at most as many of its oldest runnable jobs as it has free running slots,
 * 3. order them round-robin (every account's oldest first, then second oldest, ...),
 * 4. lock them with SKIP LOCKED, mark them RUNNING with a lease and append STARTED events.
 * So one account's thousands of queued jobs never delay another account's job by more than one
 * claim, and no account exceeds its running-jobs limit. Claimed rows leave the queued partial
 * index at once, so the next claim never wades through them.
 *
 * Statistics lag behind bursts: taken when few jobs were queued, they make any path through the
 * queued partial index look free, and a claim read every queued job to find ten (2.7 ms per
 * claim with a few thousand queued). So the picked rows are locked by primary key alone
 * (`= any(array(...))`, with no `status` condition the partial index could serve); the status
 * of the locked row version, which is the latest one, decides whether it is still claimable.
 */
export async function claimJobs(sql: SqlLike, options: ClaimOptions): Promise<JobRecord[]> {
  if (options.limit <= 0) return [];
  return sql<JobRecord[]>`
    with recursive queued_accounts as (
      (select account_id from jobs where status = 'QUEUED' order by account_id limit 1)
      union all
      select (select j.account_id from jobs j where j.status = 'QUEUED' and j.account_id > q.account_id order by j.account_id limit 1)
      from queued_accounts q where q.account_id is not null
    ), slots as (
      select q.account_id,
        coalesce(a.max_running_jobs, ${options.defaultMaxRunningPerAccount})
          - (select count(*) from jobs r where r.status = 'RUNNING' and r.account_id = q.account_id) as free
      from queued_accounts q join accounts a on a.id = q.account_id
      where q.account_id is not null
    ), candidates as (
      select head.id, head.seq, row_number() over (partition by head.account_id order by head.seq) as turn
      from slots
      cross join lateral (
        select j.id, j.seq, j.account_id from jobs j
        where j.status = 'QUEUED' and j.account_id = slots.account_id and j.run_after <= now()
        order by j.seq
        limit greatest(slots.free, 0)
      ) head
    ), picked as (
      select id from candidates order by turn, seq limit ${options.limit}
    ), next as (
      select id, status from jobs where id = any(array(select id from picked))
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
      from next where jobs.id = next.id and next.status = 'QUEUED'
      returning jobs.*
    ), started as (
      insert into job_events (job_id, account_id, type, status, progress, message)
      select id, account_id, 'STARTED', 'RUNNING', 0, 'attempt ' || attempts from claimed
    )
    select * from claimed order by seq`;
}

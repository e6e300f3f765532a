import type { Sql } from '../db/client.js';
import { settleCredits } from '../accounts/credits.js';
import type { JobStatus } from './records.js';

/**
 * Returns jobs whose worker stopped heartbeating (killed, partitioned) to the queue, or ends them:
 * CANCELED when a cancel was requested, FAILED when no attempts remain. Safe to run from every
 * worker at once: rows are taken with SKIP LOCKED.
 */
export async function sweepExpiredLeases(sql: Sql): Promise<{ id: string; status: JobStatus }[]> {
  return sql.begin(async (tx) => {
    const swept = await tx<{ id: string; status: JobStatus }[]>`
      with expired as (
        select id from jobs where status = 'RUNNING' and locked_until < now()
        for update skip locked
      ), updated as (
        update jobs set
          status = case when cancel_requested_at is not null then 'CANCELED'
                        when attempts >= max_attempts then 'FAILED' else 'QUEUED' end,
          finished_at = case when cancel_requested_at is not null or attempts >= max_attempts then now() end,
          error_code = case when cancel_requested_at is null then 'WORKER_LOST' end,
          error_message = case when cancel_requested_at is null then 'The worker running this job stopped responding' end,
          locked_by = null, locked_until = null, stage = null,
          progress = case when cancel_requested_at is null and attempts < max_attempts then 0 else progress end
        from expired where jobs.id = expired.id
        returning jobs.id, jobs.account_id, jobs.status, jobs.progress
      ), events as (
        insert into job_events (job_id, account_id, type, status, progress, message)
        select id, account_id, case status when 'QUEUED' then 'RETRYING' else status end, status, progress,
               case status when 'CANCELED' then 'canceled by request' else 'WORKER_LOST: the worker running this job stopped responding' end
        from updated
      )
      select id, status from updated`;
    for (const job of swept) if (job.status !== 'QUEUED') await settleCredits(tx, job.id, 0);
    return swept;
  });
}

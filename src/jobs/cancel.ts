import type { Sql } from '../db/client.js';
import { settleCredits } from '../accounts/credits.js';
import { appendJobEvent } from './events.js';
import { Channels, type JobRecord } from './records.js';

/**
 * Cancels a job of `accountId`. A queued job is canceled at once (credits released); a running
 * one gets `cancel_requested_at` and its worker is told through NOTIFY (sent by the same
 * statement, delivered at commit), aborts the run and ends it CANCELED. Finished jobs are
 * returned unchanged. `undefined` when the account has no such job.
 */
export async function cancelJob(sql: Sql, accountId: string, jobId: string): Promise<JobRecord | undefined> {
  return sql.begin(async (tx) => {
    const [job] = await tx<JobRecord[]>`select * from jobs where id = ${jobId} and account_id = ${accountId} for update`;
    if (!job) return undefined;
    if (job.status === 'QUEUED') {
      const [canceled] = await tx<JobRecord[]>`
        update jobs set status = 'CANCELED', finished_at = now(), cancel_requested_at = now() where id = ${jobId} returning *`;
      await settleCredits(tx, jobId, 0);
      await appendJobEvent(tx, { jobId, accountId, type: 'CANCELED', status: 'CANCELED', progress: job.progress, message: 'canceled by request' });
      return canceled!;
    }
    if (job.status === 'RUNNING' && !job.cancelRequestedAt) {
      const [requested] = await tx<JobRecord[]>`
        with requested as (update jobs set cancel_requested_at = now() where id = ${jobId} returning *)
        select requested.* from requested, pg_notify(${Channels.cancelRequested}, ${jobId})`;
      return requested!;
    }
    return job;
  });
}

/**
 * Cancels every unfinished job of an account (a disabled one) through the ordinary cancel path:
 * queued jobs end CANCELED with their credits released, running ones are aborted by their worker
 * and settle the same way. Two passes: a request authenticated just before the account's keys
 * were dropped may still queue a job. Returns how many it canceled.
 */
export async function cancelUnfinishedJobs(sql: Sql, accountId: string): Promise<number> {
  let canceled = 0;
  for (let pass = 0; pass < 2; pass++) {
    const unfinished = await sql<{ id: string }[]>`
      select id from jobs where account_id = ${accountId} and status in ('QUEUED', 'RUNNING') and cancel_requested_at is null`;
    for (const job of unfinished) if (await cancelJob(sql, accountId, job.id)) canceled++;
  }
  return canceled;
}

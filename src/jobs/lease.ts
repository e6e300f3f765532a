import type { SqlLike } from '../db/client.js';

/**
 * Extends the leases of the jobs this worker runs. Returns, per job still ours, whether a cancel
 * was requested; a job missing from the result was swept away from us (the lease expired).
 */
export async function extendLeases(sql: SqlLike, workerId: string, jobIds: string[], leaseMs: number): Promise<Map<string, { cancelRequested: boolean }>> {
  if (jobIds.length === 0) return new Map();
  const rows = await sql<{ id: string; cancelRequested: boolean }[]>`
    update jobs set locked_until = now() + ${leaseMs} * interval '1 millisecond'
    where id = any(${jobIds}::uuid[]) and locked_by = ${workerId} and status = 'RUNNING'
    returning id, cancel_requested_at is not null as cancel_requested`;
  return new Map(rows.map((row) => [row.id, { cancelRequested: row.cancelRequested }]));
}

/**
 * Puts a job this worker holds back in the queue without counting the attempt (graceful shutdown).
 */
export async function releaseJob(sql: SqlLike, workerId: string, jobId: string, message: string): Promise<boolean> {
  const rows = await sql`
    with released as (
      update jobs set status = 'QUEUED', locked_by = null, locked_until = null, attempts = greatest(attempts - 1, 0),
        progress = 0, stage = null, run_after = now()
      where id = ${jobId} and locked_by = ${workerId} and status = 'RUNNING'
      returning id, account_id
    )
    insert into job_events (job_id, account_id, type, status, progress, message)
    select id, account_id, 'QUEUED', 'QUEUED', 0, ${message} from released
    returning job_id`;
  return rows.length > 0;
}

import type { SqlLike } from '../db/client.js';
import type { JobRecord } from './records.js';

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  /** Running jobs allowed per account unless the account sets its own `max_running_jobs`. */
  defaultMaxRunningPerAccount: number;
  /**
   * Where the walk over the accounts starts: after this account id, wrapping around (see
   * `nextClaimCursor`). Without it, at the first account.
   */
  afterAccount?: string;
}

/**
 * Claims up to `limit` runnable jobs in one statement, fairly across accounts:
 * 1. walk the accounts that have queued jobs in id order, starting after `afterAccount` and
 *    wrapping around once (a loose index scan over the queued partial index),
 * 2. stop at the first `limit` accounts that have a runnable job and a free running slot,
 * 3. take from each at most as many of its oldest runnable jobs as it has free slots,
 * 4. order them round-robin (every account's oldest first, then second oldest, ...),
 * 5. lock them with SKIP LOCKED, mark them RUNNING with a lease and append STARTED events.
 * So one account's thousands of queued jobs never delay another account's job by more than one
 * claim, and no account exceeds its running-jobs limit. A claim reads at most `limit` accounts'
 * heads however many accounts have work waiting; with the cursor (`nextClaimCursor`) the next
 * claim goes on where this one stopped, so each of A accounts with runnable jobs gets one within
 * ceil(A / limit) claims. With at most `limit` such accounts, a claim sees them all. Claimed rows
 * leave the queued partial index at once, so the next claim never wades through them.
 *
 * Statistics lag behind bursts: taken when few jobs were queued, they make any path through the
 * queued partial index look free, and a claim read every queued job to find ten (2.7 ms per
 * claim with a few thousand queued). So the picked rows are locked by primary key alone
 * (`= any(array(...))`, with no `status` condition the partial index could serve); the status
 * of the locked row version, which is the latest one, decides whether it is still claimable.
 */
export async function claimJobs(sql: SqlLike, options: ClaimOptions): Promise<JobRecord[]> {
  if (options.limit <= 0) return [];
  const after = options.afterAccount ?? null;
  return sql<JobRecord[]>`
    with recursive first_account as (
      select (select account_id from jobs where status = 'QUEUED' order by account_id limit 1) as id
    ), walk as (
      -- The first account after the cursor, else the first one (then the walk has wrapped).
      select start.account_id, start.wrapped from (
        select coalesce(past.id, first_account.id) as account_id, past.id is null as wrapped
        from (select (select account_id from jobs where status = 'QUEUED' and account_id > ${after}::uuid order by account_id limit 1) as id) past, first_account
      ) start
      where start.account_id is not null
      union all
      select step.account_id, step.wrapped
      from walk w cross join lateral (
        select coalesce(later.id, case when not w.wrapped then (select id from first_account) end) as account_id,
          w.wrapped or later.id is null as wrapped
        from (select (select j.account_id from jobs j where j.status = 'QUEUED' and j.account_id > w.account_id order by j.account_id limit 1) as id) later
      ) step
      -- Once wrapped, the walk ends where it began.
      where step.account_id is not null and not (step.wrapped and step.account_id > coalesce(${after}::uuid, step.account_id))
    ), slots as (
      -- Pulled from the walk only until enough accounts are found: the walk goes no further. Each
      -- account's runnable heads (as many as it has free slots) are read once, here. Laterals with
      -- a limit or an aggregate are never flattened into joins, which the planner may run as a hash
      -- join over every account or every queued job.
      select w.account_id, heads.ids, heads.seqs
      from walk w
      cross join lateral (
        select coalesce(a.max_running_jobs, ${options.defaultMaxRunningPerAccount})
          - (select count(*) from jobs r where r.status = 'RUNNING' and r.account_id = w.account_id) as free
        from accounts a where a.id = w.account_id
        limit 1
      ) account
      cross join lateral (
        select array_agg(head.id order by head.seq) as ids, array_agg(head.seq order by head.seq) as seqs
        from (
          select j.id, j.seq from jobs j
          where j.status = 'QUEUED' and j.account_id = w.account_id and j.run_after <= now()
          order by j.seq
          limit least(greatest(account.free, 0), ${options.limit})
        ) head
      ) heads
      where heads.ids is not null
      limit ${options.limit}
    ), candidates as (
      -- An account's first head takes turn 1, its second turn 2, ...
      select head.id, head.seq, head.turn
      from slots cross join lateral unnest(slots.ids, slots.seqs) with ordinality as head(id, seq, turn)
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
      -- By primary key (a join with "next" may be planned as a scan of the table).
      where jobs.id = any(array(select id from next where next.status = 'QUEUED'))
      returning jobs.*
    ), started as (
      insert into job_events (job_id, account_id, type, status, progress, message)
      select id, account_id, 'STARTED', 'RUNNING', 0, 'attempt ' || attempts from claimed
    )
    select * from claimed order by seq`;
}

/**
 * Where the next claim starts: after the last account this claim took a job from, in the walk's
 * order (ids after `afterAccount` first, then the wrapped ones). A claim that found fewer jobs than
 * it asked for saw every account with work: the next one starts at the beginning.
 */
export function nextClaimCursor(afterAccount: string | undefined, claimed: readonly { accountId: string }[], limit: number): string | undefined {
  if (claimed.length < limit) return undefined;
  let last: string | undefined;
  let lastWrapped: string | undefined;
  for (const { accountId } of claimed) {
    if (afterAccount === undefined || accountId > afterAccount) {
      if (last === undefined || accountId > last) last = accountId;
    } else if (lastWrapped === undefined || accountId > lastWrapped) lastWrapped = accountId;
  }
  return lastWrapped ?? last;
}

import type { SqlLike } from '../db/client.js';

/**
 * Deliveries of one job to one target form a chain, sent strictly in `seq` order: only the head
 * (no earlier delivery of the chain pending or in flight) is ever claimed. So that waiting
 * deliveries do not clutter every claim while their head waits hours for a retry, a follower's
 * `next_attempt_at` is kept no earlier than its blockers' (`holdBehindEarlier`, and the retry
 * path of finish-delivery.ts), and when a head ends its followers are made due at once
 * (finish-delivery.ts, superseding in plan-deliveries.ts). These times are only hints: the claim
 * itself checks the order, so a stale one delays nothing past the head's end.
 */

/** Gives new deliveries the latest due time of the earlier deliveries they wait behind. */
export async function holdBehindEarlier(sql: SqlLike, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update webhook_deliveries follower set next_attempt_at = blocker.until
    from (
      select waiting.id, max(earlier.next_attempt_at) as until
      from webhook_deliveries waiting
      join webhook_deliveries earlier on earlier.job_id = waiting.job_id and earlier.target = waiting.target
        and earlier.seq < waiting.seq and earlier.status in ('pending', 'sending')
      where waiting.id = any(${[...ids]}::uuid[])
      group by waiting.id
    ) blocker
    where follower.id = blocker.id and blocker.until > follower.next_attempt_at`;
}

import type { Sql } from '../db/client.js';
import { cancelEndpointDeliveries } from './endpoints.js';
import type { SendOutcome } from './http-sender.js';

/** What happens to a delivery after an attempt. */
export type DeliveryResult =
  /** 2xx: done. */
  | { readonly kind: 'delivered'; readonly status: number; readonly latencyMs: number }
  /** Non-2xx, timeout or connection error with attempts left: again after `delayMs`, same webhook-id. */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly status: number | null; readonly latencyMs: number | null; readonly error: string }
  /** Given up: schedule exhausted, or the URL is not allowed. */
  | { readonly kind: 'failed'; readonly status: number | null; readonly latencyMs: number | null; readonly error: string }
  /** 410 Gone: the target is disabled and its pending deliveries canceled. */
  | { readonly kind: 'gone'; readonly latencyMs: number }
  /** Target deleted meanwhile: nothing to send to. */
  | { readonly kind: 'canceled'; readonly error: string }
  /** Interrupted by shutdown: back to the queue at once, the attempt not counted. */
  | { readonly kind: 'released' };

/** Maps an attempt's outcome onto what happens next, in one place. */
export function decideDelivery(outcome: SendOutcome, attempt: number, schedule: readonly number[]): DeliveryResult {
  switch (outcome.kind) {
    case 'response': {
      if (outcome.status >= 200 && outcome.status <= 299) return { kind: 'delivered', status: outcome.status, latencyMs: outcome.latencyMs };
      if (outcome.status === 410) return { kind: 'gone', latencyMs: outcome.latencyMs };
      return retryOrFail(attempt, schedule, outcome.status, outcome.latencyMs, `receiver answered HTTP ${outcome.status}`);
    }
    case 'error':
      return retryOrFail(attempt, schedule, null, outcome.latencyMs, outcome.message);
    case 'refused':
      return { kind: 'failed', status: null, latencyMs: null, error: `URL not allowed: ${outcome.message}` };
    case 'aborted':
      return { kind: 'released' };
    default:
      return assertNever(outcome);
  }
}

function retryOrFail(attempt: number, schedule: readonly number[], status: number | null, latencyMs: number | null, error: string): DeliveryResult {
  const delayMs = retryDelayMs(schedule, attempt);
  if (delayMs === undefined) return { kind: 'failed', status, latencyMs, error: `${error} (gave up after ${attempt} attempts)` };
  return { kind: 'retry', delayMs, status, latencyMs, error };
}

export interface FinishedAttempt {
  readonly id: string;
  readonly jobId: string;
  readonly target: string;
  readonly endpointId: string | null;
  readonly attempt: number;
}

/**
 * Records the result of an attempt. Only the claimer of this attempt may: a worker whose lease
 * ran out (and whose delivery was claimed again elsewhere) writes nothing.
 */
export async function finishDelivery(sql: Sql, delivery: FinishedAttempt, result: DeliveryResult): Promise<void> {
  switch (result.kind) {
    case 'delivered':
      return endAttempt(sql, delivery, sql`status = 'delivered', response_code = ${result.status}, latency_ms = ${result.latencyMs}, last_error = null`);
    case 'failed':
      return endAttempt(sql, delivery, sql`status = 'failed', response_code = ${result.status}, latency_ms = ${result.latencyMs}, last_error = ${result.error}`);
    case 'canceled':
      return endAttempt(sql, delivery, sql`status = 'canceled', last_error = ${result.error}`);
    case 'retry':
      // The chain's later deliveries wait at least as long (see chains.ts).
      await sql`
        with head as (
          update webhook_deliveries set status = 'pending', response_code = ${result.status}, latency_ms = ${result.latencyMs},
            last_error = ${result.error}, next_attempt_at = now() + ${result.delayMs} * interval '1 millisecond'
          where id = ${delivery.id} and status = 'sending' and attempt = ${delivery.attempt}
          returning job_id, target, seq, next_attempt_at
        )
        update webhook_deliveries follower set next_attempt_at = head.next_attempt_at
        from head
        where follower.job_id = head.job_id and follower.target = head.target and follower.seq > head.seq
          and follower.status = 'pending' and follower.next_attempt_at < head.next_attempt_at`;
      return;
    case 'released':
      await sql`
        update webhook_deliveries set status = 'pending', attempt = attempt - 1, next_attempt_at = now()
        where id = ${delivery.id} and status = 'sending' and attempt = ${delivery.attempt}`;
      return;
    case 'gone':
      await sql.begin(async (tx) => {
        const rows = await tx`
          update webhook_deliveries set status = 'failed', response_code = 410, latency_ms = ${result.latencyMs},
            last_error = 'receiver answered 410 Gone: target disabled', finished_at = now(), next_attempt_at = null
          where id = ${delivery.id} and status = 'sending' and attempt = ${delivery.attempt}
          returning id`;
        if (rows.length === 0) return;
        if (delivery.endpointId) {
          await tx`
            update webhook_endpoints set enabled = false, disabled_reason = 'receiver answered 410 Gone', updated_at = now()
            where id = ${delivery.endpointId}`;
          await cancelEndpointDeliveries(tx, delivery.endpointId, 'endpoint disabled: 410 Gone');
        } else {
          await tx`update jobs set webhook = webhook || '{"disabled": true}'::jsonb where id = ${delivery.jobId} and webhook is not null`;
          await tx`
            update webhook_deliveries set status = 'canceled', last_error = 'webhook disabled: 410 Gone', finished_at = now(), next_attempt_at = null
            where job_id = ${delivery.jobId} and target = 'job' and status = 'pending'`;
        }
      });
      return;
    default:
      assertNever(result);
  }
}

/** Ends a delivery (delivered, failed or canceled) and makes the next one of its chain due at once. */
async function endAttempt(sql: Sql, delivery: FinishedAttempt, changes: ReturnType<Sql>): Promise<void> {
  await sql`
    with done as (
      update webhook_deliveries set ${changes}, finished_at = now(), next_attempt_at = null
      where id = ${delivery.id} and status = 'sending' and attempt = ${delivery.attempt}
      returning job_id, target, seq
    )
    update webhook_deliveries follower set next_attempt_at = now()
    from done
    where follower.job_id = done.job_id and follower.target = done.target and follower.seq > done.seq
      and follower.status = 'pending' and follower.attempt = 0 and follower.next_attempt_at > now()`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** Random spread of each delay (±10 %), so a receiver that comes back is not hit by a wave of retries at once. */
const JITTER = 0.1;

/**
 * Delay before the next attempt after `attempt` failed attempts, or undefined when the schedule
 * is exhausted (the delivery has failed for good). The default schedule is the Standard
 * Webhooks one: the first attempt at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
 * 20 h and 24 h (about three days); `WEBHOOK_RETRY_SCHEDULE` replaces it (see src/config.ts).
 */
export function retryDelayMs(schedule: readonly number[], attempt: number, random: () => number = Math.random): number | undefined {
  const delay = schedule[attempt - 1];
  if (delay === undefined) return undefined;
  return Math.round(delay * (1 - JITTER + 2 * JITTER * random()));
}

import type { SqlLike } from '../db/client.js';
import type { JobWebhook, WebhookEvent } from './events.js';
import type { SecretBox } from './secret-box.js';
import { signingSecretsOf } from './secrets.js';
import type { SigningSecrets } from './signing.js';

/** A claimed delivery with where it goes and what signs it. */
export interface ClaimedDelivery {
  id: string;
  jobId: string;
  accountId: string;
  endpointId: string | null;
  target: string;
  eventType: WebhookEvent;
  webhookId: string;
  payload: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
  /** Current URL of the target; null when it is gone (endpoint deleted meanwhile). */
  url: string | null;
  /** Job webhook: the account's secret; endpoint: its own. */
  secrets: SigningSecrets | null;
}

interface ClaimRow {
  id: string;
  jobId: string;
  accountId: string;
  endpointId: string | null;
  target: string;
  eventType: WebhookEvent;
  webhookId: string;
  payload: string;
  attempt: number;
  endpointUrl: string | null;
  endpointSecret: string | null;
  endpointPreviousSecret: string | null;
  endpointPreviousExpiresAt: Date | null;
  jobWebhook: JobWebhook | null;
  accountSecret: string | null;
  accountPreviousSecret: string | null;
  accountPreviousExpiresAt: Date | null;
}

/**
 * Claims up to `limit` due deliveries in one statement (FOR UPDATE SKIP LOCKED, so any number
 * of workers share the outbox) and marks them in flight with a lease: `next_attempt_at` becomes
 * the lease's end, after which a delivery whose worker died is claimed again (same webhook-id).
 * Only the head of each chain is due: a delivery waits while an earlier one for the same job
 * and target is pending or in flight, so one job's events reach a target in order.
 */
export async function claimDeliveries(sql: SqlLike, options: { limit: number; leaseMs: number; secretBox: SecretBox }): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const rows = await sql<ClaimRow[]>`
    with due as (
      select d.id from webhook_deliveries d
      where d.status in ('pending', 'sending') and d.next_attempt_at <= now()
        and not exists (
          select 1 from webhook_deliveries earlier
          where earlier.job_id = d.job_id and earlier.target = d.target and earlier.seq < d.seq
            and earlier.status in ('pending', 'sending'))
      order by d.next_attempt_at, d.seq
      limit ${options.limit}
      for update of d skip locked
    ), claimed as (
      update webhook_deliveries d set status = 'sending', attempt = d.attempt + 1,
        next_attempt_at = now() + ${options.leaseMs} * interval '1 millisecond'
      from due where d.id = due.id
      returning d.id, d.seq, d.job_id, d.account_id, d.endpoint_id, d.target, d.event_type, d.webhook_id, d.payload, d.attempt
    )
    select c.id, c.job_id, c.account_id, c.endpoint_id, c.target, c.event_type, c.webhook_id, c.payload, c.attempt,
      e.url as endpoint_url, e.secret as endpoint_secret, e.previous_secret as endpoint_previous_secret,
      e.previous_expires_at as endpoint_previous_expires_at,
      j.webhook as job_webhook,
      s.secret as account_secret, s.previous_secret as account_previous_secret, s.previous_expires_at as account_previous_expires_at
    from claimed c
    left join webhook_endpoints e on e.id = c.endpoint_id
    left join jobs j on c.target = 'job' and j.id = c.job_id
    left join webhook_secrets s on c.target = 'job' and s.account_id = c.account_id
    order by c.seq`;
  const now = new Date();
  return rows.map((row) => {
    const isJob = row.target === 'job';
    const url = isJob ? (row.jobWebhook?.url ?? null) : row.endpointUrl;
    let secrets: SigningSecrets | null = null;
    if (isJob && row.accountSecret) {
      secrets = signingSecretsOf({ secret: row.accountSecret, previousSecret: row.accountPreviousSecret, previousExpiresAt: row.accountPreviousExpiresAt }, options.secretBox, now);
    } else if (!isJob && row.endpointSecret) {
      secrets = signingSecretsOf({ secret: row.endpointSecret, previousSecret: row.endpointPreviousSecret, previousExpiresAt: row.endpointPreviousExpiresAt }, options.secretBox, now);
    }
    return {
      id: row.id,
      jobId: row.jobId,
      accountId: row.accountId,
      endpointId: row.endpointId,
      target: row.target,
      eventType: row.eventType,
      webhookId: row.webhookId,
      payload: row.payload,
      attempt: row.attempt,
      url,
      secrets,
    };
  });
}

import type { SqlLike } from '../db/client.js';
import { holdBehindEarlier } from './chains.js';
import type { WebhookEvent } from './events.js';

export const DeliveryStatuses = ['pending', 'sending', 'delivered', 'failed', 'superseded', 'canceled'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/** A delivery as the API shows it. */
export interface WebhookDeliveryRecord {
  id: string;
  jobId: string;
  endpointId: string | null;
  target: string;
  eventType: WebhookEvent;
  webhookId: string;
  status: DeliveryStatus;
  attempt: number;
  nextAttemptAt: Date | null;
  responseCode: number | null;
  latencyMs: number | null;
  lastError: string | null;
  replayOf: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const Columns = 'id, job_id, endpoint_id, target, event_type, webhook_id, status, attempt, next_attempt_at, response_code, latency_ms, last_error, replay_of, created_at, finished_at';

/** Every delivery of a job (all targets), in the order they were created. */
export async function listJobDeliveries(sql: SqlLike, jobId: string): Promise<WebhookDeliveryRecord[]> {
  return sql<WebhookDeliveryRecord[]>`select ${sql.unsafe(Columns)} from webhook_deliveries where job_id = ${jobId} order by seq`;
}

/** Those of the (uuid) ids that name deliveries of the account's jobs. */
export async function findDeliveries(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<WebhookDeliveryRecord[]> {
  if (ids.length === 0) return [];
  return sql<WebhookDeliveryRecord[]>`select ${sql.unsafe(Columns)} from webhook_deliveries where id = any(${[...ids]}::uuid[]) and account_id = ${accountId}`;
}

export type ReplayResult = { kind: 'queued'; delivery: WebhookDeliveryRecord } | { kind: 'not-found' } | { kind: 'target-unavailable'; reason: string };

/**
 * Queues the message of a delivery again: a new delivery with the same webhook-id and body (a
 * receiver that deduplicates by webhook-id sees the same message), behind whatever its job and
 * target still have pending. Not for deleted or disabled targets.
 */
export async function replayDelivery(sql: SqlLike, accountId: string, deliveryId: string): Promise<ReplayResult> {
  const [original] = await sql<{ target: string; endpointId: string | null; endpointEnabled: boolean | null; jobWebhook: { url: string; disabled?: boolean } | null }[]>`
    select d.target, d.endpoint_id, e.enabled as endpoint_enabled, j.webhook as job_webhook
    from webhook_deliveries d
    left join webhook_endpoints e on e.id = d.endpoint_id
    join jobs j on j.id = d.job_id
    where d.id = ${deliveryId} and d.account_id = ${accountId}`;
  if (!original) return { kind: 'not-found' };
  if (original.target === 'job') {
    if (!original.jobWebhook) return { kind: 'target-unavailable', reason: 'the job has no webhook' };
    if (original.jobWebhook.disabled) return { kind: 'target-unavailable', reason: "the job's webhook was disabled by a 410 Gone answer" };
  } else if (original.endpointId === null) {
    return { kind: 'target-unavailable', reason: 'the endpoint was deleted' };
  } else if (!original.endpointEnabled) {
    return { kind: 'target-unavailable', reason: 'the endpoint is disabled; enable it with updateWebhookEndpoint first' };
  }
  const [delivery] = await sql<WebhookDeliveryRecord[]>`
    insert into webhook_deliveries (job_id, account_id, endpoint_id, target, event_id, event_type, webhook_id, payload, replay_of)
    select job_id, account_id, endpoint_id, target, event_id, event_type, webhook_id, payload, id
    from webhook_deliveries where id = ${deliveryId}
    returning ${sql.unsafe(Columns)}`;
  await holdBehindEarlier(sql, [delivery!.id]);
  return { kind: 'queued', delivery: delivery! };
}

/** Deletes finished deliveries older than `ttlSeconds` (0 keeps them); returns how many. */
export async function pruneDeliveries(sql: SqlLike, ttlSeconds: number): Promise<number> {
  if (ttlSeconds <= 0) return 0;
  const rows = await sql`
    delete from webhook_deliveries where id in (
      select id from webhook_deliveries where finished_at < now() - ${ttlSeconds} * interval '1 second' limit 5000)
    returning id`;
  return rows.length;
}

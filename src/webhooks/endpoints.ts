import type { Sql, SqlLike } from '../db/client.js';
import type { WebhookEvent } from './events.js';
import type { SecretBox } from './secret-box.js';
import type { RotatedSecret } from './secrets.js';
import { newWebhookSecret } from './signing.js';

/** An endpoint as the API shows it (never with its secret). */
export interface WebhookEndpointRecord {
  id: string;
  accountId: string;
  url: string;
  description: string;
  events: WebhookEvent[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const Columns = 'id, account_id, url, description, events, enabled, disabled_reason, created_at, updated_at';

export async function listWebhookEndpoints(sql: SqlLike, accountId: string): Promise<WebhookEndpointRecord[]> {
  return sql<WebhookEndpointRecord[]>`
    select ${sql.unsafe(Columns)} from webhook_endpoints where account_id = ${accountId} order by created_at, id`;
}

export async function findWebhookEndpoints(sql: SqlLike, ids: readonly string[]): Promise<WebhookEndpointRecord[]> {
  if (ids.length === 0) return [];
  return sql<WebhookEndpointRecord[]>`select ${sql.unsafe(Columns)} from webhook_endpoints where id = any(${[...ids]}::uuid[])`;
}

/** Those of the (uuid) ids that name endpoints of the account. */
export async function findAccountWebhookEndpoints(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<WebhookEndpointRecord[]> {
  if (ids.length === 0) return [];
  return sql<WebhookEndpointRecord[]>`select ${sql.unsafe(Columns)} from webhook_endpoints where id = any(${[...ids]}::uuid[]) and account_id = ${accountId}`;
}

export interface NewWebhookEndpoint {
  url: string;
  events: readonly WebhookEvent[];
  description: string;
}

/** Creates an endpoint with its own secret; the secret is returned this once. */
export async function createWebhookEndpoint(sql: SqlLike, box: SecretBox, accountId: string, endpoint: NewWebhookEndpoint): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
  const secret = newWebhookSecret();
  const [row] = await sql<WebhookEndpointRecord[]>`
    insert into webhook_endpoints (account_id, url, description, events, secret)
    values (${accountId}, ${endpoint.url}, ${endpoint.description}, ${[...endpoint.events]}::text[], ${box.seal(secret)})
    returning ${sql.unsafe(Columns)}`;
  return { endpoint: row!, secret };
}

export interface WebhookEndpointChanges {
  url?: string | undefined;
  events?: readonly WebhookEvent[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/**
 * Changes an endpoint of the account; undefined when it has none with this id. Disabling it
 * cancels its pending deliveries (in the same transaction); enabling it clears the reason.
 */
export async function updateWebhookEndpoint(sql: Sql, accountId: string, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointRecord | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<WebhookEndpointRecord[]>`
      update webhook_endpoints set
        url = coalesce(${changes.url ?? null}, url),
        events = coalesce(${changes.events ? [...changes.events] : null}::text[], events),
        description = coalesce(${changes.description ?? null}, description),
        enabled = coalesce(${changes.enabled ?? null}::boolean, enabled),
        disabled_reason = case when ${changes.enabled ?? null}::boolean is null then disabled_reason
                               when ${changes.enabled ?? null}::boolean then null else 'disabled by request' end,
        updated_at = now()
      where id = ${id} and account_id = ${accountId}
      returning ${tx.unsafe(Columns)}`;
    if (row && !row.enabled) await cancelEndpointDeliveries(tx, id, 'endpoint disabled');
    return row;
  });
}

/** Deletes an endpoint of the account and cancels what it still had to receive. */
export async function deleteWebhookEndpoint(sql: Sql, accountId: string, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`
      update webhook_deliveries set status = 'canceled', last_error = 'endpoint deleted', finished_at = now(), next_attempt_at = null
      where endpoint_id = ${id} and status = 'pending' and account_id = ${accountId}`;
    const rows = await tx`delete from webhook_endpoints where id = ${id} and account_id = ${accountId} returning id`;
    return rows.length > 0;
  });
}

/** Rotates an endpoint's secret with the same overlap as the account secret; undefined for unknown ids. */
export async function rotateWebhookEndpointSecret(sql: SqlLike, box: SecretBox, accountId: string, id: string, overlapSeconds: number): Promise<RotatedSecret | undefined> {
  const secret = newWebhookSecret();
  const [row] = await sql<{ previousExpiresAt: Date }[]>`
    update webhook_endpoints set previous_secret = secret, secret = ${box.seal(secret)},
      previous_expires_at = now() + ${overlapSeconds} * interval '1 second', updated_at = now()
    where id = ${id} and account_id = ${accountId}
    returning previous_expires_at`;
  return row ? { secret, previousExpiresAt: row.previousExpiresAt } : undefined;
}

/** Pending deliveries of a disabled endpoint are not sent (a delivery in flight finishes). */
export async function cancelEndpointDeliveries(sql: SqlLike, endpointId: string, reason: string): Promise<void> {
  await sql`
    update webhook_deliveries set status = 'canceled', last_error = ${reason}, finished_at = now(), next_attempt_at = null
    where endpoint_id = ${endpointId} and status = 'pending'`;
}

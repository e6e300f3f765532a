import type { Sql } from '../db/client.js';

/**
 * Deletes bookkeeping that has served its purpose: finished rate-limit windows, expired
 * idempotency keys and provider call records older than a week. Idempotent; any worker may run it.
 */
export async function pruneBookkeeping(sql: Sql): Promise<{ windows: number; idempotencyKeys: number; providerCalls: number }> {
  const windows = await sql`delete from rate_limit_windows where window_start < now() - interval '5 minutes'`;
  const idempotencyKeys = await sql`delete from idempotency_keys where expires_at < now() - interval '1 hour'`;
  const providerCalls = await sql`delete from provider_calls where created_at < now() - interval '7 days'`;
  return { windows: windows.count, idempotencyKeys: idempotencyKeys.count, providerCalls: providerCalls.count };
}

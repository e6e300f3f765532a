import { createHash } from 'node:crypto';
import type { SqlLike } from '../db/client.js';
import type { JobRecord } from './records.js';

/** How long a key maps to its job: repeats after that create a new job. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** JSON with sorted keys, so equal requests hash equally whatever the field order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

export type IdempotencyClaim = { kind: 'claimed' } | { kind: 'existing'; job: JobRecord } | { kind: 'conflict'; jobId: string };

/**
 * Claims `key` for a job about to be created, inside the submitting transaction. A concurrent
 * transaction with the same key waits on the row until this one ends, then sees it: so two
 * racing requests make one job. Expired keys are taken over.
 */
export async function claimIdempotencyKey(tx: SqlLike, accountId: string, key: string, hash: string, jobId: string): Promise<IdempotencyClaim> {
  const [claimed] = await tx`
    insert into idempotency_keys (account_id, key, request_hash, job_id, expires_at)
    values (${accountId}, ${key}, ${hash}, ${jobId}, now() + ${IDEMPOTENCY_TTL_HOURS} * interval '1 hour')
    on conflict (account_id, key) do update
      set request_hash = excluded.request_hash, job_id = excluded.job_id, expires_at = excluded.expires_at, created_at = now()
      where idempotency_keys.expires_at < now()
    returning job_id`;
  if (claimed) return { kind: 'claimed' };
  const [existing] = await tx<{ requestHash: string; jobId: string }[]>`
    select request_hash, job_id from idempotency_keys where account_id = ${accountId} and key = ${key}`;
  if (!existing || existing.requestHash !== hash) return { kind: 'conflict', jobId: existing?.jobId ?? '' };
  const [job] = await tx<JobRecord[]>`select * from jobs where id = ${existing.jobId}`;
  return job ? { kind: 'existing', job } : { kind: 'conflict', jobId: existing.jobId };
}

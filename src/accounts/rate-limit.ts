import { GraphQLError } from 'graphql';
import type { SqlLike } from '../db/client.js';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Operations counted in the current window, this request's included. */
  count: number;
  /** Seconds until the window resets (when refused). */
  retryAfterSeconds: number;
}

/**
 * Counts `operations` (a request's root fields) against the key's per-minute budget (fixed
 * one-minute windows shared by every API process through one upsert). The account's own
 * `requests_per_minute` wins over the deployment default; 0 means unlimited.
 */
export async function countRequest(sql: SqlLike, keyId: string, accountId: string, defaultLimit: number, operations = 1): Promise<RateLimitDecision> {
  const [row] = await sql<{ count: number; limit: number; retryAfter: number }[]>`
    with account as (select coalesce(requests_per_minute, ${defaultLimit}) as per_minute from accounts where id = ${accountId}),
    bumped as (
      insert into rate_limit_windows (key_id, window_start, count)
      select ${keyId}, date_trunc('minute', now()), ${operations}::int from account where per_minute > 0
      on conflict (key_id, window_start) do update set count = rate_limit_windows.count + excluded.count
      returning count
    )
    select coalesce((select count from bumped), 0) as count, (select per_minute from account) as limit,
      ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now()))::int as retry_after`;
  const limit = row?.limit ?? defaultLimit;
  const count = row?.count ?? 0;
  return { allowed: limit === 0 || count <= limit, limit, count, retryAfterSeconds: Math.max(1, row?.retryAfter ?? 60) };
}

/** The request-level error clients see: code RATE_LIMITED, `retryAfter`, HTTP 429 + Retry-After. */
export function rateLimited(decision: RateLimitDecision): GraphQLError {
  return new GraphQLError(`Rate limit of ${decision.limit} operations per minute exceeded for this API key; retry in ${decision.retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: decision.retryAfterSeconds,
      http: { status: 429, headers: { 'Retry-After': String(decision.retryAfterSeconds) } },
    },
  });
}

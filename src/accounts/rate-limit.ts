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

interface KeyWindow {
  /** Start of the one-minute window (ms since the epoch) these counts belong to. */
  windowStart: number;
  accountId: string;
  /** The key's count in the database as of this process's last write for it. */
  known: number;
  /** Operations admitted here and not yet written. */
  pending: number;
}

/**
 * Per-process front of `countRequest`. A limit of 0 (the account's own or, without one, the
 * deployment default; the viewer carries both from the cached key lookup) runs no query at all.
 * Otherwise the first operation of a key in each window, and every operation once the key has
 * used half its budget, is counted in the database before it is admitted (exact across
 * processes, as `countRequest` alone). Below half, operations are admitted from memory and
 * written every `flushMs` in one statement for all keys. Another process only learns of them
 * then: across processes a key can go over its limit by what the other processes admitted from
 * memory and have not written yet, less than half the limit each, and only within one flush
 * interval of reaching half. A limit changed by an operator applies once the key lookup
 * (cached 5 s) is refreshed.
 */
export class RateLimiter {
  private readonly windows = new Map<string, KeyWindow>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlLike,
    private readonly onError: (error: unknown) => void,
    private readonly flushMs = 100,
  ) {}

  async count(viewer: { keyId: string; accountId: string; requestsPerMinute?: number | null }, defaultLimit: number, operations = 1): Promise<RateLimitDecision> {
    const limit = viewer.requestsPerMinute ?? defaultLimit;
    if (limit === 0) return { allowed: true, limit: 0, count: 0, retryAfterSeconds: 60 };
    const now = Date.now();
    const windowStart = now - (now % 60_000);
    let window = this.windows.get(viewer.keyId);
    if (window && window.windowStart !== windowStart) window = undefined;
    if (window && (window.known + window.pending + operations) * 2 <= limit) {
      window.pending += operations;
      this.schedule();
      return { allowed: true, limit, count: window.known + window.pending, retryAfterSeconds: Math.ceil((windowStart + 60_000 - now) / 1000) };
    }
    // Exact path: this request and whatever is pending for the key, counted in one statement.
    const carried = window?.pending ?? 0;
    if (window) window.pending = 0;
    const decision = await countRequest(this.sql, viewer.keyId, viewer.accountId, defaultLimit, operations + carried);
    const current = this.windows.get(viewer.keyId);
    if (current && current.windowStart === windowStart) current.known = Math.max(current.known, decision.count);
    else this.windows.set(viewer.keyId, { windowStart, accountId: viewer.accountId, known: decision.count, pending: 0 });
    return decision;
  }

  /** Writes what is pending (at shutdown; otherwise the timer does). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const batch: { keyId: string; windowStart: number; pending: number }[] = [];
    for (const [keyId, window] of this.windows) {
      if (window.windowStart + 60_000 < now - 60_000) this.windows.delete(keyId);
      else if (window.pending > 0) {
        batch.push({ keyId, windowStart: window.windowStart, pending: window.pending });
        window.pending = 0;
      }
    }
    if (batch.length === 0) return this.flushing;
    const written = this.flushing.then(() => this.write(batch));
    this.flushing = written.catch(this.onError);
    return this.flushing;
  }

  private async write(batch: { keyId: string; windowStart: number; pending: number }[]): Promise<void> {
    const rows = await this.sql<{ keyId: string; count: number }[]>`
      insert into rate_limit_windows (key_id, window_start, count)
      select key_id, to_timestamp(window_start / 1000.0), count
      from unnest(${batch.map((entry) => entry.keyId)}::uuid[], ${batch.map((entry) => entry.windowStart)}::float8[], ${batch.map((entry) => entry.pending)}::int[]) as t(key_id, window_start, count)
      on conflict (key_id, window_start) do update set count = rate_limit_windows.count + excluded.count
      returning key_id, count`;
    for (const row of rows) {
      const window = this.windows.get(row.keyId);
      // `pending` now only holds what was admitted while this statement ran.
      if (window) window.known = Math.max(window.known, row.count);
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }
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

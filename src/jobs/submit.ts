import { randomUUID } from 'node:crypto';
import type { SqlLike } from '../db/client.js';
import type { OutputRequest } from '../catalog/request.js';
import type { JobRecord, ReferenceImage } from './records.js';

export interface JobSubmission {
  /** Chosen by the caller when it must know the id first (idempotency keys). */
  jobId?: string;
  accountId: string;
  modelId: string;
  params: Record<string, unknown>;
  n: number;
  /** Images per upstream call; sums to n. */
  calls: number[];
  requestedModelId?: string | null;
  referenceImages: ReferenceImage[];
  output: OutputRequest;
  template?: string | null;
  /** The job's own webhook (validated by the caller; see src/webhooks/). */
  webhook?: { url: string; events: readonly string[] } | null;
  /** Forwarded as it is to an upstream that takes it (see `ImageProvider.forwardsPassthrough`). */
  providerPassthrough?: Record<string, unknown> | null;
  seed: number;
  /** Total credits to hold (price per image x n). */
  price: number;
  maxAttempts: number;
  timeoutMs: number;
  warnings: string[];
  idempotencyKey?: string | null;
}

export type SubmitResult = { kind: 'queued'; job: JobRecord } | { kind: 'insufficient-credits'; required: number; available: number };

/**
 * Creates a queued job in ONE statement: take the credits from the balance (only if it covers
 * them: the conditional update row-locks the account, so concurrent submissions never overdraw
 * it), insert the job, the ledger's hold entry and the `QUEUED` event. One statement is atomic
 * on its own and costs one round trip; it also joins the caller's transaction when given one.
 * When the balance is short nothing is written. The `QUEUED` event's trigger wakes the workers
 * and pollers of every process when the statement commits.
 */
export async function submitJob(sql: SqlLike, submission: JobSubmission): Promise<SubmitResult> {
  const jobId = submission.jobId ?? randomUUID();
  const [job] = await sql<JobRecord[]>`
    with account as (
      update accounts set balance = balance - ${submission.price}
      where id = ${submission.accountId} and balance >= ${submission.price}
      returning id
    ), job as (
      insert into jobs (id, account_id, model_id, params, n, calls, requested_model_id, reference_images, output, template, webhook,
                        provider_passthrough, seed, max_attempts, timeout_ms, warnings, credits_held, idempotency_key)
      select ${jobId}, account.id, ${submission.modelId}, ${sql.json(submission.params as never)}, ${submission.n},
             ${submission.calls}::integer[], ${submission.requestedModelId ?? null}, ${sql.json(submission.referenceImages as never)},
             ${sql.json(submission.output as never)}, ${submission.template ?? null},
             ${submission.webhook ? sql.json(submission.webhook as never) : null},
             ${submission.providerPassthrough ? sql.json(submission.providerPassthrough as never) : null}, ${submission.seed}, ${submission.maxAttempts},
             ${submission.timeoutMs}, ${submission.warnings}, ${submission.price}, ${submission.idempotencyKey ?? null}
      from account
      returning *
    ), hold as (
      insert into credit_entries (account_id, job_id, kind, amount)
      select account_id, id, 'hold', -credits_held from job where credits_held > 0
    ), queued as (
      insert into job_events (job_id, account_id, type, status, progress)
      select id, account_id, 'QUEUED', 'QUEUED', 0 from job
    )
    select * from job`;
  if (job) return { kind: 'queued', job };
  const [account] = await sql<{ balance: number }[]>`select balance from accounts where id = ${submission.accountId}`;
  return { kind: 'insufficient-credits', required: submission.price, available: account?.balance ?? 0 };
}

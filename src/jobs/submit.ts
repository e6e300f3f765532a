import { randomUUID } from 'node:crypto';
import type { SqlLike } from '../db/client.js';
import { holdCredits } from './credits.js';
import { appendJobEvent } from './events.js';
import type { JobRecord, OutputRequest, ReferenceImage } from './records.js';

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
  seed: number;
  /** Total credits to hold (price per image x n). */
  price: number;
  maxAttempts: number;
  timeoutMs: number;
  warnings: string[];
  idempotencyKey?: string | null;
  /** The job's own webhook (validated by the caller; see src/webhooks/). */
  webhook?: { url: string; events: readonly string[] } | null;
}

export type SubmitResult = { kind: 'queued'; job: JobRecord } | { kind: 'insufficient-credits'; required: number; available: number };

/**
 * Creates a queued job inside the caller's transaction: holds its credits, inserts the row and
 * appends `QUEUED`. When the balance is short nothing is written. The caller notifies workers
 * after commit.
 */
export async function submitJob(tx: SqlLike, submission: JobSubmission): Promise<SubmitResult> {
  const jobId = submission.jobId ?? randomUUID();
  const hold = await holdCredits(tx, submission.accountId, jobId, submission.price);
  if ('available' in hold) return { kind: 'insufficient-credits', required: submission.price, available: hold.available };
  const [job] = await tx<JobRecord[]>`
    insert into jobs (id, account_id, model_id, params, n, calls, requested_model_id, reference_images, output, template, seed,
                      max_attempts, timeout_ms, warnings, credits_held, idempotency_key, webhook)
    values (${jobId}, ${submission.accountId}, ${submission.modelId}, ${tx.json(submission.params as never)}, ${submission.n},
            ${submission.calls}::integer[], ${submission.requestedModelId ?? null}, ${tx.json(submission.referenceImages as never)},
            ${tx.json(submission.output as never)}, ${submission.template ?? null}, ${submission.seed}, ${submission.maxAttempts},
            ${submission.timeoutMs}, ${submission.warnings}, ${submission.price}, ${submission.idempotencyKey ?? null},
            ${submission.webhook ? tx.json(submission.webhook as never) : null})
    returning *`;
  await appendJobEvent(tx, { jobId, accountId: submission.accountId, type: 'QUEUED', status: 'QUEUED', progress: 0 });
  return { kind: 'queued', job: job! };
}

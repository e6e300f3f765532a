import { randomUUID } from 'node:crypto';
import type { Sql, SqlLike } from '../db/client.js';
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
 * The CTEs that follow a `job` CTE of newly inserted jobs in both submit statements: each job's
 * credit hold in the ledger and its `QUEUED` event, in job order.
 */
function holdsAndQueuedEvents(sql: SqlLike) {
  return sql`hold as (
      insert into credit_entries (account_id, job_id, kind, amount)
      select account_id, id, 'hold', -credits_held from job where credits_held > 0
    ), queued as (
      insert into job_events (job_id, account_id, type, status, progress)
      select id, account_id, 'QUEUED', 'QUEUED', 0 from job order by seq
    )`;
}

/** What the database chooses for a new job; the rest of its row is the submission (`queuedJob`). */
interface Generated {
  seq: number;
  createdAt: Date;
}

/**
 * A just-written job's row, built from its submission and the columns the database chose
 * instead of read back: the submit statements return only those, so PostgreSQL does not print
 * every jsonb column of every job and the API does not parse them again. The other columns are
 * the table's defaults for a queued job (`run_after` defaults to `now()`, the same transaction
 * time as `created_at`). test/unit/submit-batch.test.ts compares it with the stored row, so a
 * column added to `jobs` fails that test until it is added here.
 */
function queuedJob(submission: JobSubmission & { jobId: string }, generated: Generated): JobRecord {
  return {
    id: submission.jobId,
    seq: generated.seq,
    accountId: submission.accountId,
    modelId: submission.modelId,
    params: submission.params,
    n: submission.n,
    calls: submission.calls,
    requestedModelId: submission.requestedModelId ?? null,
    referenceImages: submission.referenceImages,
    output: submission.output,
    template: submission.template ?? null,
    seed: submission.seed,
    status: 'QUEUED',
    progress: 0,
    stage: null,
    attempts: 0,
    maxAttempts: submission.maxAttempts,
    timeoutMs: submission.timeoutMs,
    runAfter: generated.createdAt,
    lockedBy: null,
    lockedUntil: null,
    cancelRequestedAt: null,
    warnings: submission.warnings,
    errorCode: null,
    errorMessage: null,
    provider: null,
    providerAttempts: [],
    usage: null,
    creditsHeld: submission.price,
    creditsCharged: null,
    idempotencyKey: submission.idempotencyKey ?? null,
    webhook: submission.webhook ?? null,
    providerPassthrough: submission.providerPassthrough ?? null,
    createdAt: generated.createdAt,
    startedAt: null,
    finishedAt: null,
  };
}

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
  const [job] = await sql<Generated[]>`
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
      returning id, seq, account_id, credits_held, created_at
    ), ${holdsAndQueuedEvents(sql)}
    select seq, created_at from job`;
  if (job) return { kind: 'queued', job: queuedJob({ ...submission, jobId }, job) };
  const [account] = await sql<{ balance: number }[]>`select balance from accounts where id = ${submission.accountId}`;
  return { kind: 'insufficient-credits', required: submission.price, available: account?.balance ?? 0 };
}

/** A submission waiting for its batch, with the caller's promise. */
interface Waiting {
  submission: JobSubmission & { jobId: string };
  resolve: (result: SubmitResult) => void;
  reject: (error: unknown) => void;
}

/** Inline images (data URLs) a batch statement may carry in all; everything else in a submission is small. */
const BatchBytes = 8 * 1024 * 1024;

function inlineBytes(submission: JobSubmission): number {
  let bytes = 0;
  for (const image of submission.referenceImages) if ('dataUrl' in image) bytes += image.dataUrl.length;
  return bytes;
}

/** One submission as a row of the batch statement's `jsonb_to_recordset` input (snake_case keys). */
function batchRow(ord: number, submission: JobSubmission & { jobId: string }): Record<string, unknown> {
  return {
    ord,
    id: submission.jobId,
    account_id: submission.accountId,
    model_id: submission.modelId,
    params: submission.params,
    n: submission.n,
    calls: submission.calls,
    requested_model_id: submission.requestedModelId ?? null,
    reference_images: submission.referenceImages,
    output: submission.output,
    template: submission.template ?? null,
    webhook: submission.webhook ?? null,
    provider_passthrough: submission.providerPassthrough ?? null,
    seed: submission.seed,
    max_attempts: submission.maxAttempts,
    timeout_ms: submission.timeoutMs,
    warnings: submission.warnings,
    price: submission.price,
    idempotency_key: submission.idempotencyKey ?? null,
  };
}

/**
 * Writes many submissions in ONE statement: the same writes as `submitJob` for each (credit hold,
 * job, ledger entry, `QUEUED` event), committed together. Submissions of one account are taken in
 * input order while its balance covers them: each account's admitted submissions are the longest
 * prefix of its submissions whose running total the balance covers, exactly what submitting them
 * one by one would admit up to the first refusal. The accounts are row-locked in id order, so
 * batches from several processes never deadlock. Returns the jobs written, in input order.
 */
export async function submitJobs(sql: SqlLike, submissions: readonly (JobSubmission & { jobId: string })[]): Promise<JobRecord[]> {
  const rows = submissions.map((submission, ord) => batchRow(ord, submission));
  const written = await sql<(Generated & { id: string })[]>`
    with input as (
      select * from jsonb_to_recordset(${sql.json(rows as never)}) as input(
        ord integer, id uuid, account_id uuid, model_id text, params jsonb, n integer, calls integer[], requested_model_id text,
        reference_images jsonb, output jsonb, template text, webhook jsonb, provider_passthrough jsonb, seed bigint,
        max_attempts integer, timeout_ms integer, warnings text[], price bigint, idempotency_key text)
    ), locked as (
      -- FOR NO KEY UPDATE waits for a concurrent writer and then reads its committed balance.
      select accounts.id, accounts.balance from accounts where accounts.id = any(array(select account_id from input)) order by accounts.id for no key update
    ), admitted as (
      select input.* from (
        select input.*, sum(input.price) over (partition by input.account_id order by input.ord) as running from input
      ) input join locked on locked.id = input.account_id
      where input.running <= locked.balance
    ), account as (
      update accounts set balance = accounts.balance - taken.total
      from (select account_id, sum(price) as total from admitted group by account_id) taken
      where accounts.id = taken.account_id and accounts.balance >= taken.total
      returning accounts.id
    ), job as (
      insert into jobs (id, account_id, model_id, params, n, calls, requested_model_id, reference_images, output, template, webhook,
                        provider_passthrough, seed, max_attempts, timeout_ms, warnings, credits_held, idempotency_key)
      select admitted.id, admitted.account_id, admitted.model_id, admitted.params, admitted.n, admitted.calls, admitted.requested_model_id,
             admitted.reference_images, admitted.output, admitted.template, nullif(admitted.webhook, 'null'::jsonb),
             nullif(admitted.provider_passthrough, 'null'::jsonb), admitted.seed, admitted.max_attempts, admitted.timeout_ms,
             admitted.warnings, admitted.price, admitted.idempotency_key
      from admitted join account on account.id = admitted.account_id
      order by admitted.ord
      returning id, seq, account_id, credits_held, created_at
    ), ${holdsAndQueuedEvents(sql)}
    select id, seq, created_at from job order by seq`;
  const byId = new Map(submissions.map((submission) => [submission.jobId, submission]));
  return written.map((job) => queuedJob(byId.get(job.id)!, job));
}

/**
 * Group commit for submissions made outside a transaction. The submissions made in one turn of
 * the event loop are written together at its end when fewer than `maxInFlight` statements are
 * running; otherwise they wait for one to finish and go with the other waiting submissions, up to
 * `maxBatch`, in one statement (`submitJobs`): one commit, one WAL flush and one wake-up for all
 * of them instead of one each. At low load a submission waits only for the end of its turn; under
 * load the statements grow instead of queueing for connections. (Taking a submission the moment a
 * slot was free sent 38% of the statements at 64 clients with one submission each: the first
 * request of every burst.)
 *
 * Three statements of at most 24 submissions: one very large statement makes a convoy (the API
 * turns a whole batch of answers into new requests while PostgreSQL waits, then PostgreSQL writes
 * them while the API waits); three smaller ones keep both busy. At 64 clients on two cores this
 * wrote 34–36% of pgbench's insert rate against 31–32% with two statements of up to 64
 * (BENCHMARKS.md, "Prepared operations").
 *
 * An account is in at most one running statement of this process, so its submissions are written
 * in the order they were made and no batch waits on another's row lock. Within a batch, an
 * account's submissions after its first refusal are not refused with it: they go back to the
 * front of the queue and are judged against the balance left, as if submitted one by one. If a
 * batch statement fails, its submissions are written one by one, so an error reaches only the
 * submission it belongs to.
 */
export class JobSubmitter {
  readonly #queue: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** Accounts with a statement running. */
  readonly #busyAccounts = new Set<string>();
  /** Statements and submissions written, for the metrics endpoint and the benchmarks. */
  readonly stats = { statements: 0, submissions: 0, largestBatch: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly limits: { maxInFlight: number; maxBatch: number } = { maxInFlight: 3, maxBatch: 24 },
  ) {}

  submit(submission: JobSubmission): Promise<SubmitResult> {
    return new Promise<SubmitResult>((resolve, reject) => {
      this.#queue.push({ submission: { ...submission, jobId: submission.jobId ?? randomUUID() }, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Takes the queue once the event loop has run every callback that was ready with this one, so
   * submissions that arrived together (requests read in the same turn, answers of one statement
   * turning into new requests) share a statement even when a slot is free.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.limits.maxInFlight && this.#queue.length > 0) {
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#inFlight++;
      const accounts = new Set(batch.map((waiting) => waiting.submission.accountId));
      for (const accountId of accounts) this.#busyAccounts.add(accountId);
      const written = this.#write(batch).catch((error: unknown) => {
        // Not expected (#write settles every caller itself); never leave a caller or an account stuck.
        for (const waiting of batch) waiting.reject(error);
        return [];
      });
      void written.then((retry) => {
        this.#inFlight--;
        for (const accountId of accounts) this.#busyAccounts.delete(accountId);
        this.#queue.unshift(...retry);
        this.#schedule();
      });
    }
  }

  /**
   * The oldest waiting submissions of accounts with no statement running, up to `maxBatch` and
   * about `BatchBytes` of inline images (a bigger submission goes alone). A submission left behind
   * holds back its account's later ones, so each account's order is kept.
   */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const heldBack = new Set<string>();
    let bytes = 0;
    let kept = 0;
    for (const waiting of this.#queue) {
      const { accountId } = waiting.submission;
      const size = inlineBytes(waiting.submission);
      const fits = batch.length === 0 || (batch.length < this.limits.maxBatch && bytes + size <= BatchBytes);
      if (fits && !this.#busyAccounts.has(accountId) && !heldBack.has(accountId)) {
        batch.push(waiting);
        bytes += size;
      } else {
        heldBack.add(accountId);
        this.#queue[kept++] = waiting;
      }
    }
    this.#queue.length = kept;
    return batch;
  }

  /** Writes a batch and settles its callers; returns the submissions to judge again. Never rejects. */
  async #write(batch: Waiting[]): Promise<Waiting[]> {
    this.stats.statements++;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    if (batch.length === 1) {
      this.stats.submissions++;
      await this.#writeOne(batch[0]!);
      return [];
    }
    let jobs: JobRecord[];
    try {
      jobs = await submitJobs(
        this.sql,
        batch.map((waiting) => waiting.submission),
      );
    } catch {
      // Which submission broke the statement is unknown: each is written (and fails) on its own, in order.
      this.stats.submissions += batch.length;
      for (const waiting of batch) await this.#writeOne(waiting);
      return [];
    }
    const written = new Map(jobs.map((job) => [job.id, job]));
    const refused: Waiting[] = [];
    const retry: Waiting[] = [];
    const refusedAccounts = new Set<string>();
    for (const waiting of batch) {
      const { accountId, jobId } = waiting.submission;
      const job = written.get(jobId);
      if (job) waiting.resolve({ kind: 'queued', job });
      else if (refusedAccounts.has(accountId)) retry.push(waiting);
      else {
        refusedAccounts.add(accountId);
        refused.push(waiting);
      }
    }
    this.stats.submissions += batch.length - retry.length;
    if (refused.length > 0) await this.#refuse(refused);
    return retry;
  }

  /** A refusal quotes the balance it could not cover (read after the statement, as `submitJob` does). */
  async #refuse(refused: Waiting[]): Promise<void> {
    try {
      const rows = await this.sql<{ id: string; balance: number }[]>`
        select id, balance from accounts where id = any(${refused.map((waiting) => waiting.submission.accountId)}::uuid[])`;
      const balances = new Map(rows.map((row) => [row.id, row.balance]));
      for (const { submission, resolve } of refused) {
        resolve({ kind: 'insufficient-credits', required: submission.price, available: balances.get(submission.accountId) ?? 0 });
      }
    } catch (error) {
      for (const waiting of refused) waiting.reject(error);
    }
  }

  async #writeOne(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await submitJob(this.sql, waiting.submission));
    } catch (error) {
      waiting.reject(error);
    }
  }
}

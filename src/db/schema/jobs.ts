import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

/** PostgreSQL's 64-bit transaction id, used as the first half of the event cursor. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The queue. Claimable rows are `status = 'QUEUED'`; the partial index below (per account, in
 * order) only holds those, so finished rows never slow the claim however large the table grows.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Monotonic insertion order: FIFO claim order and the `jobs` connection cursor. */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    /** Validated model parameters (raw values, defaults applied). */
    params: jsonb('params').notNull(),
    n: integer('n').notNull().default(1),
    /** Images per upstream call (`[4, 4, 2]` when n exceeds what one call returns). */
    calls: integer('calls')
      .array()
      .notNull()
      .default(sql`'{1}'::integer[]`),
    /** The model the client asked for, when the job runs on its documented upgrade instead. */
    requestedModelId: text('requested_model_id'),
    /** Reference images in order (`{ mediaId } | { url } | { dataUrl }`), templates' appended. */
    referenceImages: jsonb('reference_images')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Requested output encoding: `{ format?, compression?, background? }`. */
    output: jsonb('output')
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Template slug applied to the prompt. */
    template: text('template'),
    seed: bigint('seed', { mode: 'number' }).notNull(),
    /** QUEUED | RUNNING | SUCCEEDED | FAILED | CANCELED */
    status: text('status').notNull().default('QUEUED'),
    progress: doublePrecision('progress').notNull().default(0),
    stage: text('stage'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    timeoutMs: integer('timeout_ms').notNull(),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    warnings: text('warnings')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Which engine or upstream ran the last attempt. */
    provider: text('provider'),
    /** Every upstream call of every attempt: `{ provider, upstreamModel, outcome, code?, status?, durationMs, at }`. */
    providerAttempts: jsonb('provider_attempts')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** What the upstream reported it used (cost, tokens), merged over calls; null when it does not say. */
    usage: jsonb('usage'),
    creditsHeld: bigint('credits_held', { mode: 'number' }).notNull().default(0),
    creditsCharged: bigint('credits_charged', { mode: 'number' }),
    idempotencyKey: text('idempotency_key'),
    /** The job's own webhook: `{ url, events, disabled? }` (see src/webhooks/); null when none. */
    webhook: jsonb('webhook'),
    /** Upstream-specific settings forwarded as they are (OpenRouter's `provider` object); null when none. */
    providerPassthrough: jsonb('provider_passthrough'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('jobs_running_lease_idx')
      .on(table.lockedUntil)
      .where(sql`${table.status} = 'RUNNING'`),
    index('jobs_account_seq_idx').on(table.accountId, table.seq),
    // Fair claim: the oldest queued job of each account, and running jobs counted per account. The
    // only partial index of queued jobs: with a second one (on seq alone), a planner whose
    // statistics predate a burst of submissions walked every queued job through it once per account.
    index('jobs_account_queue_idx')
      .on(table.accountId, table.seq)
      .where(sql`${table.status} = 'QUEUED'`),
    index('jobs_account_running_idx')
      .on(table.accountId)
      .where(sql`${table.status} = 'RUNNING'`),
    index('jobs_account_created_idx').on(table.accountId, table.createdAt),
  ],
);

/**
 * Append-only log of everything that happens to a job: the single source for subscriptions and
 * webhooks. `xid` is the writing transaction's id; readers only take rows whose transaction is
 * older than every running one, ordered by (xid, id), so late commits are never skipped.
 */
export const jobEvents = pgTable(
  'job_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    /** QUEUED | STARTED | PROGRESS | SUCCEEDED | FAILED | CANCELED */
    type: text('type').notNull(),
    /** Job status right after this event. */
    status: text('status').notNull(),
    progress: doublePrecision('progress').notNull().default(0),
    stage: text('stage'),
    previewImageId: uuid('preview_image_id'),
    message: text('message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('job_events_cursor_idx').on(table.xid, table.id), index('job_events_job_idx').on(table.jobId, table.xid, table.id)],
);

/** Stored pictures: job outputs and preview frames. */
export const images = pgTable(
  'images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'cascade' }),
    /** output | preview */
    kind: text('kind').notNull(),
    /** Position among the job's outputs (0-based). */
    position: integer('position').notNull().default(0),
    storageKey: text('storage_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** png | webp | jpeg | svg */
    format: text('format').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('images_job_idx').on(table.jobId, table.kind, table.position)],
);

/**
 * One row per upstream call, for operators: recent error rate and latency per provider, shared
 * by every worker process. Old rows are pruned by the worker's sweeper.
 */
export const providerCalls = pgTable(
  'provider_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    modelId: text('model_id').notNull(),
    /** succeeded | retryable | invalid_request | authentication | content_policy | timeout | canceled */
    outcome: text('outcome').notNull(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('provider_calls_recent_idx').on(table.provider, table.createdAt)],
);

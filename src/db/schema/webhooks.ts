import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';
import { jobs } from './jobs.js';

/** PostgreSQL's 64-bit transaction id (the first half of a `job_events` position). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The account's signing secret for per-job webhooks (`whsec_...`), created on first use. After a
 * rotation the previous secret keeps signing too (a second signature) until `previous_expires_at`.
 */
export const webhookSecrets = pgTable('webhook_secrets', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousExpiresAt: timestamp('previous_expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }),
});

/** Per-account webhook endpoints: every job of the account, filtered by event, signed with their own secret. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Webhook event names (QUEUED, STARTED, PROGRESS, SUCCEEDED, FAILED, CANCELED). */
    events: text('events').array().notNull(),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousExpiresAt: timestamp('previous_expires_at', { withTimezone: true }),
    enabled: boolean('enabled').notNull().default(true),
    /** Why it was disabled (by request, or the receiver answered 410 Gone). */
    disabledReason: text('disabled_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoints_account_idx').on(table.accountId)],
);

/**
 * The outbox: one row per (log event, target), created from `job_events` by the dispatcher and
 * sent by whichever worker claims it. `target` ('job' or an endpoint id) with `job_id` names a
 * chain that is delivered strictly in `seq` order.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Creation order; deliveries of one chain are sent in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    /** The endpoint; null for the job's own webhook (and once the endpoint is deleted). */
    endpointId: uuid('endpoint_id').references(() => webhookEndpoints.id, { onDelete: 'set null' }),
    /** Chain key with job_id: 'job' or the endpoint id. */
    target: text('target').notNull(),
    /** The `job_events` row this delivers (replays share it). */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    /** QUEUED | STARTED | PROGRESS | SUCCEEDED | FAILED | CANCELED */
    eventType: text('event_type').notNull(),
    /** The `webhook-id` header: the same on every attempt and replay of this message. */
    webhookId: text('webhook_id').notNull(),
    /** The exact JSON body that is signed and sent. */
    payload: text('payload').notNull(),
    /** pending | sending | delivered | failed | superseded | canceled */
    status: text('status').notNull().default('pending'),
    /** Attempts made so far (incremented when an attempt starts). */
    attempt: integer('attempt').notNull().default(0),
    /** Pending: when the next attempt is due. Sending: when the attempt's lease runs out. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    responseCode: integer('response_code'),
    latencyMs: integer('latency_ms'),
    lastError: text('last_error'),
    /** The delivery this one replays. */
    replayOf: uuid('replay_of'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_deliveries_due_idx')
      .on(table.nextAttemptAt)
      .where(sql`${table.status} in ('pending', 'sending')`),
    index('webhook_deliveries_chain_idx')
      .on(table.jobId, table.target, table.seq)
      .where(sql`${table.status} in ('pending', 'sending')`),
    index('webhook_deliveries_job_idx').on(table.jobId, table.seq),
    index('webhook_deliveries_finished_idx')
      .on(table.finishedAt)
      .where(sql`${table.finishedAt} is not null`),
  ],
);

/**
 * Durable read positions in `job_events`. The dispatcher locks its row (FOR UPDATE SKIP LOCKED),
 * creates the deliveries of the next events and advances the position in one transaction, so
 * every event becomes deliveries exactly once whichever process dies when.
 */
export const webhookCursors = pgTable('webhook_cursors', {
  name: text('name').primaryKey(),
  xid: xid8('xid').notNull(),
  eventId: bigint('event_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A tenant: owns keys, jobs, images and a credit balance. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Spendable credits; holds for queued/running jobs are already subtracted. */
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Requests per minute per API key; null uses the deployment default (RATE_LIMIT_PER_MINUTE). */
    requestsPerMinute: integer('requests_per_minute'),
    /** Jobs of this account running at once; null uses the deployment default (MAX_RUNNING_JOBS_PER_ACCOUNT). */
    maxRunningJobs: integer('max_running_jobs'),
    /** Set by an operator: the account's keys stop working and its unfinished jobs are canceled. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('accounts_balance_not_negative', sql`${table.balance} >= 0`)],
);

/** API keys are stored as SHA-256 hashes; the key itself is shown once at creation. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    /** First characters of the key, safe to display ("pk_3f9a..."). */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{generate,read}'::text[]`),
    /** Operator keys run the deployment (accounts, credits, limits, providers); made only by the CLI or the dev set-up. */
    operator: boolean('operator').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [index('api_keys_account_idx').on(table.accountId)],
);

/** Append-only credit movements; `accounts.balance` is their running sum. */
export const creditEntries = pgTable(
  'credit_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id'),
    /** grant | hold | capture | release */
    kind: text('kind').notNull(),
    /** Signed change of the spendable balance (holds are negative, releases positive). */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('credit_entries_account_idx').on(table.accountId, table.id)],
);

/** Process-wide settings shared by every Pictor process of a deployment (e.g. URL signing key). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Idempotency keys: the first request with a key creates the job; repeats within 24 hours return
 * it (same request) or a conflict (different request). Kept apart from jobs so keys can expire.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of the canonical request, to tell a retry from a different request. */
    requestHash: text('request_hash').notNull(),
    jobId: uuid('job_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.key] }), index('idempotency_keys_expiry_idx').on(table.expiresAt)],
);

/** Fixed one-minute request counters per API key, shared by every API process. */
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    keyId: uuid('key_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.keyId, table.windowStart] })],
);

import type { Sql, SqlLike } from '../db/client.js';
import { announceKeyRevoked, createApiKey, insertAccount, type CreatedKey, type KeyOptions } from './api-keys.js';

/** An account as operators see it. */
export interface AccountRecord {
  id: string;
  name: string;
  balance: number;
  /** Requests per minute per key; null: the deployment default. */
  requestsPerMinute: number | null;
  /** Jobs running at once; null: the deployment default. */
  maxRunningJobs: number | null;
  disabledAt: Date | null;
  createdAt: Date;
}

const accountColumns = 'id, name, balance, requests_per_minute, max_running_jobs, disabled_at, created_at';

export async function findAccount(sql: SqlLike, accountId: string): Promise<AccountRecord | undefined> {
  const [account] = await sql<AccountRecord[]>`select ${sql.unsafe(accountColumns)} from accounts where id = ${accountId}`;
  return account;
}

/** Those of the (uuid) ids that name accounts. */
export async function findAccounts(sql: SqlLike, ids: readonly string[]): Promise<AccountRecord[]> {
  if (ids.length === 0) return [];
  return sql<AccountRecord[]>`select ${sql.unsafe(accountColumns)} from accounts where id = any(${[...ids]}::uuid[])`;
}

/** Creates a tenant account holding `credits` and its first key, in one transaction. */
export async function createAccount(sql: Sql, options: { name: string; credits: number } & KeyOptions): Promise<{ account: AccountRecord; created: CreatedKey }> {
  return sql.begin(async (transaction) => {
    const accountId = await insertAccount(transaction, options.name, options.credits);
    const created = await createApiKey(transaction, accountId, { name: 'default', scopes: options.scopes, operator: options.operator });
    return { account: (await findAccount(transaction, accountId))!, created };
  });
}

export interface AccountPage {
  accounts: AccountRecord[];
  hasNextPage: boolean;
}

/** Accounts, oldest first; `after` is the id of the last account of the previous page. */
export async function listAccounts(sql: SqlLike, options: { first: number; after?: string }): Promise<AccountPage> {
  const rows = await sql<AccountRecord[]>`
    select ${sql.unsafe(accountColumns)} from accounts
    ${options.after ? sql`where (created_at, id) > (select created_at, id from accounts where id = ${options.after})` : sql``}
    order by created_at, id limit ${options.first + 1}`;
  return { accounts: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
}

/** Sets (or with null, clears) an account's limits; undefined for an unknown account. */
export async function setAccountLimits(sql: SqlLike, accountId: string, limits: { requestsPerMinute: number | null; maxRunningJobs: number | null }): Promise<AccountRecord | undefined> {
  const [account] = await sql<AccountRecord[]>`
    update accounts set requests_per_minute = ${limits.requestsPerMinute}, max_running_jobs = ${limits.maxRunningJobs}
    where id = ${accountId} returning ${sql.unsafe(accountColumns)}`;
  return account;
}

export interface DisabledAccount {
  account: AccountRecord;
  /** The account's keys, for the caller to drop from its in-process cache. */
  keyIds: string[];
}

/**
 * Disables an account: its keys stop authenticating (every API process drops them and closes
 * their sockets through `KeyRevokedChannel`). Its unfinished jobs are the job queue's to end
 * (`cancelUnfinishedJobs` in jobs/cancel.ts). Undefined for an unknown account.
 */
export async function disableAccount(sql: Sql, accountId: string): Promise<DisabledAccount | undefined> {
  const [account] = await sql<AccountRecord[]>`
    update accounts set disabled_at = coalesce(disabled_at, now()) where id = ${accountId} returning ${sql.unsafe(accountColumns)}`;
  if (!account) return undefined;
  const keys = await sql<{ id: string }[]>`select id from api_keys where account_id = ${accountId} and revoked_at is null`;
  for (const key of keys) await announceKeyRevoked(sql, key.id);
  return { account, keyIds: keys.map((key) => key.id) };
}

/** Spendable credits (holds of unfinished jobs already subtracted); 0 for an unknown account. */
export async function accountBalance(sql: SqlLike, accountId: string): Promise<number> {
  const [account] = await sql<{ balance: number }[]>`select balance from accounts where id = ${accountId}`;
  return account?.balance ?? 0;
}

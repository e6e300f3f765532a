import type { SqlLike } from '../db/client.js';

/** A credit movement as the account's ledger shows it. */
export interface LedgerEntry {
  id: number;
  /** The job that held, captured or released the credits; null for grants. */
  jobId: string | null;
  /** grant | hold | capture | release */
  kind: string;
  amount: number;
  note: string | null;
  createdAt: Date;
}

/** One page of an account's credit movements, newest first; `beforeId` is the previous page's cursor. */
export async function ledgerPage(sql: SqlLike, accountId: string, options: { first: number; beforeId: number | null }): Promise<{ entries: LedgerEntry[]; hasNextPage: boolean }> {
  const { first, beforeId } = options;
  const rows = await sql<LedgerEntry[]>`
    select id, job_id, kind, amount, note, created_at from credit_entries
    where account_id = ${accountId} ${beforeId !== null ? sql`and id < ${beforeId}` : sql``}
    order by id desc limit ${first + 1}`;
  return { entries: rows.slice(0, first), hasNextPage: rows.length > first };
}

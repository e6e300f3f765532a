import type { SqlLike } from '../db/client.js';

export interface LedgerMismatch {
  accountId: string;
  balance: number;
  ledgerSum: number;
}

/**
 * The ledger invariant: every account's balance equals the sum of its ledger entries. Returns
 * the accounts that break it (none, when every credit move was atomic). For tests and audits.
 */
export async function ledgerMismatches(sql: SqlLike): Promise<LedgerMismatch[]> {
  return sql<LedgerMismatch[]>`
    select a.id as account_id, a.balance, coalesce(sum(e.amount), 0)::bigint as ledger_sum
    from accounts a left join credit_entries e on e.account_id = a.id
    group by a.id, a.balance
    having a.balance <> coalesce(sum(e.amount), 0)`;
}

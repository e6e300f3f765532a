import { unstorableTextReason } from '../text.js';
import type { SqlLike } from '../db/client.js';

/**
 * Every credit move is ONE statement: the balance update and its ledger row are data-modifying
 * CTEs of the same statement, so they commit together or not at all whatever transaction (or
 * none) the caller runs them in. `accounts.balance` always equals the sum of its ledger.
 */

/** Largest balance an account may hold: what GraphQL's 32-bit `Int` (balance fields) can carry. */
export const MAX_BALANCE = 2 ** 31 - 1;

/**
 * The ledger half of settling holds, as CTEs for a statement that defines `settled` (one row per
 * job: `account_id`, `job_id`, `held`, `captured`): the capture entry, the unused part of the hold
 * back to the balance, and its release entry. Used by `settleCredits` and by statements that
 * finish a job and settle it at once (`completeJob`).
 */
export function settlementLedger(sql: SqlLike) {
  return sql`
    capture as (
      insert into credit_entries (account_id, job_id, kind, amount, note)
      select account_id, job_id, 'capture', 0, 'captured ' || captured from settled where captured > 0
    ),
    refund as (
      -- Summed per account: an UPDATE ... FROM changes each account row once, whatever number of
      -- its jobs a statement settles.
      update accounts set balance = balance + refunds.amount
      from (select account_id, sum(held - captured) as amount from settled where held > captured group by account_id) refunds
      where accounts.id = refunds.account_id
    ),
    release as (
      insert into credit_entries (account_id, job_id, kind, amount)
      select account_id, job_id, 'release', held - captured from settled where held > captured
    )`;
}

/**
 * Settles a job's hold: `charged` credits are captured, the rest returns to the balance. Idempotent:
 * the hold is zeroed in the same statement that reads it, so a job is never settled twice.
 */
export async function settleCredits(sql: SqlLike, jobId: string, charged: number): Promise<void> {
  await sql`
    with old as (select id, account_id, credits_held from jobs where id = ${jobId} and credits_held > 0 for update),
    settled as (
      update jobs set credits_held = 0, credits_charged = least(${charged}::bigint, old.credits_held)
      from old where jobs.id = old.id
      returning jobs.account_id, jobs.id as job_id, old.credits_held as held, least(${charged}::bigint, old.credits_held) as captured
    ),
    ${settlementLedger(sql)}
    select count(*) from settled`;
}

export type GrantResult =
  | { kind: 'granted'; balance: number }
  | { kind: 'unknown-account' }
  /** The balance would pass MAX_BALANCE. */
  | { kind: 'balance-overflow'; balance: number }
  /** The note cannot be stored (NUL characters, too long); `message` names the problem. */
  | { kind: 'invalid-note'; message: string };

export const MAX_NOTE_LENGTH = 1000;

/** Why a ledger note cannot be stored, or undefined when it can. */
export function noteProblem(note: string): string | undefined {
  const unstorable = unstorableTextReason(note);
  if (unstorable) return unstorable;
  if (note.length > MAX_NOTE_LENGTH) return `must be at most ${MAX_NOTE_LENGTH} characters`;
  return undefined;
}

/** Adds credits to an account (operators, CLI): balance and ledger row in one statement. */
export async function grantCredits(sql: SqlLike, accountId: string, amount: number, note?: string): Promise<GrantResult> {
  const problem = note === undefined ? undefined : noteProblem(note);
  if (problem) return { kind: 'invalid-note', message: problem };
  if (!Number.isSafeInteger(amount) || amount < 1) throw new RangeError(`grant amount must be a positive safe integer, got ${amount}`);
  const [row] = await sql<{ granted: boolean; balance: number }[]>`
    with account as (
      update accounts set balance = balance + ${amount}::bigint
      where id = ${accountId} and balance <= ${MAX_BALANCE - amount}::bigint
      returning id, balance
    ),
    entry as (insert into credit_entries (account_id, kind, amount, note) select id, 'grant', ${amount}::bigint, ${note ?? null} from account)
    select true as granted, balance from account
    union all
    select false, balance from accounts where id = ${accountId} and not exists (select 1 from account)`;
  if (!row) return { kind: 'unknown-account' };
  return row.granted ? { kind: 'granted', balance: row.balance } : { kind: 'balance-overflow', balance: row.balance };
}

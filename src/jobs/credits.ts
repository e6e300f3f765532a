import type { SqlLike } from '../db/client.js';

/**
 * Takes `amount` credits from the spendable balance for a job. Returns the balance left, or
 * `undefined` (nothing written) when the account has less than `amount`. The conditional update
 * row-locks the account, so concurrent submissions can never overdraw it.
 */
export async function holdCredits(sql: SqlLike, accountId: string, jobId: string, amount: number): Promise<{ balance: number } | { available: number }> {
  const [held] = await sql<{ balance: number }[]>`
    update accounts set balance = balance - ${amount}
    where id = ${accountId} and balance >= ${amount}
    returning balance`;
  if (!held) {
    const [account] = await sql<{ balance: number }[]>`select balance from accounts where id = ${accountId}`;
    return { available: account?.balance ?? 0 };
  }
  if (amount > 0) await sql`insert into credit_entries (account_id, job_id, kind, amount) values (${accountId}, ${jobId}, 'hold', ${-amount})`;
  return { balance: held.balance };
}

/**
 * Settles a job's hold: `charged` credits are captured, the rest returns to the balance. Idempotent:
 * the hold is zeroed in the same statement that reads it, so a job is never settled twice.
 */
export async function settleCredits(sql: SqlLike, jobId: string, charged: number): Promise<void> {
  const [settled] = await sql<{ accountId: string; held: number }[]>`
    update jobs set credits_held = 0, credits_charged = least(${charged}, old.credits_held)
    from (select id, credits_held from jobs where id = ${jobId} for update) as old
    where jobs.id = old.id and old.credits_held > 0
    returning jobs.account_id, old.credits_held as held`;
  if (!settled) return;
  const captured = Math.min(charged, settled.held);
  const released = settled.held - captured;
  if (captured > 0) await sql`insert into credit_entries (account_id, job_id, kind, amount, note) values (${settled.accountId}, ${jobId}, 'capture', 0, ${`captured ${captured}`})`;
  if (released > 0) {
    await sql`update accounts set balance = balance + ${released} where id = ${settled.accountId}`;
    await sql`insert into credit_entries (account_id, job_id, kind, amount) values (${settled.accountId}, ${jobId}, 'release', ${released})`;
  }
}

/** Adds credits to an account (CLI, admin). */
export async function grantCredits(sql: SqlLike, accountId: string, amount: number, note?: string): Promise<number> {
  const [account] = await sql<{ balance: number }[]>`update accounts set balance = balance + ${amount} where id = ${accountId} returning balance`;
  if (!account) throw new Error(`Account ${accountId} not found`);
  await sql`insert into credit_entries (account_id, kind, amount, note) values (${accountId}, 'grant', ${amount}, ${note ?? null})`;
  return account.balance;
}

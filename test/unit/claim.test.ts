import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountBalance, setAccountLimits } from '../../src/accounts/accounts.js';
import type { Database } from '../../src/db/client.js';
import { claimJobs, nextClaimCursor, type ClaimOptions } from '../../src/jobs/claim.js';
import type { JobRecord } from '../../src/jobs/records.js';
import { failJob } from '../../src/jobs/finish.js';
import { extendLeases } from '../../src/jobs/lease.js';
import { sweepExpiredLeases } from '../../src/jobs/sweep.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { tableReads, newAccount, queueJob, queueJobs, queueManyJobs } from '../support/jobs.js';

/** The claim query (src/jobs/claim.ts) on its own, against a fresh database per test. */

let database: Database;
beforeEach(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 4 });
});
afterEach(async () => {
  await database?.close();
});

const claim = (options: Partial<ClaimOptions> = {}) => claimJobs(database.sql, { workerId: 'worker-1', limit: 10, leaseMs: 60_000, defaultMaxRunningPerAccount: 10, ...options });
const ids = (jobs: { id: string }[]) => jobs.map((job) => job.id);

describe('claimJobs', () => {
  it("takes every account's oldest job before any account's second, oldest first within an account", async () => {
    const [alice, bob, carol] = [await newAccount(database.sql), await newAccount(database.sql), await newAccount(database.sql)];
    const alices = await queueJobs(database.sql, alice, 3);
    const bobs = await queueJobs(database.sql, bob, 2);
    const [carols] = await queueJobs(database.sql, carol, 1);

    const first = await claim({ limit: 4 });
    expect(new Set(ids(first))).toEqual(new Set([alices[0]!.id, bobs[0]!.id, carols!.id, alices[1]!.id]));
    for (const job of first) expect(job).toMatchObject({ status: 'RUNNING', attempts: 1, lockedBy: 'worker-1' });
    const started = await database.sql<{ jobId: string; message: string }[]>`select job_id, message from job_events where type = 'STARTED'`;
    expect(new Set(ids(started.map((event) => ({ id: event.jobId }))))).toEqual(new Set(ids(first)));
    expect(started.every((event) => event.message === 'attempt 1')).toBe(true);

    expect(new Set(ids(await claim()))).toEqual(new Set([alices[2]!.id, bobs[1]!.id]));
    expect(await claim()).toEqual([]);
  });

  it("never runs more of an account's jobs than its own limit, or the deployment's default", async () => {
    const limited = await newAccount(database.sql);
    const ordinary = await newAccount(database.sql);
    await setAccountLimits(database.sql, limited, { requestsPerMinute: null, maxRunningJobs: 1 });
    const limitedJobs = await queueJobs(database.sql, limited, 3);
    const ordinaryJobs = await queueJobs(database.sql, ordinary, 3);

    const claimed = await claim({ defaultMaxRunningPerAccount: 2 });
    expect(new Set(ids(claimed))).toEqual(new Set([limitedJobs[0]!.id, ordinaryJobs[0]!.id, ordinaryJobs[1]!.id]));
    expect(await claim({ defaultMaxRunningPerAccount: 2 })).toEqual([]);

    // A finished job frees its account's slot for the next one.
    const status = await failJob(database.sql, {
      jobId: limitedJobs[0]!.id,
      modelId: 'placeholder',
      workerId: 'worker-1',
      code: 'UPSTREAM_ERROR',
      message: 'no',
      retryable: false,
      backoffMs: 0,
      providerAttempts: [],
      usage: null,
    });
    expect(status).toBe('FAILED');
    expect(ids(await claim({ defaultMaxRunningPerAccount: 2 }))).toEqual([limitedJobs[1]!.id]);
  });

  it('reads only the jobs it picks, however many are queued and whatever the statistics say', async () => {
    const accounts = await Promise.all([0, 1, 2, 3].map(() => newAccount(database.sql)));
    // Statistics from a quiet moment (thousands of finished jobs, none queued), then a burst the
    // planner has not heard of.
    await queueManyJobs(database.sql, accounts, 4_000);
    await database.sql`update jobs set status = 'SUCCEEDED', finished_at = now()`;
    await database.sql`analyze jobs`;
    await queueManyJobs(database.sql, accounts, 3_000);

    const { result, seqScans, rowsRead } = await tableReads(database.sql, 'jobs', (tx) => claimJobs(tx, { workerId: 'worker-1', limit: 10, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 }));

    expect(result).toHaveLength(10);
    expect(seqScans).toBe(0);
    // The accounts' heads and the ten claimed rows, not the 3,000 queued ones.
    expect(rowsRead).toBeLessThan(200);
  });

  it('reads the heads of at most `limit` accounts however many accounts have jobs waiting', async () => {
    const accounts = await Promise.all(Array.from({ length: 300 }, () => newAccount(database.sql)));
    await queueManyJobs(database.sql, accounts, 600);
    await database.sql`analyze jobs`;

    const { result, seqScans, rowsRead } = await tableReads(database.sql, 'jobs', (tx) => claimJobs(tx, { workerId: 'worker-1', limit: 10, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 }));

    expect(new Set(result.map((job) => job.accountId)).size).toBe(10);
    expect(seqScans).toBe(0);
    // About ten accounts' walk steps and heads plus the ten claimed rows, not the 300 accounts.
    expect(rowsRead).toBeLessThan(120);
  });

  it('goes on where the previous claim stopped: every account gets a job before any gets its second', async () => {
    const accounts = await Promise.all(Array.from({ length: 23 }, () => newAccount(database.sql)));
    await queueManyJobs(database.sql, accounts, 23 * 3);
    let cursor: string | undefined;
    const rounds: string[][] = [];
    for (;;) {
      const claimed = await claim({ limit: 5, afterAccount: cursor });
      if (claimed.length === 0) break;
      cursor = nextClaimCursor(cursor, claimed, 5);
      rounds.push(claimed.map((job) => job.accountId));
    }
    const order = rounds.flat();
    expect(order).toHaveLength(69);
    // Three passes over the 23 accounts, each account once per pass.
    for (const pass of [0, 1, 2]) expect(new Set(order.slice(pass * 23, pass * 23 + 23)).size).toBe(23);
  });

  it('walks past accounts at their running limit and accounts whose jobs wait for a retry', async () => {
    const full = await Promise.all(Array.from({ length: 15 }, () => newAccount(database.sql)));
    const waiting = await Promise.all(Array.from({ length: 15 }, () => newAccount(database.sql)));
    const ready = await newAccount(database.sql);
    for (const account of full) await setAccountLimits(database.sql, account, { requestsPerMinute: null, maxRunningJobs: 1 });
    await queueManyJobs(database.sql, full, 30);
    // One job of each full account runs.
    expect(await claim({ limit: 40 })).toHaveLength(15);
    await queueManyJobs(database.sql, waiting, 15);
    await database.sql`update jobs set run_after = now() + interval '1 hour' where account_id = any(${waiting}::uuid[])`;
    const [readyJob] = await queueJobs(database.sql, ready, 1);

    // From wherever the walk starts, the claim (rolled back each time) finds the one ready job.
    class RolledBack extends Error {}
    for (const afterAccount of [undefined, ...full, ...waiting]) {
      let claimed: JobRecord[] = [];
      await database.sql
        .begin(async (tx) => {
          claimed = await claimJobs(tx, { workerId: 'worker-1', limit: 2, leaseMs: 60_000, defaultMaxRunningPerAccount: 10, afterAccount });
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      expect(ids(claimed)).toEqual([readyJob!.id]);
    }
  });

  it('hands out every job exactly once, in order within an account, and serves every waiting account within ceil(accounts / limit) claims', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (jobCounts, limit, maxRunning) => {
          await database.sql`delete from job_events`;
          await database.sql`delete from jobs`;
          const accounts = await Promise.all(jobCounts.map(() => newAccount(database.sql)));
          const queued = new Map<string, string[]>();
          for (const [index, account] of accounts.entries()) queued.set(account, ids(await queueJobs(database.sql, account, jobCounts[index]!)));
          let cursor: string | undefined;
          const claims: JobRecord[][] = [];
          for (;;) {
            const claimed = await claim({ limit, afterAccount: cursor, defaultMaxRunningPerAccount: maxRunning });
            if (claimed.length === 0) break;
            cursor = nextClaimCursor(cursor, claimed, limit);
            claims.push(claimed);
            // Every claimed job finishes before the next claim, so running limits never hold anyone back for long.
            await database.sql`update jobs set status = 'SUCCEEDED', finished_at = now() where id = any(${ids(claimed)}::uuid[])`;
          }
          const all = claims.flat();
          expect(new Set(ids(all)).size).toBe(all.length);
          for (const [account, jobs] of queued) expect(ids(all.filter((job) => job.accountId === account))).toEqual(jobs);
          // Any ceil(A / limit) consecutive claims, A the accounts with jobs left at the first of them,
          // give each of those accounts a job.
          for (let first = 0; first < claims.length; first++) {
            const left = new Set(
              claims
                .slice(first)
                .flat()
                .map((job) => job.accountId),
            );
            const span = claims.slice(first, first + Math.ceil(left.size / limit)).flat();
            const served = new Set(span.map((job) => job.accountId));
            for (const account of left) expect(served.has(account)).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives two claimers at once different jobs, and the second never waits for the first (SKIP LOCKED)', async () => {
    const queued = [];
    for (let index = 0; index < 4; index++) queued.push(await queueJob(database.sql, await newAccount(database.sql)));

    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstClaimed!: (jobs: { id: string }[]) => void;
    const firstHolds = new Promise<{ id: string }[]>((resolve) => (firstClaimed = resolve));
    const firstTransaction = database.sql.begin(async (tx) => {
      firstClaimed(await claimJobs(tx, { workerId: 'worker-1', limit: 2, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 }));
      await firstMayCommit;
    });
    const first = await firstHolds;

    // While the first claimer's transaction holds its rows: any wait for a row lock would fail at once.
    const second = await database.sql.begin(async (tx) => {
      await tx`set local lock_timeout = '1ms'`;
      return claimJobs(tx, { workerId: 'worker-2', limit: 4, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 });
    });
    releaseFirst();
    await firstTransaction;

    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set(ids(queued)));
    const holders = await database.sql<{ lockedBy: string }[]>`select locked_by from jobs where status = 'RUNNING' order by locked_by`;
    expect(holders.map((row) => row.lockedBy)).toEqual(['worker-1', 'worker-1', 'worker-2', 'worker-2']);
  });

  it('returns a job whose lease ran out to the queue, and fails it with its credits released after the last attempt', async () => {
    const account = await newAccount(database.sql, 100);
    const job = await queueJob(database.sql, account, { maxAttempts: 2, price: 10 });
    expect(await accountBalance(database.sql, account)).toBe(90);

    const [claimed] = await claim({ leaseMs: 60_000 });
    const [lease] = await database.sql<{ seconds: number }[]>`select extract(epoch from locked_until - now())::float8 as seconds from jobs where id = ${job.id}`;
    expect(lease!.seconds).toBeGreaterThan(50);
    expect(lease!.seconds).toBeLessThanOrEqual(60);
    expect(await sweepExpiredLeases(database.sql)).toEqual([]);

    // worker-1 stops heartbeating: its lease is in the past.
    const expire = () => database.sql`update jobs set locked_until = now() - interval '1 second' where id = ${job.id}`;
    await expire();
    expect(await sweepExpiredLeases(database.sql)).toEqual([{ id: claimed!.id, status: 'QUEUED' }]);
    expect((await extendLeases(database.sql, 'worker-1', [job.id], 60_000)).size).toBe(0);
    const [retrying] = await database.sql<{ type: string; message: string }[]>`select type, message from job_events where job_id = ${job.id} order by id desc limit 1`;
    expect(retrying).toEqual({ type: 'RETRYING', message: 'WORKER_LOST: the worker running this job stopped responding' });

    const [again] = await claim({ workerId: 'worker-2' });
    expect(again).toMatchObject({ id: job.id, attempts: 2, lockedBy: 'worker-2' });
    await expire();
    expect(await sweepExpiredLeases(database.sql)).toEqual([{ id: job.id, status: 'FAILED' }]);
    const [failed] = await database.sql<{ status: string; errorCode: string; creditsHeld: number }[]>`select status, error_code, credits_held from jobs where id = ${job.id}`;
    expect(failed).toEqual({ status: 'FAILED', errorCode: 'WORKER_LOST', creditsHeld: 0 });
    expect(await accountBalance(database.sql, account)).toBe(100);
    expect(await claim()).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountBalance, setAccountLimits } from '../../src/accounts/accounts.js';
import type { Database } from '../../src/db/client.js';
import { claimJobs, type ClaimOptions } from '../../src/jobs/claim.js';
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

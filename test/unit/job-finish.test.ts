import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { claimJobs } from '../../src/jobs/claim.js';
import { completeJob, failJob, finishCanceled, type CompleteJob } from '../../src/jobs/finish.js';
import type { StoredImageInfo } from '../../src/storage/images.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { claimedJob, newAccount, queueJob, storedImage } from '../support/jobs.js';

/**
 * The statement that finishes a successful job (src/jobs/finish.ts, `completeJob`): the job, its
 * images and their placeholders, the credit capture and release, the upstream call log and the
 * SUCCEEDED event are written together by one statement, or nothing is when the job is no longer
 * the worker's.
 */

let database: Database;
beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 4 });
});
afterAll(async () => {
  await database?.close();
});

function outcome(job: { jobId: string; workerId: string }, images: StoredImageInfo[], pricePerImage: number): CompleteJob {
  return {
    ...job,
    modelId: 'placeholder',
    images,
    pricePerImage,
    warnings: ['a warning'],
    provider: 'placeholder',
    providerAttempts: [{ provider: 'placeholder', upstreamModel: 'placeholder', outcome: 'succeeded', durationMs: 12, at: new Date(0).toISOString() }],
    usage: { costUsd: 0.01 },
  };
}

async function ledger(accountId: string) {
  const [row] = await database.sql<{ balance: number; ledger: number }[]>`
    select a.balance::int as balance, (select coalesce(sum(amount), 0)::int from credit_entries where account_id = a.id) as ledger
    from accounts a where a.id = ${accountId}`;
  return row!;
}

async function written(jobId: string) {
  const [job] = await database.sql<{ status: string; creditsHeld: number; creditsCharged: number; warnings: string[]; providerAttempts: unknown[]; usage: unknown }[]>`
    select status, credits_held::int, credits_charged::int, warnings, provider_attempts, usage from jobs where id = ${jobId}`;
  const images = await database.sql<{ id: string; position: number; thumbhash: string | null }[]>`
    select i.id, i.position, p.thumbhash from images i left join image_placeholders p on p.image_id = i.id where i.job_id = ${jobId} order by i.position`;
  const events = await database.sql<{ type: string }[]>`select type from job_events where job_id = ${jobId} order by xid, id`;
  const entries = await database.sql<{ kind: string; amount: number }[]>`select kind, amount::int from credit_entries where job_id = ${jobId} order by kind`;
  const [calls] = await database.sql<{ count: number }[]>`select count(*)::int from provider_calls where model_id = 'placeholder' and duration_ms = 12`;
  return { job: job!, images, events: events.map((event) => event.type), entries, calls: calls!.count };
}

describe('failJob', () => {
  it('re-queues while attempts remain (hold kept, RETRYING) and fails the last attempt (hold released, FAILED), one statement each', async () => {
    const accountId = await newAccount(database.sql, 100);
    const queued = await queueJob(database.sql, accountId, { price: 25, maxAttempts: 2 });
    const attempt = async (workerId: string) => {
      const [claimed] = await claimJobs(database.sql, { workerId, limit: 1, leaseMs: 60_000, defaultMaxRunningPerAccount: 1_000 });
      expect(claimed?.id).toBe(queued.id);
      return failJob(database.sql, { ...outcome({ jobId: queued.id, workerId }, [], 0), code: 'UPSTREAM_ERROR', message: 'boom', retryable: true, backoffMs: 0 });
    };

    expect(await attempt('worker-a')).toBe('QUEUED');
    let state = await written(queued.id);
    expect(state.job).toMatchObject({ status: 'QUEUED', creditsHeld: 25, creditsCharged: null });
    expect(state.events).toEqual(['QUEUED', 'STARTED', 'RETRYING']);
    expect(state.entries).toEqual([{ kind: 'hold', amount: -25 }]);
    expect(await ledger(accountId)).toEqual({ balance: 75, ledger: 75 });

    expect(await attempt('worker-b')).toBe('FAILED');
    state = await written(queued.id);
    expect(state.job).toMatchObject({ status: 'FAILED', creditsHeld: 0, creditsCharged: 0 });
    expect(state.job.providerAttempts).toHaveLength(2);
    expect(state.events).toEqual(['QUEUED', 'STARTED', 'RETRYING', 'STARTED', 'FAILED']);
    expect(state.entries).toEqual([
      { kind: 'hold', amount: -25 },
      { kind: 'release', amount: 25 },
    ]);
    expect(await ledger(accountId)).toEqual({ balance: 100, ledger: 100 });
    // Not ours any more: nothing changes.
    expect(await failJob(database.sql, { ...outcome({ jobId: queued.id, workerId: 'worker-b' }, [], 0), code: 'X', message: 'late', retryable: false, backoffMs: 0 })).toBeNull();
    expect(await written(queued.id)).toEqual(state);
  });
});

describe('completeJob', () => {
  it('writes the job, its images with their placeholders, the capture and release, the call and the event together', async () => {
    const accountId = await newAccount(database.sql, 100);
    const job = await claimedJob(database.sql, accountId, 30, 2);
    const images = [storedImage('1QcSHQRnh493V4dIh4eXh1h4kJUI'), storedImage(null)];
    const callsBefore = (await written(job.jobId)).calls;

    expect(await completeJob(database.sql, outcome(job, images, 10))).toBe(true);

    const after = await written(job.jobId);
    expect(after.job).toMatchObject({ status: 'SUCCEEDED', creditsHeld: 0, creditsCharged: 20, warnings: ['a warning'], usage: { costUsd: 0.01 } });
    expect(after.job.providerAttempts).toHaveLength(1);
    expect(after.images).toEqual([
      { id: images[0]!.id, position: 0, thumbhash: '1QcSHQRnh493V4dIh4eXh1h4kJUI' },
      { id: images[1]!.id, position: 1, thumbhash: null },
    ]);
    expect(after.events).toEqual(['QUEUED', 'STARTED', 'SUCCEEDED']);
    expect(after.entries).toEqual([
      { kind: 'capture', amount: 0 },
      { kind: 'hold', amount: -30 },
      { kind: 'release', amount: 10 },
    ]);
    expect(after.calls).toBe(callsBefore + 1);
    expect(await ledger(accountId)).toEqual({ balance: 80, ledger: 80 });
  });

  it('writes nothing and says so when the job was canceled meanwhile; a second completion changes nothing', async () => {
    const accountId = await newAccount(database.sql, 100);
    const job = await claimedJob(database.sql, accountId, 10);
    expect(await finishCanceled(database.sql, job.jobId, job.workerId)).toBe(true);
    const canceled = await written(job.jobId);

    expect(await completeJob(database.sql, outcome(job, [storedImage('x')], 10))).toBe(false);
    expect(await written(job.jobId)).toEqual(canceled);

    const other = await claimedJob(database.sql, accountId, 10);
    expect(await completeJob(database.sql, outcome(other, [storedImage('y')], 10))).toBe(true);
    const once = await written(other.jobId);
    expect(await completeJob(database.sql, outcome(other, [storedImage('z')], 10))).toBe(false);
    expect(await written(other.jobId)).toEqual(once);
    expect(await ledger(accountId)).toEqual({ balance: 90, ledger: 90 });
  });

  it('keeps balance equal to ledger and charges min(price x images, hold) for any hold, price and image count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 4 }), async (held, price, count) => {
        const accountId = await newAccount(database.sql, 2 ** 31 - 1);
        const job = await claimedJob(database.sql, accountId, held, Math.max(1, count));
        expect(
          await completeJob(
            database.sql,
            outcome(
              job,
              Array.from({ length: count }, () => storedImage(null)),
              price,
            ),
          ),
        ).toBe(true);
        const after = await written(job.jobId);
        expect(after.job.creditsCharged).toBe(Math.min(price * count, held));
        expect(after.images).toHaveLength(count);
        const { balance, ledger: sum } = await ledger(accountId);
        expect(balance).toBe(sum);
        expect(balance).toBe(2 ** 31 - 1 - Math.min(price * count, held));
      }),
      { numRuns: 25 },
    );
  });
});

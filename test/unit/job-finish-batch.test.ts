import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { JobFinisher } from '../../src/jobs/finish-batch.js';
import { completeJobs, finishCanceled, type CompleteJob } from '../../src/jobs/finish.js';
import type { StoredImageInfo } from '../../src/storage/images.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { claimedJob, newAccount, storedImage } from '../support/jobs.js';

/**
 * Jobs that end together are written together (src/jobs/finish-batch.ts, `completeJobs`): each
 * must be billed, stored and announced exactly as if it had been completed alone, whichever jobs
 * and accounts share its statement, and a job that is no longer the worker's is left as it is.
 */

let database: Database;
beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 4 });
});
afterAll(async () => {
  await database?.close();
});

function outcome(job: { jobId: string; workerId: string }, images: StoredImageInfo[], pricePerImage: number, usage: CompleteJob['usage'] = { costUsd: 0.01 }): CompleteJob {
  return {
    ...job,
    modelId: 'placeholder',
    images,
    pricePerImage,
    warnings: [`warning of ${job.jobId}`],
    provider: 'placeholder',
    providerAttempts: [{ provider: 'placeholder', upstreamModel: 'placeholder', outcome: 'succeeded', durationMs: 7, at: new Date(0).toISOString() }],
    usage,
  };
}

async function balanceAndLedger(accountId: string) {
  const [row] = await database.sql<{ balance: number; ledger: number }[]>`
    select a.balance::int as balance, (select coalesce(sum(amount), 0)::int from credit_entries where account_id = a.id) as ledger
    from accounts a where a.id = ${accountId}`;
  return row!;
}

async function jobState(jobId: string) {
  const [job] = await database.sql<{ status: string; creditsHeld: number; creditsCharged: number | null; warnings: string[]; usage: unknown }[]>`
    select status, credits_held::int, credits_charged::int, warnings, usage from jobs where id = ${jobId}`;
  const images = await database.sql<{ id: string; position: number; thumbhash: string | null }[]>`
    select i.id, i.position, p.thumbhash from images i left join image_placeholders p on p.image_id = i.id where i.job_id = ${jobId} order by i.position`;
  const events = await database.sql<{ type: string }[]>`select type from job_events where job_id = ${jobId} order by xid, id`;
  const entries = await database.sql<{ kind: string; amount: number }[]>`select kind, amount::int from credit_entries where job_id = ${jobId} order by kind`;
  return { job: job!, images, events: events.map((event) => event.type), entries };
}

describe('completeJobs', () => {
  it('bills, stores and announces every job of a batch as if alone, over random accounts, holds, prices, image counts and canceled jobs', async () => {
    const start = 1_000_000;
    const jobShape = fc.record({
      account: fc.integer({ min: 0, max: 2 }),
      held: fc.integer({ min: 0, max: 5_000 }),
      price: fc.integer({ min: 0, max: 3_000 }),
      count: fc.integer({ min: 0, max: 3 }),
      canceled: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(jobShape, { minLength: 1, maxLength: 8 }), async (shapes) => {
        const accounts = await Promise.all([0, 1, 2].map(() => newAccount(database.sql, start)));
        const jobs = [];
        for (const shape of shapes) {
          const job = await claimedJob(database.sql, accounts[shape.account]!, shape.held, Math.max(1, shape.count));
          if (shape.canceled) expect(await finishCanceled(database.sql, job.jobId, job.workerId)).toBe(true);
          const images = Array.from({ length: shape.count }, (_, index) => storedImage(index % 2 === 0 ? `hash-${index}` : null));
          jobs.push({ shape, job, images, before: shape.canceled ? await jobState(job.jobId) : undefined });
        }

        const completed = await completeJobs(
          database.sql,
          jobs.map(({ shape, job, images }) => outcome(job, images, shape.price)),
        );

        expect([...completed].sort()).toEqual(
          jobs
            .filter(({ shape }) => !shape.canceled)
            .map(({ job }) => job.jobId)
            .sort(),
        );
        const spent = [0, 0, 0];
        for (const { shape, job, images, before } of jobs) {
          const after = await jobState(job.jobId);
          if (shape.canceled) {
            // Canceled before the batch: untouched by it, its hold released by the cancel.
            expect(after).toEqual(before);
            continue;
          }
          const charged = Math.min(shape.price * shape.count, shape.held);
          spent[shape.account]! += charged;
          expect(after.job).toMatchObject({ status: 'SUCCEEDED', creditsHeld: 0, creditsCharged: charged, warnings: [`warning of ${job.jobId}`], usage: { costUsd: 0.01 } });
          expect(after.images).toEqual(images.map((stored, position) => ({ id: stored.id, position, thumbhash: stored.thumbhash })));
          expect(after.events).toEqual(['QUEUED', 'STARTED', 'SUCCEEDED']);
          const released = shape.held - charged;
          expect(after.entries).toEqual([
            ...(charged > 0 ? [{ kind: 'capture', amount: 0 }] : []),
            ...(shape.held > 0 ? [{ kind: 'hold', amount: -shape.held }] : []),
            ...(released > 0 ? [{ kind: 'release', amount: released }] : []),
          ]);
        }
        for (const [index, accountId] of accounts.entries()) {
          // Several refunds to one account in one statement must all reach its balance.
          expect(await balanceAndLedger(accountId)).toEqual({ balance: start - spent[index]!, ledger: start - spent[index]! });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('bills exactly at the edges: balances near 2^53, holds and prices past 2^31, log and ledger ids past 2^31', async () => {
    // This file's own database: the counters jump for every later test here too.
    await database.sql`select setval('job_events_id_seq', ${2 ** 31 - 2}), setval('credit_entries_id_seq', ${2 ** 31 - 2})`;
    const start = Number.MAX_SAFE_INTEGER;
    const accountId = await newAccount(database.sql, start);
    const holds = [2 ** 31 + 7, 2 ** 31 - 1, 2 ** 32, 1];
    const prices = [2 ** 31 - 1, 2 ** 31, 2 ** 30, 2 ** 31];
    const jobs = [];
    for (const held of holds) jobs.push(await claimedJob(database.sql, accountId, held, 3));
    const completed = await completeJobs(
      database.sql,
      jobs.map((job, index) => outcome(job, [storedImage(null), storedImage(null), storedImage(null)], prices[index]!)),
    );
    expect(completed.size).toBe(4);
    const charged = holds.map((held, index) => Math.min(held, prices[index]! * 3));
    const states = await database.sql<{ id: string; charged: string; held: string }[]>`
      select id, credits_charged::text as charged, credits_held::text as held from jobs where id = any(${jobs.map((job) => job.jobId)}::uuid[])`;
    expect(Object.fromEntries(states.map((state) => [state.id, [state.charged, state.held]]))).toEqual(Object.fromEntries(jobs.map((job, index) => [job.jobId, [String(charged[index]), '0']])));
    const [row] = await database.sql<{ balance: string; ledger: string; maxEvent: string; maxEntry: string }[]>`
      select a.balance::text as balance,
             (select sum(amount)::text from credit_entries where account_id = a.id) as ledger,
             (select max(id)::text from job_events) as max_event,
             (select max(id)::text from credit_entries) as max_entry
      from accounts a where a.id = ${accountId}`;
    const expected = (BigInt(start) - charged.reduce((sum, each) => sum + BigInt(each), 0n)).toString();
    expect(row).toMatchObject({ balance: expected, ledger: expected });
    expect(BigInt(row!.maxEvent)).toBeGreaterThan(2n ** 31n);
    expect(BigInt(row!.maxEntry)).toBeGreaterThan(2n ** 31n);
    for (const job of jobs) {
      const events = await database.sql<{ type: string }[]>`select type from job_events where job_id = ${job.jobId} order by xid, id`;
      expect(events.map((event) => event.type)).toEqual(['QUEUED', 'STARTED', 'SUCCEEDED']);
    }
  });

  it('keeps the usage a job already has when the upstream reported none', async () => {
    const accountId = await newAccount(database.sql);
    const [first, second] = [await claimedJob(database.sql, accountId, 10), await claimedJob(database.sql, accountId, 10)];
    await database.sql`update jobs set usage = '{"costUsd": 0.5}'::jsonb where id = ${first.jobId}`;
    const completed = await completeJobs(database.sql, [outcome(first, [storedImage(null)], 10, null), outcome(second, [storedImage(null)], 10)]);
    expect(completed.size).toBe(2);
    expect((await jobState(first.jobId)).job.usage).toEqual({ costUsd: 0.5 });
    expect((await jobState(second.jobId)).job.usage).toEqual({ costUsd: 0.01 });
  });
});

describe('JobFinisher', () => {
  it('writes completions that arrive together in fewer statements, each job billed exactly once', async () => {
    const accountId = await newAccount(database.sql, 100_000);
    const jobs = [];
    for (let index = 0; index < 12; index++) jobs.push(await claimedJob(database.sql, accountId, 30));
    const finisher = new JobFinisher(database.sql);

    const results = await Promise.all(jobs.map((job) => finisher.complete(outcome(job, [storedImage(null)], 20))));

    expect(results).toEqual(jobs.map(() => true));
    // The first goes alone; the others waited for it and shared a statement.
    expect(finisher.stats).toEqual({ statements: 2, jobs: 12, largestBatch: 11 });
    for (const job of jobs) expect((await jobState(job.jobId)).job).toMatchObject({ status: 'SUCCEEDED', creditsCharged: 20 });
    expect(await balanceAndLedger(accountId)).toEqual({ balance: 100_000 - 12 * 20, ledger: 100_000 - 12 * 20 });
    // A second completion of the same jobs changes nothing.
    expect(await Promise.all(jobs.map((job) => finisher.complete(outcome(job, [storedImage(null)], 20))))).toEqual(jobs.map(() => false));
    expect(await balanceAndLedger(accountId)).toEqual({ balance: 100_000 - 12 * 20, ledger: 100_000 - 12 * 20 });
  });

  it('fails only the completion that breaks a shared statement; the others are written', async () => {
    const accountId = await newAccount(database.sql, 100_000);
    const jobs = [];
    for (let index = 0; index < 4; index++) jobs.push(await claimedJob(database.sql, accountId, 30));
    const finisher = new JobFinisher(database.sql);
    // Two images with one id: the images table refuses the second.
    const twice = storedImage(null);
    const outcomes = jobs.map((job, index) => outcome(job, index === 2 ? [twice, twice] : [storedImage(null)], 10));

    const settled = await Promise.allSettled(outcomes.map((each) => finisher.complete(each)));

    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const states = await Promise.all(jobs.map((job) => jobState(job.jobId)));
    expect(states.map((state) => state.job.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUCCEEDED']);
    // The broken job keeps its hold and has no images; nothing of it was half written.
    expect(states[2]).toMatchObject({ job: { creditsHeld: 30 }, images: [], events: ['QUEUED', 'STARTED'] });
    expect(await balanceAndLedger(accountId)).toEqual({ balance: 100_000 - 3 * 10 - 30, ledger: 100_000 - 3 * 10 - 30 });
  });
});

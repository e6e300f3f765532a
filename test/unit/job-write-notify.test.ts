import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { cancelJob } from '../../src/jobs/cancel.js';
import { claimJobs } from '../../src/jobs/claim.js';
import { completeJob, failJob } from '../../src/jobs/finish.js';
import { releaseJob } from '../../src/jobs/lease.js';
import { recordProgress } from '../../src/jobs/progress.js';
import { Channels } from '../../src/jobs/records.js';
import { submitJob } from '../../src/jobs/submit.js';
import { sweepExpiredLeases } from '../../src/jobs/sweep.js';
import { JobEventsPayload, TrailingWakeMs, withTrailingCall } from '../../src/jobs/wake-ups.js';
import { connectTestDatabase, createTestDatabase, heldTransaction } from '../support/database.js';
import { newAccount, queueJob } from '../support/jobs.js';

/**
 * The write rule: every job write wakes the other processes by itself. The database sends the
 * NOTIFY (trigger on job_events), once per statement, at commit; never for a write that rolled
 * back or wrote nothing; and one writer at a time per kind, so writers committing together share
 * one wake-up instead of queueing on PostgreSQL's notify lock. Heard here the way every Pictor
 * process hears it: LISTEN on a connection.
 */

let database: Database;
let listener: Database;
const heard: string[] = [];
let unlisten: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const url = await createTestDatabase();
  database = connectTestDatabase(url, { max: 4 });
  listener = connectTestDatabase(url, { max: 1 });
  for (const channel of Object.values(Channels)) {
    const subscription = await listener.sql.listen(channel, (payload) => heard.push(`${channel} ${payload}`));
    unlisten.push(() => subscription.unlisten());
  }
});
afterAll(async () => {
  await Promise.all(unlisten.map((stop) => stop()));
  unlisten = [];
  await listener?.close();
  await database?.close();
});

const claimable = `${Channels.jobEvents} ${JobEventsPayload.claimable}`;
const events = `${Channels.jobEvents} ${JobEventsPayload.events}`;

/**
 * Runs a write and waits for the `expected` notifications it causes; returns its result and what
 * was heard since it started, in order. Every write in these tests goes through here, so no
 * earlier write's notification can arrive during a later one.
 */
async function write<T>(work: () => Promise<T>, expected = 1): Promise<{ result: T; heard: string[] }> {
  const start = heard.length;
  const result = await work();
  await expect.poll(() => heard.length - start, { timeout: 20_000 }).toBeGreaterThanOrEqual(expected);
  return { result, heard: heard.slice(start) };
}
const heardFrom = async (work: () => Promise<unknown>) => (await write(work)).heard;

const claim = (workerId = 'worker-1', limit = 10) => claimJobs(database.sql, { workerId, limit, leaseMs: 60_000, defaultMaxRunningPerAccount: 10 });
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
const attempt = { modelId: 'placeholder', workerId: 'worker-1', providerAttempts: [], usage: null };

describe('the wake-up of a job write', () => {
  it('is sent by every write of the job lifecycle: claimable for queue and end, events for start and progress', async () => {
    const account = await newAccount(database.sql);
    const queued = await write(() => queueJob(database.sql, account));
    expect(queued.heard).toEqual([claimable]);
    const jobId = queued.result.id;
    expect(await heardFrom(() => claim())).toEqual([events]);
    expect(await heardFrom(() => recordProgress(database.sql, { jobId, workerId: 'worker-1', progress: 0.5, stage: 'halfway' }))).toEqual([events]);
    expect(await heardFrom(() => completeJob(database.sql, { ...attempt, jobId, images: [], pricePerImage: 0, warnings: [], provider: 'placeholder' }))).toEqual([claimable]);

    const retried = (await write(() => queueJob(database.sql, account))).result;
    await write(() => claim());
    expect(await heardFrom(() => failJob(database.sql, { ...attempt, jobId: retried.id, code: 'UPSTREAM_ERROR', message: 'try again', retryable: true, backoffMs: 0 }))).toEqual([claimable]);
    await write(() => claim());
    expect(await heardFrom(() => releaseJob(database.sql, 'worker-1', retried.id, 'shutting down'))).toEqual([claimable]);
    await write(() => claim());
    await database.sql`update jobs set locked_until = now() - interval '1 second' where id = ${retried.id}`;
    expect(await heardFrom(() => sweepExpiredLeases(database.sql))).toEqual([claimable]);
  });

  it("tells a running job's worker about its cancellation, and wakes everyone when a queued job is canceled", async () => {
    const account = await newAccount(database.sql);
    const queued = (await write(() => queueJob(database.sql, account))).result;
    expect(await heardFrom(() => cancelJob(database.sql, account, queued.id))).toEqual([claimable]);

    const running = (await write(() => queueJob(database.sql, account))).result;
    await write(() => claim());
    expect(await heardFrom(() => cancelJob(database.sql, account, running.id))).toEqual([`${Channels.cancelRequested} ${running.id}`]);
  });

  it('is sent once per statement, however many jobs it writes', async () => {
    const accounts = [await newAccount(database.sql), await newAccount(database.sql), await newAccount(database.sql)];
    for (const account of accounts) await write(() => queueJob(database.sql, account));
    const start = heard.length;
    const claimed = await claim('worker-2', 3);
    expect(claimed).toHaveLength(3);
    // Once a later write's wake-up is in, all of the claim's are (notifications come in commit order).
    await queueJob(database.sql, accounts[0]!);
    await expect.poll(() => heard.slice(start).includes(claimable), { timeout: 20_000 }).toBe(true);
    expect(heard.slice(start)).toEqual([events, claimable]);
  });

  it('is not sent for a write that rolls back or writes nothing', async () => {
    const account = await newAccount(database.sql, 5);
    const start = heard.length;
    await database.sql
      .begin(async (tx) => {
        await queueJob(tx, account);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const refused = await submitJob(database.sql, {
      accountId: account,
      modelId: 'placeholder',
      params: {},
      n: 1,
      calls: [1],
      referenceImages: [],
      output: {},
      seed: 1,
      price: 50,
      maxAttempts: 1,
      timeoutMs: 1000,
      warnings: [],
    });
    expect(refused.kind).toBe('insufficient-credits');
    await write(() => queueJob(database.sql, account));
    expect(heard.slice(start)).toEqual([claimable]);
  });

  it('is sent by one of several writers committing together, when they commit', async () => {
    const [firstAccount, secondAccount] = [await newAccount(database.sql), await newAccount(database.sql)];
    const start = heard.length;
    const first = await heldTransaction(database.sql);
    await queueJob(first.sql, firstAccount);
    // A second submission while the first one's wake-up is pending commits without one of its own.
    const second = await queueJob(database.sql, secondAccount);
    await first.commit();
    // The first one's wake-up (at its commit) covers both jobs; a later lone write is heard on its own.
    await queueJob(database.sql, secondAccount);
    await expect.poll(() => heard.length - start, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(heard.slice(start)).toEqual([claimable, claimable]);
    const queued = await database.sql<{ id: string }[]>`select id from jobs where account_id in (${firstAccount}, ${secondAccount}) and status = 'QUEUED'`;
    expect(ids(queued)).toContain(second.id);
    expect(queued).toHaveLength(3);
  });
});

describe('a shared wake-up', () => {
  it('is acted on at once and once more shortly after, for writers that committed just after it without their own', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let calls = 0;
      const wake = withTrailingCall(() => calls++);
      wake.call();
      wake.call(); // a second wake-up meanwhile runs at once and shares the trailing look
      expect(calls).toBe(2);
      vi.advanceTimersByTime(TrailingWakeMs);
      expect(calls).toBe(3);
      vi.advanceTimersByTime(TrailingWakeMs * 10);
      expect(calls).toBe(3);
      wake.call();
      wake.cancel(); // stopping the listener drops the pending look
      vi.advanceTimersByTime(TrailingWakeMs);
      expect(calls).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});

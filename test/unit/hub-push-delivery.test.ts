import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { appendJobEvent } from '../../src/jobs/events.js';
import { StartOfLog, type EventKey } from '../../src/realtime/cursor.js';
import { readStableEvents } from '../../src/realtime/event-log.js';
import { RealtimeHub, type JobUpdate } from '../../src/realtime/hub.js';
import type { LogSubscription } from '../../src/realtime/log-subscription.js';
import { appendStage as stage, startTestHub, stopTestHub } from '../support/hub.js';
import { newAccount, queueJob } from '../support/jobs.js';

/**
 * The fan-out's fast path (`LogSubscription.attachSink`) against a real database: live updates
 * pushed straight to a waiting reader, and the rest queued for `next()`, must reach each reader
 * as one sequence, in log order, each event once, whatever the reader refuses, however slowly it
 * reads, and wherever in a batch it registers.
 */

let database: Database;
let hub: RealtimeHub;
beforeAll(async () => {
  ({ database, hub } = await startTestHub(8));
});
afterAll(() => stopTestHub({ database, hub }));

/** What a reader received, as stages (QUEUED for the job's first event). */
const names = (updates: readonly JobUpdate[]) => updates.map((update) => (update.event.type === 'PROGRESS' ? update.event.stage! : update.event.type));
/**
 * The stages a live reader received: without a cursor the stream starts whenever it registers, so
 * the job's QUEUED event, written just before, may or may not be in it.
 */
const stages = (updates: readonly JobUpdate[]) => names(updates).filter((name) => name !== 'QUEUED');

/**
 * The account's events in log order, once everything written is stable. Other test files share the
 * cluster: a transaction of theirs open at the moment holds the stable horizon back until it ends.
 */
async function logOf(accountId: string): Promise<{ names: string[]; keys: EventKey[] }> {
  const [count] = await database.sql<{ written: number }[]>`select count(*)::int as written from job_events where account_id = ${accountId}`;
  const written = count!.written;
  let rows: Awaited<ReturnType<typeof readStableEvents>> = [];
  await expect.poll(async () => (rows = await readStableEvents(database.sql, StartOfLog, { accountId }, 100_000)).length, { timeout: 20_000 }).toBe(written);
  return { names: rows.map((row) => (row.type === 'PROGRESS' ? row.stage! : row.type)), keys: rows.map((row) => ({ xid: BigInt(row.xid), id: row.id })) };
}

interface ReaderOptions {
  /** Whether the sink takes each pushed update (cycled); a refusal is what a backed-up socket does. */
  accepts?: readonly boolean[];
  /** After each update read through `next()` (cycled): 0 go on, 1 yield to the event loop, 2 wait a few ms. */
  pauses?: readonly number[];
  /** Called with each update the sink takes, before the next one is fanned out. */
  onPush?: (update: JobUpdate) => void;
  /** Waits parked (no pending `next()`) whenever the stream is idle, as the WebSocket writer does. */
  parks?: boolean;
}

/**
 * Reads `subscription` with `next()` until it ends; with `parks`, waits in `park` instead whenever
 * the stream is idle. Returns how often it parked.
 */
async function readAll(subscription: LogSubscription<JobUpdate>, parks: boolean, take: (update: JobUpdate) => Promise<void> | void): Promise<number> {
  let parked = 0;
  for (;;) {
    if (parks && subscription.idle()) {
      parked++;
      await new Promise<void>((wake) => subscription.park({ wake }));
    }
    const next = await subscription.next();
    if (next.done) return parked;
    await take(next.value);
  }
}

/**
 * Reads a stream the way the WebSocket writer does: a sink for pushed updates (attached before the
 * first read) and a loop over `next()`, both appending to one list in the order they reach it.
 */
function reader(stream: AsyncIterable<JobUpdate>, options: ReaderOptions = {}) {
  const accepts = options.accepts ?? [true];
  const pauses = options.pauses ?? [0];
  const received: JobUpdate[] = [];
  const counts = { pushed: 0, read: 0, refused: 0, parked: 0 };
  const subscription = stream as LogSubscription<JobUpdate>;
  subscription.attachSink({
    push: (update) => {
      const accept = accepts[(counts.pushed + counts.refused) % accepts.length]!;
      if (!accept) {
        counts.refused++;
        return false;
      }
      counts.pushed++;
      received.push(update);
      options.onPush?.(update);
      return true;
    },
  });
  const done = readAll(subscription, options.parks ?? false, async (update) => {
    received.push(update);
    const pause = pauses[counts.read++ % pauses.length];
    if (pause === 1) await new Promise((resolve) => setImmediate(resolve));
    else if (pause === 2) await new Promise((resolve) => setTimeout(resolve, 3));
  }).then((parked) => void (counts.parked = parked));
  return { received, counts, stop: async () => void (await subscription.return(), await done) };
}

/** Resolves once the poller has read the log `passes` more times (each read sees every commit before it). */
async function pollerPasses(passes: number): Promise<void> {
  const target = hub.poller.queries + passes;
  await expect.poll(() => hub.poller.queries, { timeout: 20_000 }).toBeGreaterThanOrEqual(target);
}

describe('live updates pushed to waiting readers', () => {
  it('reach every reader once, in log order, for any refusals, read pauses and commit interleavings', { timeout: 240_000 }, async () => {
    const readerArbitrary = fc.record({
      accepts: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      pauses: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 6 }),
      resume: fc.boolean(),
      parks: fc.boolean(),
    });
    let run = 0;
    const totals = { pushed: 0, read: 0, parked: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }),
        fc.array(readerArbitrary, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (transactions, readerSpecs, concurrent) => {
          run++;
          const job = await queueJob(database.sql, await newAccount(database.sql));
          // A reader with `resume` replays the account's log from its start, then goes live; the
          // others start live once the QUEUED event is behind the poller.
          await pollerPasses(2);
          const readers = readerSpecs.map((spec) => ({ spec, ...reader(hub.subscribeAccount({ accountId: job.accountId }, spec.resume ? StartOfLog : undefined), spec) }));
          const write = (transaction: number) =>
            database.sql.begin(async (tx) => {
              for (let index = 0; index < transactions[transaction]!; index++) await stage(tx, job, `${run}.${transaction}.${index}`);
            });
          if (concurrent) await Promise.all(transactions.map((_, transaction) => write(transaction)));
          else for (let transaction = 0; transaction < transactions.length; transaction++) await write(transaction);

          const log = await logOf(job.accountId);
          const live = log.names.filter((name) => name !== 'QUEUED');
          const got = (one: (typeof readers)[number]) => (one.spec.resume ? names(one.received) : stages(one.received));
          const expected = (one: (typeof readers)[number]) => (one.spec.resume ? log.names : live);
          await expect.poll(() => readers.every((one) => got(one).length >= expected(one).length), { timeout: 20_000 }).toBe(true);
          for (const one of readers) await one.stop();
          for (const one of readers) {
            expect(got(one)).toEqual(expected(one));
            totals.pushed += one.counts.pushed;
            totals.read += one.counts.read;
            totals.parked += one.counts.parked;
          }
        },
      ),
      { numRuns: 15 },
    );
    // Both ways were taken, so the property covered their interleaving.
    expect(totals.pushed).toBeGreaterThan(0);
    expect(totals.read).toBeGreaterThan(0);
    expect(totals.parked).toBeGreaterThan(0);
    await expect.poll(() => hub.subscriberCount).toBe(0);
  });

  it.each([{ parks: false }, { parks: true }])(
    'a reader whose sink refuses and who stops reading falls back to the log past its capacity, then catches up in order (parks: $parks)',
    { timeout: 60_000 },
    async ({ parks }) => {
      const job = await queueJob(database.sql, await newAccount(database.sql));
      await pollerPasses(2);
      let refusing = true;
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      const subscription = hub.subscribeAccount({ accountId: job.accountId }, undefined) as LogSubscription<JobUpdate>;
      const received: JobUpdate[] = [];
      let pushed = 0;
      subscription.attachSink({
        push: (update) => {
          if (refusing) return false;
          pushed++;
          received.push(update);
          return true;
        },
      });
      const done = readAll(subscription, parks, async (update) => {
        received.push(update);
        // The reader stalls on its first update, like a socket that stopped draining.
        if (received.length === 1) await stalled;
      });

      await stage(database.sql, job, 'first');
      await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
      const readBefore = hub.poller.eventsRead;
      // More than the subscription queues for a slow reader (1,000), in one transaction.
      await database.sql.begin(async (tx) => {
        await tx`
        insert into job_events (job_id, account_id, type, status, progress, stage)
        select ${job.id}, ${job.accountId}, 'PROGRESS', 'RUNNING', 0.5, 'bulk ' || n from generate_series(1, 1500) n`;
      });
      // Fanned out while the reader is stalled.
      await expect.poll(() => hub.poller.eventsRead, { timeout: 20_000 }).toBeGreaterThanOrEqual(readBefore + 1500);
      refusing = false;
      release();
      await stage(database.sql, job, 'after 1');
      await expect.poll(() => stages(received).at(-1), { timeout: 20_000 }).toBe('after 1');
      // Caught up (live) and waiting: the next update takes the fast path again.
      const pushedBefore = pushed;
      await stage(database.sql, job, 'after 2');
      const log = await logOf(job.accountId);
      const expected = log.names.filter((name) => name !== 'QUEUED');
      await expect.poll(() => stages(received).length, { timeout: 20_000 }).toBe(expected.length);
      await subscription.return();
      await done;
      expect(stages(received)).toEqual(expected);
      expect(pushed).toBe(pushedBefore + 1);
    },
  );

  it('a parked reader is woken when its stream ends: the job’s last event, revocation, unsubscribing', { timeout: 60_000 }, async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    await pollerPasses(2);
    const jobStream = (await hub.subscribeJob({ accountId: job.accountId }, job.id, undefined)) as LogSubscription<JobUpdate>;
    const revoked = hub.subscribeAccount({ accountId: job.accountId, keyId: 'key to revoke' }, undefined) as LogSubscription<JobUpdate>;
    const left = hub.subscribeAccount({ accountId: job.accountId }, undefined) as LogSubscription<JobUpdate>;
    const pushedTo = (subscription: LogSubscription<JobUpdate>) => {
      const pushed: string[] = [];
      subscription.attachSink({ push: (update) => pushed.push(update.event.type) > 0 });
      return pushed;
    };
    const [jobPushed, revokedPushed, leftPushed] = [jobStream, revoked, left].map(pushedTo);
    const outcome = (subscription: LogSubscription<JobUpdate>) =>
      readAll(subscription, true, () => undefined).then(
        () => 'done',
        (error: Error) => error.message,
      );
    // The job stream's snapshot is read through `next()`; then every reader is parked, idle.
    const outcomes = [jobStream, revoked, left].map(outcome);
    await expect.poll(() => [jobStream, revoked, left].every((subscription) => subscription.idle())).toBe(true);

    await appendJobEvent(database.sql, { jobId: job.id, accountId: job.accountId, type: 'SUCCEEDED', status: 'SUCCEEDED', progress: 1 });
    expect(await outcomes[0]).toBe('done');
    // The last event went out through the sink before the stream completed.
    expect(jobPushed).toEqual(['SUCCEEDED']);
    await expect.poll(() => [revokedPushed, leftPushed]).toEqual([['SUCCEEDED'], ['SUCCEEDED']]);

    expect(hub.endSubscriptionsOf('key to revoke', new Error('API key revoked'))).toBe(1);
    expect(await outcomes[1]).toBe('API key revoked');
    await left.return();
    expect(await outcomes[2]).toBe('done');
    await expect.poll(() => hub.subscriberCount).toBe(0);
  });

  it('a subscriber registering in the middle of a batch, from a push, gets the rest of it once, in order', { timeout: 60_000 }, async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    await pollerPasses(2);
    const late: { resumed?: ReturnType<typeof reader>; live?: ReturnType<typeof reader>; at?: EventKey } = {};
    const first = reader(hub.subscribeAccount({ accountId: job.accountId }, undefined), {
      onPush: (update) => {
        if (update.event.stage !== 'batch 2' || late.at) return;
        // Registered while the hub is still fanning out this batch: one with a cursor at this
        // update, one live from now.
        late.at = update.key;
        late.resumed = reader(hub.subscribeAccount({ accountId: job.accountId }, update.key));
        late.live = reader(hub.subscribeAccount({ accountId: job.accountId }, undefined));
      },
    });
    await database.sql.begin(async (tx) => {
      for (let index = 0; index < 6; index++) await stage(tx, job, `batch ${index}`);
    });
    await stage(database.sql, job, 'later');
    const log = await logOf(job.accountId);
    const all = log.names.filter((name) => name !== 'QUEUED');
    await expect.poll(() => [stages(first.received).length, late.resumed?.received.length], { timeout: 20_000 }).toEqual([all.length, 4]);
    await expect.poll(() => names(late.live!.received).at(-1), { timeout: 20_000 }).toBe('later');
    for (const one of [first, late.resumed!, late.live!]) await one.stop();

    expect(first.counts.pushed).toBeGreaterThan(0);
    expect(stages(first.received)).toEqual(all);
    // After the cursor: the rest of the batch and what came later.
    expect(names(late.resumed!.received)).toEqual(['batch 3', 'batch 4', 'batch 5', 'later']);
    // Live from the moment it registered: an unbroken tail of the log, nothing twice.
    const tail = names(late.live!.received);
    expect(all.slice(all.length - tail.length)).toEqual(tail);
    expect(tail.length).toBeGreaterThanOrEqual(4);
  });
});

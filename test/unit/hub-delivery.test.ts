import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { JobUpdateEvent } from '../../src/realtime/event-log.js';
import { RealtimeHub, type JobUpdate } from '../../src/realtime/hub.js';
import { compareKeys, type EventKey } from '../../src/realtime/cursor.js';
import { EventPoller, type Interest } from '../../src/realtime/poller.js';
import { heldTransaction } from '../support/database.js';
import { appendStage as stage, startTestHub, stopTestHub } from '../support/hub.js';
import { newAccount, queueJob } from '../support/jobs.js';
import { record } from '../support/streams.js';

/**
 * The hub's delivery gate (src/realtime/hub.ts, poller.ts, log-subscription.ts) against a real
 * database, without HTTP: an event is delivered once its transaction and every older one have
 * ended (the snapshot's xmin horizon), exactly once, in log order. And the poller loads jobs and
 * images only for events someone in the process listens to: a worker-heavy process with no
 * subscribers reads the log and nothing more, and a subscriber that registers while a batch is
 * being read still gets all of it.
 */

let database: Database;
let hub: RealtimeHub;
beforeAll(async () => {
  ({ database, hub } = await startTestHub(6));
});
afterAll(() => stopTestHub({ database, hub }));

/** The stages of the PROGRESS updates the tests write (and the opening SNAPSHOT), in the order received. */
const stages = (updates: JobUpdate[]) => updates.flatMap((update) => (update.event.type === 'SNAPSHOT' ? ['SNAPSHOT'] : update.event.type === 'PROGRESS' ? [update.event.stage] : []));

/** A poller of its own with `interest` (every 10 ms), recording the batches it hands out; the caller stops it. */
function startPoller(interest: Interest): { poller: EventPoller; batches: JobUpdateEvent[][] } {
  const batches: JobUpdateEvent[][] = [];
  const poller = new EventPoller(database.sql, { pollMs: 10, log: () => undefined }, (events) => batches.push(events), interest);
  poller.start();
  return { poller, batches };
}

/** The key of the job's PROGRESS event with this stage. */
async function eventKey(jobId: string, stageName: string): Promise<EventKey> {
  const [row] = await database.sql<{ xid: string; id: number }[]>`select xid::text as xid, id from job_events where job_id = ${jobId} and stage = ${stageName}`;
  return { xid: BigInt(row!.xid), id: row!.id };
}

/** Resolves once the poller has read the log `passes` more times (each read sees every commit before it). */
async function pollerPasses(passes: number): Promise<void> {
  const target = hub.poller.queries + passes;
  await expect.poll(() => hub.poller.queries, { timeout: 20_000 }).toBeGreaterThanOrEqual(target);
}

describe('the delivery gate', () => {
  it('delivers an event of an earlier transaction that commits later, once, before the later ones', async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    const stream = record(hub.subscribeAccount({ accountId: job.accountId }, undefined));
    await pollerPasses(1);

    const early = await heldTransaction(database.sql);
    await stage(early.sql, job, 'early');
    await stage(database.sql, job, 'late');
    await pollerPasses(4);
    // 'late' is committed, but an older transaction is still running: it is not stable yet.
    expect(stages(stream.updates)).toEqual([]);

    await early.commit();
    await expect.poll(() => stages(stream.updates), { timeout: 20_000 }).toEqual(['early', 'late']);
    await stage(database.sql, job, 'after');
    await expect.poll(() => stages(stream.updates), { timeout: 20_000 }).toEqual(['early', 'late', 'after']);
    await stream.stop();
  });

  it('does not deliver again an event the opening snapshot already showed (committed above the horizon)', async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    // An unrelated transaction holds the horizon back, so the next commit is visible but not yet stable.
    const holder = await heldTransaction(database.sql);
    await holder.sql`select pg_current_xact_id()`;
    await database.sql.begin(async (tx) => {
      await tx`update jobs set stage = 'seen in snapshot' where id = ${job.id}`;
      await stage(tx, job, 'seen in snapshot');
    });

    const stream = record((await hub.subscribeJob({ accountId: job.accountId }, job.id, undefined))!);
    await expect.poll(() => stream.updates.length, { timeout: 20_000 }).toBe(1);
    expect(stream.updates[0]!.job.stage).toBe('seen in snapshot');

    await holder.commit();
    await stage(database.sql, job, 'new');
    await expect.poll(() => stages(stream.updates), { timeout: 20_000 }).toEqual(['SNAPSHOT', 'new']);
    await stream.stop();
  });

  it('resumes after a cursor with the missed events, then live ones, with no repeat at the switch', async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    const first = record(hub.subscribeAccount({ accountId: job.accountId }, undefined));
    await pollerPasses(1);
    await stage(database.sql, job, 'one');
    await expect.poll(() => stages(first.updates), { timeout: 20_000 }).toEqual(['one']);
    const cursor = first.updates.find((update) => update.event.stage === 'one')!.key;
    await first.stop();

    await stage(database.sql, job, 'two');
    await stage(database.sql, job, 'three');
    const resumed = record(hub.subscribeAccount({ accountId: job.accountId }, cursor));
    await expect.poll(() => stages(resumed.updates), { timeout: 20_000 }).toEqual(['two', 'three']);
    await stage(database.sql, job, 'four');
    await expect.poll(() => stages(resumed.updates), { timeout: 20_000 }).toEqual(['two', 'three', 'four']);
    await resumed.stop();
  });
});

describe('the poller with nobody listening', () => {
  it("reads other accounts' events without loading their jobs, and loads the followed account's", async () => {
    const queuedBefore = hub.poller.eventsRead;
    const unfollowed = await queueJob(database.sql, await newAccount(database.sql));
    const followed = await queueJob(database.sql, await newAccount(database.sql));
    // Both QUEUED events are read before anyone follows either account.
    await expect.poll(() => hub.poller.eventsRead, { timeout: 20_000 }).toBeGreaterThanOrEqual(queuedBefore + 2);
    const stream = record(hub.subscribeAccount({ accountId: followed.accountId }, undefined));

    const [readBefore, hydrationsBefore] = [hub.poller.eventsRead, hub.poller.hydrations];
    for (let index = 0; index < 5; index++) await stage(database.sql, unfollowed, `unfollowed ${index}`);
    await expect.poll(() => hub.poller.eventsRead, { timeout: 20_000 }).toBeGreaterThanOrEqual(readBefore + 5);
    expect(hub.poller.hydrations).toBe(hydrationsBefore);

    await stage(database.sql, followed, 'followed');
    await expect.poll(() => stream.updates.map((update) => update.event.stage), { timeout: 20_000 }).toEqual(['followed']);
    expect(hub.poller.hydrations).toBeGreaterThan(hydrationsBefore);
    expect(stream.updates[0]!.job.id).toBe(followed.id);
    await stream.stop();
  });

  it.each([
    [
      'read the rows',
      // Nobody listens when the batch is filtered, and somebody registers right then.
      (): Interest => {
        let epoch = 0;
        return {
          epoch: () => epoch,
          wants: () => {
            epoch++;
            return false;
          },
          none: () => false,
        };
      },
    ],
    [
      'passed over them with nobody listening',
      // Every look finds a registration since the last one: each pass is overtaken by a subscriber.
      (): Interest => {
        let epoch = 0;
        return { epoch: () => epoch++, wants: () => true, none: () => true };
      },
    ],
  ] as const)('hands over every event when a subscriber registered while it %s', async (_when, interest) => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    const { poller, batches } = startPoller(interest());
    try {
      await expect.poll(() => poller.position, { timeout: 20_000 }).toBeDefined();
      await stage(database.sql, job, 'during registration');
      await expect.poll(() => batches.flat().map((update) => update.event.stage), { timeout: 20_000 }).toContain('during registration');
    } finally {
      await poller.stop();
    }
  });

  it('moves past the events of a log nobody listens to without handing any out, and never past a running transaction', async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    const { poller, batches } = startPoller({ epoch: () => 0, wants: () => false, none: () => true });
    try {
      await expect.poll(() => poller.position, { timeout: 20_000 }).toBeDefined();
      const early = await heldTransaction(database.sql);
      let late: EventKey;
      let eventsBefore: number;
      try {
        await stage(early.sql, job, 'early');
        await stage(database.sql, job, 'late');
        late = await eventKey(job.id, 'late');
        const passesBefore = poller.queries;
        await expect.poll(() => poller.queries, { timeout: 20_000 }).toBeGreaterThan(passesBefore + 2);
        // 'late' is committed, but an older transaction is still running: the cursor stays before both.
        expect(compareKeys(poller.position!, late)).toBeLessThan(0);
        eventsBefore = poller.eventsRead;
      } catch (error) {
        await early.rollback();
        throw error;
      }
      await early.commit();
      await expect.poll(() => compareKeys(poller.position!, late), { timeout: 20_000 }).toBe(0);
      expect(poller.eventsRead).toBe(eventsBefore + 2);
      expect(batches.flat()).toEqual([]);
    } finally {
      await poller.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { appendJobEvent } from '../../src/jobs/events.js';
import type { JobRecord } from '../../src/jobs/records.js';
import type { JobUpdateEvent } from '../../src/realtime/event-log.js';
import { RealtimeHub } from '../../src/realtime/hub.js';
import { EventPoller } from '../../src/realtime/poller.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { newAccount, queueJob } from '../support/jobs.js';
import { record } from '../support/streams.js';

/**
 * The poller loads jobs and images only for events someone in the process listens to
 * (src/realtime/poller.ts): a worker-heavy process with no subscribers reads the log and nothing
 * more, and a subscriber that registers while a batch is being read still gets all of it.
 */

let database: Database;
let hub: RealtimeHub;
beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 6 });
  hub = new RealtimeHub(database.sql, { pollMs: 10, log: () => undefined });
  hub.start();
});
afterAll(async () => {
  await hub?.stop();
  await database?.close();
});

const progress = (job: JobRecord, stage: string) => appendJobEvent(database.sql, { jobId: job.id, accountId: job.accountId, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage });

describe('the poller with nobody listening', () => {
  it("reads other accounts' events without loading their jobs, and loads the followed account's", async () => {
    const queuedBefore = hub.poller.eventsRead;
    const unfollowed = await queueJob(database.sql, await newAccount(database.sql));
    const followed = await queueJob(database.sql, await newAccount(database.sql));
    // Both QUEUED events are read before anyone follows either account.
    await expect.poll(() => hub.poller.eventsRead, { timeout: 20_000 }).toBeGreaterThanOrEqual(queuedBefore + 2);
    const stream = record(hub.subscribeAccount({ accountId: followed.accountId }, undefined));

    const [readBefore, hydrationsBefore] = [hub.poller.eventsRead, hub.poller.hydrations];
    for (let index = 0; index < 5; index++) await progress(unfollowed, `unfollowed ${index}`);
    await expect.poll(() => hub.poller.eventsRead, { timeout: 20_000 }).toBeGreaterThanOrEqual(readBefore + 5);
    expect(hub.poller.hydrations).toBe(hydrationsBefore);

    await progress(followed, 'followed');
    await expect.poll(() => stream.updates.map((update) => update.event.stage), { timeout: 20_000 }).toEqual(['followed']);
    expect(hub.poller.hydrations).toBeGreaterThan(hydrationsBefore);
    expect(stream.updates[0]!.job.id).toBe(followed.id);
    await stream.stop();
  });

  it('hands over every event of a batch when a subscriber registered while it was read', async () => {
    const job = await queueJob(database.sql, await newAccount(database.sql));
    let epoch = 0;
    const batches: JobUpdateEvent[][] = [];
    const poller = new EventPoller(database.sql, { pollMs: 10, log: () => undefined }, (events) => batches.push(events), {
      epoch: () => epoch,
      // Nobody listens when the batch is filtered, and somebody registers right then.
      wants: () => {
        epoch++;
        return false;
      },
    });
    poller.start();
    try {
      await expect.poll(() => poller.position, { timeout: 20_000 }).toBeDefined();
      await progress(job, 'during registration');
      await expect.poll(() => batches.flat().map((update) => update.event.stage), { timeout: 20_000 }).toContain('during registration');
    } finally {
      await poller.stop();
    }
  });
});

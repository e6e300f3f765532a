import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { DeliveriesCursor, planDeliveries, skipUntargetedEvents } from '../../src/webhooks/plan-deliveries.js';
import { SecretBox } from '../../src/webhooks/secret-box.js';
import { connectTestDatabase, createTestDatabase } from '../support/database.js';
import { tableReads, newAccount, queueJob, queueManyJobs } from '../support/jobs.js';

/**
 * The webhook dispatcher's pass (src/webhooks/dispatcher.ts) first tries `skipUntargetedEvents`,
 * one statement that moves the cursor past events no webhook wants, and plans with
 * `planDeliveries` only when one may be wanted. Together they must create exactly the deliveries
 * that planning every event would: none lost, none doubled, none for an event nobody asked for.
 */

let database: Database;
const secretBox = new SecretBox(randomBytes(32));
const plan = { imageUrl: () => 'http://127.0.0.1/image', secretBox };

beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 4 });
});
afterAll(async () => {
  await database?.close();
});

async function cursor() {
  const [row] = await database.sql<{ xid: string; eventId: number }[]>`select xid::text as xid, event_id from webhook_cursors where name = ${DeliveriesCursor}`;
  return row!;
}

async function lastEvent() {
  const [row] = await database.sql<{ xid: string; id: number }[]>`select e.xid::text as xid, e.id from job_events e order by e.xid desc, e.id desc limit 1`;
  return row;
}

/**
 * The dispatcher's planning step, run until the cursor has reached the log's last event. Events
 * become readable once every older transaction of the cluster has ended (other test files share
 * it), so an idle pass before that is tried again.
 */
async function passUntilIdle(batchSize: number) {
  for (;;) {
    const next = await skipUntargetedEvents(database.sql, batchSize);
    if (next.kind === 'targeted') await planDeliveries(database.sql, { batchSize, ...plan });
    if (next.kind !== 'idle') continue;
    const [at, end] = await Promise.all([cursor(), lastEvent()]);
    if (!end || (at.xid === end.xid && at.eventId === end.id)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The first answer that is not 'idle' (new events wait for older transactions of the cluster to end). */
async function stable<T extends { kind: string }>(pass: () => Promise<T>): Promise<T> {
  for (;;) {
    const result = await pass();
    if (result.kind !== 'idle') return result;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function addEndpoint(accountId: string, events: string[], enabled = true) {
  await database.sql`
    insert into webhook_endpoints (account_id, url, events, secret, enabled)
    values (${accountId}, 'https://hooks.example.com/in', ${events}::text[], ${secretBox.seal('whsec_test')}, ${enabled})`;
}

describe('skipUntargetedEvents', () => {
  it('moves the cursor past events nobody wants, in one statement, and stops at those someone may want', async () => {
    await passUntilIdle(500);
    const quiet = await newAccount(database.sql);
    await Promise.all([queueJob(database.sql, quiet), queueJob(database.sql, quiet)]);
    let skipped = 0;
    while (skipped < 2) {
      const next = await stable(() => skipUntargetedEvents(database.sql, 500));
      expect(next.kind).toBe('skipped');
      skipped += next.kind === 'skipped' ? next.events : 0;
    }
    expect(skipped).toBe(2);
    const end = (await lastEvent())!;
    expect(await cursor()).toEqual({ xid: end.xid, eventId: end.id });
    expect(await skipUntargetedEvents(database.sql, 500)).toEqual({ kind: 'idle', held: false });

    // A job with its own webhook: the cursor stays for the planner.
    await queueJob(database.sql, quiet, { webhook: { url: 'https://hooks.example.com/job', events: ['QUEUED'] } });
    expect(await stable(() => skipUntargetedEvents(database.sql, 500))).toMatchObject({ kind: 'targeted' });
    expect(await cursor()).toEqual({ xid: end.xid, eventId: end.id });
    await planDeliveries(database.sql, { batchSize: 500, ...plan });

    // An account with an enabled endpoint counts; a disabled one does not.
    const hooked = await newAccount(database.sql);
    await addEndpoint(hooked, ['SUCCEEDED'], false);
    await queueJob(database.sql, hooked);
    expect((await stable(() => skipUntargetedEvents(database.sql, 500))).kind).toBe('skipped');
    await addEndpoint(hooked, ['QUEUED']);
    await queueJob(database.sql, hooked);
    expect((await stable(() => skipUntargetedEvents(database.sql, 500))).kind).toBe('targeted');
    await planDeliveries(database.sql, { batchSize: 500, ...plan });
  });

  it('does not wait for, or move, a cursor another dispatcher holds', async () => {
    await passUntilIdle(500);
    await queueJob(database.sql, await newAccount(database.sql));
    const before = await cursor();
    await database.sql.begin(async (tx) => {
      await tx`select 1 from webhook_cursors where name = ${DeliveriesCursor} for update`;
      // Another dispatcher's business, held back or not.
      expect(await skipUntargetedEvents(database.sql, 500)).toEqual({ kind: 'idle', held: false });
    });
    expect(await cursor()).toEqual(before);
    expect((await stable(() => skipUntargetedEvents(database.sql, 500))).kind).toBe('skipped');
  });

  it('says when events after the cursor wait for an older open transaction, until it ends', async () => {
    await passUntilIdle(500);
    const account = await newAccount(database.sql);
    const older = await database.sql.reserve();
    try {
      await older`begin`;
      await older`select pg_current_xact_id()`;
      await queueJob(database.sql, account);
      // Committed, but not readable while the older transaction may still write before it.
      expect(await skipUntargetedEvents(database.sql, 500)).toEqual({ kind: 'idle', held: true });
      await older`commit`;
    } finally {
      older.release();
    }
    expect(await stable(() => skipUntargetedEvents(database.sql, 500))).toMatchObject({ kind: 'skipped', events: 1 });
    expect(await skipUntargetedEvents(database.sql, 500)).toEqual({ kind: 'idle', held: false });
  });

  it('reads the jobs and the log by index, never a whole table, whatever the statistics say', async () => {
    const accounts = await Promise.all([0, 1, 2].map(() => newAccount(database.sql)));
    await passUntilIdle(500);
    // A burst of jobs, and statistics that say what is true here: none has a webhook of its own.
    await queueManyJobs(database.sql, accounts, 4_000);
    await database.sql`analyze jobs`;
    for (;;) {
      const { result, seqScans, rowsRead } = await tableReads(database.sql, 'jobs', (tx) => skipUntargetedEvents(tx, 500));
      if (result.kind === 'idle') continue;
      expect(result).toMatchObject({ kind: 'skipped', events: 500 });
      expect(seqScans).toBe(0);
      // One job row per event at most, not the table.
      expect(rowsRead).toBeLessThanOrEqual(500);
      break;
    }
    // The log is read through its index from the cursor, and the check for events held back is
    // one probe at the horizon: with statistics from a smaller log, that check was planned as a
    // scan of the whole log.
    const events = await tableReads(database.sql, 'job_events', (tx) => skipUntargetedEvents(tx, 500));
    expect(events.result).toMatchObject({ kind: 'skipped', events: 500, held: false });
    expect(events.seqScans).toBe(0);
    await passUntilIdle(500);
  });

  it('with planning, creates exactly the deliveries that were asked for, over random jobs, endpoints and batch sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            account: fc.nat(3),
            jobWebhook: fc.option(fc.subarray(['QUEUED', 'SUCCEEDED', 'FAILED'], { minLength: 1 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.array(fc.option(fc.subarray(['QUEUED', 'STARTED'], { minLength: 1 }), { nil: null }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        async (jobs, endpointEvents, batchSize) => {
          await passUntilIdle(500);
          const accounts = await Promise.all(endpointEvents.map(() => newAccount(database.sql)));
          for (const [index, events] of endpointEvents.entries()) if (events) await addEndpoint(accounts[index]!, events);
          const queued = [];
          for (const job of jobs) {
            const webhook = job.jobWebhook ? { url: 'https://hooks.example.com/job', events: job.jobWebhook } : null;
            queued.push({ ...job, record: await queueJob(database.sql, accounts[job.account]!, { webhook }) });
          }
          await passUntilIdle(batchSize);

          // Every queued job wrote one QUEUED event: who asked for QUEUED gets exactly one delivery each.
          const expected = queued.flatMap(({ account, jobWebhook, record }) => [
            ...(jobWebhook?.includes('QUEUED') ? [`${record.id} job`] : []),
            ...(endpointEvents[account]?.includes('QUEUED') ? [`${record.id} endpoint`] : []),
          ]);
          const rows = await database.sql<{ jobId: string; target: string }[]>`
            select job_id, target from webhook_deliveries where job_id = any(${queued.map((job) => job.record.id)}::uuid[])`;
          const actual = rows.map((row) => `${row.jobId} ${row.target === 'job' ? 'job' : 'endpoint'}`);
          expect(actual.sort()).toEqual(expected.sort());
          const end = (await lastEvent())!;
          expect(await cursor()).toEqual({ xid: end.xid, eventId: end.id });
        },
      ),
      { numRuns: 30 },
    );
  });
});

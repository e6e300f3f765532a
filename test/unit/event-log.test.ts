import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlLike } from '../../src/db/client.js';
import { appendJobEvent } from '../../src/jobs/events.js';
import type { JobEventRecord, JobRecord } from '../../src/jobs/records.js';
import { StartOfLog, type EventKey } from '../../src/realtime/cursor.js';
import { keyOf, readStableEvents, stableFrontier } from '../../src/realtime/event-log.js';
import { connectTestDatabase, createTestDatabase, heldTransaction } from '../support/database.js';
import { newAccount, queueJob } from '../support/jobs.js';

/** The event log reader (src/realtime/event-log.ts) on its own: order, stability, pages, cursors. */

let database: Database;
beforeAll(async () => {
  database = connectTestDatabase(await createTestDatabase(), { max: 4 });
});
afterAll(async () => {
  await database?.close();
});

/**
 * Reads until at least `count` events are stable. Other test files share the cluster: a transaction
 * of theirs open at the moment holds the stable horizon back for everyone until it ends.
 */
async function settled(read: () => Promise<JobEventRecord[]>, count: number): Promise<JobEventRecord[]> {
  let events: JobEventRecord[] = [];
  await expect.poll(async () => (events = await read()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return events;
}

/** A fresh job (its QUEUED event included, and stable) and the reader narrowed to it. */
async function freshJob(): Promise<{ job: JobRecord; read: (after?: EventKey, limit?: number) => Promise<JobEventRecord[]> }> {
  const job = await queueJob(database.sql, await newAccount(database.sql));
  const read = (after: EventKey = StartOfLog, limit?: number) => readStableEvents(database.sql, after, { jobId: job.id }, limit);
  await settled(read, 1);
  return { job, read };
}

const progress = (sql: SqlLike, job: JobRecord, message: string) => appendJobEvent(sql, { jobId: job.id, accountId: job.accountId, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, message });

/** A transaction that has written `message` and stays open until `commit()`. */
async function openWriter(job: JobRecord, message: string): Promise<{ commit: () => Promise<void> }> {
  const writer = await heldTransaction(database.sql);
  await progress(writer.sql, job, message);
  return writer;
}

describe('readStableEvents', () => {
  it('orders by the writing transaction id, not by insert order: an earlier transaction committing later comes first', async () => {
    const { job, read } = await freshJob();
    // The early transaction takes its xid first; a later one inserts and commits; then the early one inserts.
    const early = await heldTransaction(database.sql);
    await early.sql`select pg_current_xact_id()`;
    await progress(database.sql, job, 'late transaction');
    await progress(early.sql, job, 'early transaction');
    expect((await read()).map((event) => event.message)).toEqual([null]);
    await early.commit();

    const events = await settled(read, 3);
    expect(events.map((event) => event.message)).toEqual([null, 'early transaction', 'late transaction']);
    // Inserted second (higher id) but written by the older transaction (lower xid): first in the log.
    expect(events[1]!.id).toBeGreaterThan(events[2]!.id);
    expect(BigInt(events[1]!.xid)).toBeLessThan(BigInt(events[2]!.xid));
  });

  it('holds back every event newer than a running writer, then releases them all in order once it ends', async () => {
    const { job, read } = await freshJob();
    const running = await openWriter(job, 'slow writer');
    for (const message of ['a', 'b', 'c']) await progress(database.sql, job, message);
    expect((await read()).map((event) => event.message)).toEqual([null]);
    const frontier = await stableFrontier(database.sql);
    await running.commit();
    expect((await settled(read, 5)).map((event) => event.message)).toEqual([null, 'slow writer', 'a', 'b', 'c']);
    // The frontier taken while the writer ran is behind all of them: a reader starting there misses nothing.
    expect((await readStableEvents(database.sql, frontier, { jobId: job.id })).map((event) => event.message)).toEqual(['slow writer', 'a', 'b', 'c']);
  });

  it('reads in pages: each page starts right after the last key of the one before, with no gap and no repeat', async () => {
    const { job, read } = await freshJob();
    for (let index = 0; index < 9; index++) await progress(database.sql, job, `step ${index}`);
    const all = await settled(read, 10);
    expect(all).toHaveLength(10);

    const paged: typeof all = [];
    let after = StartOfLog;
    for (;;) {
      const page = await read(after, 4);
      expect(page.length).toBeLessThanOrEqual(4);
      if (page.length === 0) break;
      paged.push(...page);
      after = keyOf(page.at(-1)!);
    }
    expect(paged.map((event) => event.id)).toEqual(all.map((event) => event.id));
    // A cursor in the middle resumes after it, exactly.
    expect((await read(keyOf(all[6]!))).map((event) => event.id)).toEqual(all.slice(7).map((event) => event.id));
  });

  it("filters by job and by account without mixing in anyone else's events", async () => {
    const first = await freshJob();
    const second = await freshJob();
    await progress(database.sql, first.job, 'first');
    await progress(database.sql, second.job, 'second');
    const byAccount = await settled(() => readStableEvents(database.sql, StartOfLog, { accountId: second.job.accountId }), 2);
    expect(byAccount.map((event) => [event.jobId, event.message])).toEqual([
      [second.job.id, null],
      [second.job.id, 'second'],
    ]);
    expect((await first.read()).every((event) => event.jobId === first.job.id)).toBe(true);
  });
});

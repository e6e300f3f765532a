import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendJobEvent } from '../src/jobs/events.js';
import { type EventKey } from '../src/realtime/cursor.js';
import { keyOf, passStableEvents, readStableEvents } from '../src/realtime/event-log.js';
import { planDeliveries } from '../src/webhooks/plan-deliveries.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { burnTransactionIdsUntil, startDedicatedPostgres, type DedicatedPostgres } from './support/dedicated-postgres.js';

// Transaction ids cross powers of ten within hours of any deployment ('9999' sorts after '10000'
// as text). Each case moves a cluster of its own to just below a boundary and writes across it.

let postgres: DedicatedPostgres;
let test: TestApp;
let key: string;
let accountId: string;

beforeAll(async () => {
  postgres = await startDedicatedPostgres();
  test = await startTestApp({ ROLE: 'api' }, { databaseUrl: postgres.url });
  const created = await test.createKey(1000);
  key = created.key;
  accountId = created.accountId;
  await test.app.services.database.sql`
    insert into webhook_endpoints (account_id, url, events, secret)
    values (${accountId}, 'http://127.0.0.1:9/hook', ${['PROGRESS', 'SUCCEEDED']}, 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=')`;
});
afterAll(async () => {
  await test?.stop();
  await postgres?.stop();
});

/** Iterates a subscription in the background, recording every message. */
function record(query: string, variables: Record<string, unknown>) {
  const items: any[] = [];
  const iterator = test.wsClient(key).iterate<any>({ query, variables });
  const done = (async () => {
    for await (const result of iterator) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      items.push(result.data);
    }
  })();
  return { items, done, stop: () => iterator.return?.() };
}

describe.each([10_000n, 100_000n, 1_000_000n])('transaction ids crossing %s', (boundary) => {
  it('live, replayed and webhook deliveries carry every event exactly once, in order', async () => {
    const sql = test.app.services.database.sql;
    const job = await generatePlaceholder(test, key);
    const live = record('subscription { jobsUpdated { cursor type stage job { id } } }', {});
    await waitFor(() => test.app.services.hub.subscriberCount >= 1, 'the live subscription');
    await burnTransactionIdsUntil(sql, boundary - 30n);

    const stages = Array.from({ length: 60 }, (_, index) => `step-${index}`);
    for (const [index, stage] of stages.entries()) {
      await sql.begin((tx) => appendJobEvent(tx, { jobId: job.id, accountId, type: 'PROGRESS', status: 'RUNNING', progress: index / 60, stage }));
    }
    await sql.begin((tx) => appendJobEvent(tx, { jobId: job.id, accountId, type: 'SUCCEEDED', status: 'SUCCEEDED', progress: 1, stage: 'done' }));
    const [span] = await sql<{ first: string; last: string }[]>`
      select min(xid)::text as first, max(xid)::text as last from job_events where job_id = ${job.id} and type <> 'QUEUED'`;
    expect(BigInt(span!.first)).toBeLessThan(boundary);
    expect(BigInt(span!.last)).toBeGreaterThanOrEqual(boundary);

    const expected = [...stages, 'done'];
    const ofJob = () => live.items.map((item) => item.jobsUpdated).filter((update) => update.job.id === job.id && update.type !== 'QUEUED');
    await waitFor(() => ofJob().at(-1)?.type === 'SUCCEEDED', 'the live terminal event');
    expect(ofJob().map((update) => update.stage)).toEqual(expected);
    await live.stop();

    // A client that saw only the first event resumes from its cursor.
    const firstCursor = ofJob()[0].cursor;
    const replayed = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id, after: firstCursor });
    expect(replayed.map((item) => item.jobUpdated.stage)).toEqual(expected.slice(1));
    const replayedAccount = await collect<any>(
      test.wsClient(key),
      'subscription($after: String) { jobsUpdated(after: $after) { type stage } }',
      { after: firstCursor },
      (item) => item.jobsUpdated.type === 'SUCCEEDED',
    );
    expect(replayedAccount.map((item) => item.jobsUpdated.stage)).toEqual(expected.slice(1));

    // The webhook planner pages through the same boundary (small pages to cross it mid-page too).
    for (;;) {
      const pass = await planDeliveries(sql, { batchSize: 7, imageUrl: () => 'http://127.0.0.1/image', secretBox: test.app.services.secretBox });
      if (pass.events === 0) break;
    }
    const deliveries = await sql<{ eventId: number; count: number }[]>`
      select d.event_id, count(*)::int as count from webhook_deliveries d where d.job_id = ${job.id} group by d.event_id`;
    const events = await sql<{ id: number }[]>`select id from job_events where job_id = ${job.id} and type in ('PROGRESS', 'SUCCEEDED')`;
    expect(deliveries.every((row) => row.count === 1)).toBe(true);
    expect(deliveries.map((row) => row.eventId).sort((left, right) => left - right)).toEqual(events.map((row) => row.id).sort((left, right) => left - right));
  });
});

describe('the poller passing over events nobody listens to', () => {
  // Runs after the cases above, so the log holds events on both sides of 10^4, 10^5 and 10^6.
  it('lands where reading every row would, across every power of ten', async () => {
    const sql = test.app.services.database.sql;
    const start = { xid: 9_000n, id: 0 };
    const [span] = await sql<{ first: string; last: string }[]>`
      select min(xid)::text as first, max(xid)::text as last from job_events where xid > ${start.xid.toString()}::xid8`;
    expect(BigInt(span!.first)).toBeLessThan(10_000n);
    expect(BigInt(span!.last)).toBeGreaterThanOrEqual(1_000_000n);

    // The reader's way: every row, page by page (pages small enough to end on each side of a boundary).
    let read = 0;
    let last: EventKey = start;
    for (let page = await readStableEvents(sql, last, {}, 7); page.length > 0; page = await readStableEvents(sql, last, {}, 7)) {
      read += page.length;
      last = keyOf(page.at(-1)!);
    }
    const passed = await passStableEvents(sql, start);
    expect(passed).toEqual({ last, count: read });
    expect(await passStableEvents(sql, last)).toBeUndefined();
  });
});

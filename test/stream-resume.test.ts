import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendJobEvent } from '../src/jobs/events.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;
let key: string;
let accountId: string;

beforeAll(async () => {
  test = await startTestApp();
  const created = await test.createKey(1000);
  key = created.key;
  accountId = created.accountId;
});
afterAll(() => test?.stop());

describe('resuming jobUpdated', () => {
  it('completes at once when resumed from the terminal cursor, and replays the rest from an earlier one', async () => {
    const job = await generatePlaceholder(test, key, { steps: 3, stepMs: 5 });
    const complete = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const events = complete.map((item) => item.jobUpdated).filter((update) => update.type !== 'SNAPSHOT');
    expect(events.at(-1).type).toBe('SUCCEEDED');

    expect(await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id, after: events.at(-1).cursor })).toEqual([]);
    const rest = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id, after: events.at(-3).cursor });
    expect(rest.map((item) => item.jobUpdated.cursor)).toEqual(events.slice(-2).map((update) => update.cursor));
  });

  it('completes at once when resumed from a cursor past the job (one from the account stream)', async () => {
    const first = await generatePlaceholder(test, key, { steps: 1, stepMs: 0 });
    await collect<any>(test.wsClient(key), JOB_UPDATED, { id: first.id });
    const second = await generatePlaceholder(test, key, { steps: 1, stepMs: 0 });
    const later = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: second.id });
    expect(await collect<any>(test.wsClient(key), JOB_UPDATED, { id: first.id, after: later.at(-1).jobUpdated.cursor })).toEqual([]);
  });
});

describe('state at the event', () => {
  it('gives each replayed event the status and progress the job had then, and the job as it is now', async () => {
    const job = await generatePlaceholder(test, key, { steps: 3, stepMs: 5 });
    const live = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const query = 'subscription($id: ID!, $after: String) { jobUpdated(id: $id, after: $after) { type status progress job { status progress } } }';
    const replayed = (await collect<any>(test.wsClient(key), query, { id: job.id, after: live[0].jobUpdated.cursor })).map((item) => item.jobUpdated);
    const progress = replayed.filter((update) => update.type === 'PROGRESS');
    expect(progress.length).toBeGreaterThan(0);
    for (const update of progress) {
      expect(update.status).toBe('RUNNING');
      expect(update.job).toEqual({ status: 'SUCCEEDED', progress: 1 });
    }
    expect(progress[0].progress).toBeLessThan(1);
    expect(replayed.at(-1)).toMatchObject({ type: 'SUCCEEDED', status: 'SUCCEEDED', progress: 1 });
  });
});

describe('a backlog of 100,000 missed events', () => {
  it('is replayed in full, in order, then the stream continues live with no gap or duplicate', { timeout: 180_000 }, async () => {
    const sql = test.app.services.database.sql;
    const job = await generatePlaceholder(test, key, { steps: 1, stepMs: 0 });
    const opening = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
    const resumeFrom = opening.at(-1).jobUpdated.cursor;
    const missed = 100_000;
    // Written by 20 transactions (several per page boundary and several pages per transaction).
    for (let batch = 0; batch < 20; batch++) {
      await sql`
        insert into job_events (job_id, account_id, type, status, progress, stage)
        select ${job.id}, ${accountId}, 'PROGRESS', 'RUNNING', 0.5, 'backlog-' || n
        from generate_series(${batch * 5_000}::int, ${batch * 5_000 + 4_999}::int) n`;
    }

    const stages: string[] = [];
    const iterator = test.wsClient(key).iterate<any>({ query: 'subscription($after: String) { jobsUpdated(after: $after) { stage } }', variables: { after: resumeFrom } });
    let liveWritten = 0;
    let writing: Promise<void> | undefined;
    for await (const result of iterator) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      stages.push(result.data.jobsUpdated.stage);
      // Midway through the replay, more events commit: they must come after the backlog, once.
      if (stages.length === 40_000) {
        writing = (async () => {
          for (; liveWritten < 300; liveWritten++) {
            await sql.begin((tx) => appendJobEvent(tx, { jobId: job.id, accountId, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage: `live-${liveWritten}` }));
          }
        })();
      }
      if (stages.length === missed + 300) break;
    }
    await writing;
    const expected = [...Array.from({ length: missed }, (_, index) => `backlog-${index}`), ...Array.from({ length: 300 }, (_, index) => `live-${index}`)];
    expect(stages.length).toBe(expected.length);
    expect(stages).toEqual(expected);

    // Still live after the switch: one more event arrives, alone.
    const hub = test.app.services.hub;
    await waitFor(() => hub.subscriberCount === 0, 'the replayed stream to be released');
    const after = test.wsClient(key).iterate<any>({ query: 'subscription { jobsUpdated { stage } }' });
    const next = after.next();
    await waitFor(() => hub.subscriberCount === 1, 'the live subscription');
    await sql.begin((tx) => appendJobEvent(tx, { jobId: job.id, accountId, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage: 'final' }));
    expect((await next).value?.data?.jobsUpdated.stage).toBe('final');
    await after.return?.();
  });
});
